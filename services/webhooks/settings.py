from ipaddress import IPv4Network, IPv6Network
from typing import Literal

from aiohttp import web
from pydantic import Field, SecretStr, model_validator
from pydantic_settings import SettingsConfigDict

from libs.common.settings import Port, ServiceSettings
from services.webhooks.domain.schedule import STANDARD

# A valid Fernet key for local development only; refused in production.
DEV_SECRETS_KEY = "ZGV2LW9ubHktd2ViaG9vay1zZWNyZXRzLWtleS0wMDA="


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="STACKNEX_WEBHOOKS_")

    service_name: str = "webhooks"
    port: Port = 8104
    ops_port: Port = 9104
    # all: the API and the delivery workers in one process; api or worker: one of them, so
    # that Kubernetes can scale the workers on their own.
    role: Literal["all", "api", "worker"] = "all"
    secrets_key: SecretStr = SecretStr(DEV_SECRETS_KEY)
    # The whole attempt, connect to the last byte read: a receiver has 15 s to answer (the
    # documented timeout); a body dripped or never ended stops at this deadline.
    delivery_timeout: float = Field(15.0, gt=0)
    # TCP and TLS: 5 s is ten round trips of a slow intercontinental path (~300 ms) with a
    # retransmitted SYN (Linux waits 1 s) to spare; a black-holed address then frees its
    # slot after 5 s, not 15.
    connect_timeout: float = Field(5.0, gt=0)
    # Silence once connected (before the answer's head, or within its body): 10 s.
    read_timeout: float = Field(10.0, gt=0)
    retry_schedule: list[float] = Field(default_factory=lambda: list(STANDARD))
    retry_after_cap: float = Field(3600.0, ge=0)
    disable_after: float = Field(5 * 24 * 3600.0, gt=0)  # failing with no success this long
    endpoint_concurrency: int = Field(10, ge=1)
    worker_concurrency: int = Field(100, ge=1)
    # In flight per organization across the workers: 25, a quarter of a worker's 100 slots,
    # so one organization's slow or black-holed endpoints leave three quarters to the others
    # (and at 50 ms a delivery 25 slots still carry 500 deliveries a second).
    organization_concurrency: int = Field(25, ge=1)
    # Private networks deliveries may reach (env: a JSON list, e.g. ["127.0.0.0/8",
    # "::1/128"] for local development), and the only ones plain http may reach. Link-local
    # and cloud metadata addresses are refused whatever this says (domain/targets.py).
    allowed_private_networks: list[IPv4Network | IPv6Network] = Field(default_factory=list)
    poll_interval: float = Field(1.0, gt=0)
    # The Events API promises 30 days (CONVENTIONS); an event a delivery still refers to is
    # kept as long as that delivery (a retry must find its bytes).
    events_retention_days: int = Field(30, ge=30)
    # Succeeded and failed deliveries, counted from their last attempt: long enough for a
    # merchant to look one up or `recover` after a month-long outage of their receiver.
    deliveries_retention_days: int = Field(30, ge=1)
    # The attempt log (up to 4 KB of the answer per attempt, the largest of these tables);
    # an attempt never outlives its delivery.
    delivery_attempts_retention_days: int = Field(30, ge=1)

    # The event stream (GET /api/v1/events/stream). A comment line every 15 s keeps proxies
    # and load balancers, which commonly close a connection silent for 30-60 s, from cutting
    # a quiet stream, and lets a client tell a dead connection from a quiet one.
    stream_heartbeat: float = Field(15.0, gt=0)
    # A stream ends after 30 min and the client reconnects with Last-Event-ID: connections
    # spread again over the replicas, and a leaked one does not live for ever.
    stream_max_seconds: float = Field(1800.0, gt=0)
    # Open streams per organization in one process: more than a team's developers listening
    # at once, few enough that a client leaking connections cannot exhaust the service.
    streams_per_organization: int = Field(10, ge=1)

    # Added to the attempt timeout to make the lease: a lease never expires under a live
    # attempt, and a dead worker's delivery is picked up this long after its timeout.
    lease_margin: float = Field(15.0, gt=0)

    @property
    def lease_seconds(self) -> float:
        return self.delivery_timeout + self.lease_margin

    @model_validator(mode="after")
    def _real_key_in_production(self) -> "Settings":
        if self.environment == "production":
            if self.secrets_key.get_secret_value() == DEV_SECRETS_KEY:
                raise ValueError("secrets_key must be set to a real Fernet key in production")
            if any(net.prefixlen == 0 for net in self.allowed_private_networks):
                raise ValueError("allowed_private_networks may not allow every address")
        return self


# The service's own settings, typed: `app[SETTINGS]` (libs/common) holds the same object as
# the common base class.
WEBHOOKS_SETTINGS = web.AppKey("webhooks_settings", Settings)
