"""What was done to an organization's webhook endpoints, and by whom: the security history.

Every change of an endpoint is an event of its stream (domain/endpoints.py) and names its
actor in `metadata["actor"]`: the API key (`key_…`), the member through the dashboard
(`mem_…`), or `system` for the platform's own verdict (410 Gone, failing too long).

The actions that change no endpoint (a secret revealed, a test sent, a retry, a recovery)
are private events too, but of a second stream per endpoint (`actions_stream`): appended to
the endpoint's own stream they would raise its version, so a GET of the secret would change
the endpoint's ETag and fail the next `If-Match` of a client that did nothing wrong."""

from typing import Any

from services.webhooks.domain import endpoints

SECRET_REVEALED = "webhook_endpoint.secret_revealed"
TEST_SENT = "webhook_endpoint.test_sent"
DELIVERY_RETRIED = "webhook_endpoint.delivery_retried"
DELIVERIES_RECOVERED = "webhook_endpoint.deliveries_recovered"
ACTIONS = frozenset({SECRET_REVEALED, TEST_SENT, DELIVERY_RETRIED, DELIVERIES_RECOVERED})

# The events whose data is the endpoint after them: the only ones its read model folds.
STATES = frozenset(
    {
        endpoints.ENDPOINT_CREATED,
        endpoints.ENDPOINT_UPDATED,
        endpoints.ENDPOINT_DELETED,
        endpoints.SECRET_ROTATED,
        endpoints.ENDPOINT_DISABLED,
    }
)
# The platform's own actor: the delivery worker disabling an endpoint.
SYSTEM = "system"


def actions_stream(endpoint_id: str) -> str:
    return f"{endpoint_id}:actions"


def summary(kind: str, data: dict[str, Any], metadata: dict[str, Any]) -> str:
    """One line a person reads in the security history."""
    url = data.get("url", "")
    if kind == endpoints.ENDPOINT_CREATED:
        events = data.get("events") or []
        wanted = "all events" if "*" in events else ", ".join(events)
        return f"Created the endpoint {url} for {wanted}."
    if kind == endpoints.ENDPOINT_UPDATED:
        changed = sorted(metadata.get("changedFields") or [])
        if changed == ["enabled"]:
            return f"{'Enabled' if data.get('enabled') else 'Disabled'} the endpoint {url}."
        return f"Changed {', '.join(changed) or 'nothing'} of the endpoint {url}."
    if kind == endpoints.ENDPOINT_DISABLED:
        return f"Disabled the endpoint {url}: {data.get('disabledReason') or 'no reason given'}."
    if kind == endpoints.ENDPOINT_DELETED:
        return f"Deleted the endpoint {url}."
    if kind == endpoints.SECRET_ROTATED:
        return f"Rotated the signing secret of {url}."
    if kind == SECRET_REVEALED:
        return f"Revealed the signing secret of {url}."
    if kind == TEST_SENT:
        return f"Sent a test event to {url}."
    if kind == DELIVERY_RETRIED:
        return f"Retried delivery {data.get('deliveryId')} to {url}."
    if kind == DELIVERIES_RECOVERED:
        return (
            f"Recovered {data.get('requeued', 0)} failed deliveries to {url}"
            f" since {data.get('since')}."
        )
    return kind
