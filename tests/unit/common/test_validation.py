from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from libs.common.listing import ListQuery
from libs.common.validation import field_path, validation_error


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
