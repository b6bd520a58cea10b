"""The one event envelope: the bus, the Events API, histories and webhooks dump it alike."""

from datetime import UTC, datetime

from libs.common.events import Event, StoredEvent
from libs.contract.catalog import ProductEvent
from libs.contract.events import EventRead

AT = datetime(2024, 1, 15, 10, 30, tzinfo=UTC)


def _stored(metadata: dict[str, object]) -> StoredEvent:
    return StoredEvent(
        position=1,
        id="evt_1",
        stream_id="prod_1",
        version=2,
        type="product.updated",
        data={"id": "prod_1", "price": 4.99},
        organization_id="org_1",
        mode="live",
        occurred_at=AT,
        metadata=metadata,
    )


def test_an_update_names_its_changed_fields_and_other_events_leave_the_key_out() -> None:
    updated = _stored({"changedFields": ["price"]}).envelope().dump()
    assert updated == {
        "id": "evt_1",
        "event": "product.updated",
        "timestamp": "2024-01-15T10:30:00Z",
        "organizationId": "org_1",
        "mode": "live",
        "data": {"id": "prod_1", "price": 4.99},
        "changedFields": ["price"],
    }
    created = _stored({}).envelope().dump()
    assert "changedFields" not in created and created["organizationId"] == "org_1"


def test_what_the_bus_carries_reads_back_as_the_same_event() -> None:
    event = _stored({"changedFields": ["price"]}).envelope()
    assert Event.model_validate(event.dump()) == event
    assert EventRead is Event  # the contract's name for the one envelope


def test_the_document_requires_every_field_but_changed_fields() -> None:
    for model in (Event, ProductEvent):
        schema = model.model_json_schema(mode="serialization")
        assert schema["required"] == ["id", "event", "timestamp", "organizationId", "mode", "data"]
        assert "changedFields" in schema["properties"]
