from datetime import UTC, datetime

from libs.common.ids import id_floor, is_valid_id, new_id


def test_ids_carry_their_prefix_and_a_long_base62_part() -> None:
    value = new_id("prod")
    prefix, random_part = value.split("_")
    assert prefix == "prod"
    assert len(random_part) >= 16 and random_part.isalnum()
    assert is_valid_id(value, "prod")


def test_ids_sort_by_creation_time() -> None:
    earlier = [new_id("ord", now_ms=1_700_000_000_000 + i) for i in range(200)]
    assert sorted(earlier) == earlier


def test_ids_made_in_the_same_millisecond_are_distinct() -> None:
    ids = {new_id("evt", now_ms=1_700_000_000_000) for _ in range(10_000)}
    assert len(ids) == 10_000


def test_validation_rejects_wrong_prefix_and_malformed_values() -> None:
    good = new_id("cus")
    assert not is_valid_id(good, "prod")
    assert not is_valid_id("cus_short", "cus")
    assert not is_valid_id("cus_" + "a" * 15, "cus")
    assert not is_valid_id("cus_abc-defghijklmnopq", "cus")
    assert not is_valid_id(42, "cus")
    assert not is_valid_id(None, "cus")


def test_id_floor_separates_ids_made_before_a_moment_from_those_made_at_or_after_it() -> None:
    at = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
    ms = int(at.timestamp() * 1000)
    floor = id_floor("evt", at=at)
    assert is_valid_id(floor, "evt")
    assert all(new_id("evt", now_ms=ms - 1) < floor for _ in range(100))
    assert all(floor <= new_id("evt", now_ms=ms) for _ in range(100))
