"""What the webhooks integration tests share: the service's settings for a test app."""

from pathlib import Path
from typing import Any

from services.webhooks.settings import Settings
from tests.conftest import AMQP_URL, key_settings, unique


def webhooks_settings(database_url: str, keys_dir: Path, **overrides: Any) -> Settings:
    """The webhooks service against the test database and vhost, with its own keys and a
    fresh exchange; `overrides` tune the role, the schedule, the networks allowed."""
    return Settings(
        environment="test",
        database_url=database_url,
        amqp_url=AMQP_URL,
        events_exchange=unique("stacknex.events.wh"),
        **key_settings(keys_dir, "webhooks"),
        **overrides,
    )
