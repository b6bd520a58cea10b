import re
from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from libs.common.listing import ListQuery
from libs.common.validation import field_path, validation_error
from libs.contract.catalog import ProductCreate
from libs.contract.orders import OrderItem


def test_a_timestamp_is_utc_and_one_before_year_1_in_utc_is_refused() -> None:
    query = ListQuery.model_validate({"createdAfter": "2024-01-15T12:30:00+02:00"}, strict=False)
    assert query.created_after == datetime(2024, 1, 15, 10, 30, tzinfo=UTC)
    naive = ListQuery.model_validate({"createdAfter": "2024-01-15T10:30:00"}, strict=False)
    assert naive.created_after == datetime(2024, 1, 15, 10, 30, tzinfo=UTC)
    for edge in ("0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00"):
        with pytest.raises(ValidationError) as caught:
            ListQuery.model_validate({"createdBefore": edge}, strict=False)
        assert validation_error(caught.value).details["field"] == "createdBefore"


def test_every_key_is_named_even_an_empty_one() -> None:
    assert field_path(("items", 0, "productId")) == "items[0].productId"
    assert field_path(("",)) == '[""]'
    assert field_path(("metadata", "")) == 'metadata[""]'


def test_an_integer_may_be_written_as_a_whole_float_but_never_as_text_or_a_fraction() -> None:
    line = b'{"productId": "prod_0354xIPEOJKu0fmmxXMXnj", "quantity": %s}'
    assert OrderItem.model_validate_json(line % b"2.0").quantity == 2
    for refused in (b"2.5", b'"2"', b"true", b"1e5"):
        with pytest.raises(ValidationError) as caught:
            OrderItem.model_validate_json(line % refused)
        assert validation_error(caught.value).details["field"] == "quantity"


def test_trimmed_text_needs_a_character_besides_spaces_and_the_document_says_so() -> None:
    pattern = re.compile(ProductCreate.model_json_schema()["properties"]["name"]["pattern"])
    assert pattern.search("  Bagel ") and not pattern.search("   ")
    assert ProductCreate.model_validate_json(b'{"name": "  Bagel ", "price": 1}').name == "Bagel"
    with pytest.raises(ValidationError):
        ProductCreate.model_validate_json(b'{"name": "   ", "price": 1}')
    # NUL is refused for every string before the model (parse_body): the pattern says so too.
    assert not pattern.search("a\x00b")
