import pytest

from libs.contract import patterns
from libs.contract.events import PUBLIC_EVENTS


def test_a_resource_pattern_names_that_resources_public_events() -> None:
    assert patterns.expand(patterns.parse("order.*")) == {
        "order.created",
        "order.updated",
        "order.completed",
        "order.cancelled",
    }
    assert patterns.expand(patterns.parse(" inventory.low , customer.* ")) == {
        "inventory.low",
        "customer.created",
        "customer.updated",
    }
    assert patterns.expand(patterns.parse("order.created,*")) == PUBLIC_EVENTS


@pytest.mark.parametrize(
    "text", ["", ",", "orders.*", "order.", "order*", "*.created", "webhook.test", "category.*"]
)
def test_what_names_no_public_event_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        patterns.parse(text)
