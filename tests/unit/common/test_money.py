"""Money in request bodies: every number is a clear 400, never an exception."""

from decimal import Decimal

import pytest
from pydantic import ValidationError

from libs.common.validation import ApiModel, Money


class Priced(ApiModel):
    price: Money


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (-7.783619781175487e307, "must not be negative"),  # found by Schemathesis: was a 500
        (1.7e308, "must be at most"),
        (10**400, "must be at most"),
        (1e-300, "at most two decimal places"),
        (4.999, "at most two decimal places"),
        (True, "must be a JSON number"),
    ],
)
def test_out_of_range_or_too_precise_amounts_are_refused(value: object, message: str) -> None:
    with pytest.raises(ValidationError) as refused:
        Priced.model_validate({"price": value})
    assert message in str(refused.value)


def test_amounts_keep_what_the_client_wrote() -> None:
    assert Priced.model_validate({"price": 4.99}).price == Decimal("4.99")
    assert Priced.model_validate_json(b'{"price": 0.1}').price == Decimal("0.10")
