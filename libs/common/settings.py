"""Settings base: one pydantic-settings class per service, each with its own env prefix.

A field is read from `STACKNEX_<SERVICE>_<FIELD>` first and then from `STACKNEX_<FIELD>`,
so a deployment sets the shared DSNs once and overrides per service only what differs.
"""

from pathlib import Path
from typing import Annotated, Literal

from pydantic import AmqpDsn, AnyHttpUrl, Field, PostgresDsn, SecretStr, model_validator
from pydantic_settings import (
    BaseSettings,
    EnvSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

from libs.common.keys import LOCAL_KEYS_DIR, PUBLIC_DIR, private_key_path
from libs.common.sealing import parse_keys

SHARED_PREFIX = "STACKNEX_"
Port = Annotated[int, Field(ge=0, le=65535)]
# A valid Fernet key for local development only; refused in production.
DEV_IDEMPOTENCY_RECORDS_KEY = "ZGV2LW9ubHktaWRlbXBvdGVuY3ktcmVjb3Jkcy1rZXk="


class ServiceSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix=SHARED_PREFIX, extra="ignore", frozen=True)

    service_name: str = "service"
    environment: Literal["local", "test", "production"] = "local"
    host: str = "127.0.0.1"
    port: Port = 8000
    # The operational listener (`/healthz`, `/readyz`, `/metrics`), plain HTTP on a port of
    # its own, so the public/API port never serves them; in a cluster it binds 0.0.0.0 and a
    # NetworkPolicy lets only the kubelet and the monitoring namespace reach it.
    ops_host: str = "127.0.0.1"
    ops_port: Port = 9000
    log_level: str = "INFO"
    database_url: PostgresDsn = PostgresDsn("postgresql://postgres@127.0.0.1:5432/stacknex")
    database_pool_size: int = Field(10, ge=1, le=200)
    amqp_url: AmqpDsn = AmqpDsn("amqp://guest:guest@127.0.0.1:5672/stacknex")
    events_exchange: str = "stacknex.events"
    # This service's Ed25519 private key (PEM), which signs the identities it sends, and the
    # directory of the services' public keys, which verify those it receives (keys.py).
    # Unset, they are .run/keys/<service>.key and .run/keys/public, which `make run`
    # generates; production refuses to start without both set.
    signing_key_file: Path | None = None
    public_keys_dir: Path | None = None
    # Seals the responses stored behind Idempotency-Key (one may carry a secret, e.g. a new
    # webhook signing secret). Per service (`STACKNEX_<SERVICE>_IDEMPOTENCY_RECORDS_KEY`) or
    # shared; comma-separated Fernet keys, newest first, to rotate (libs/common/sealing.py).
    idempotency_records_key: SecretStr = SecretStr(DEV_IDEMPOTENCY_RECORDS_KEY)
    # Where the other services answer: the gateway forwards to them, and domain services
    # ask each other what must be known synchronously (a product's price at sale time).
    catalog_url: AnyHttpUrl = AnyHttpUrl("http://127.0.0.1:8101")
    orders_url: AnyHttpUrl = AnyHttpUrl("http://127.0.0.1:8102")
    inventory_url: AnyHttpUrl = AnyHttpUrl("http://127.0.0.1:8103")
    webhooks_url: AnyHttpUrl = AnyHttpUrl("http://127.0.0.1:8104")
    # The merchant's Settings → Developers pages, which the gateway serves under /dashboard/;
    # the dashboard asks the gateway (keys, members, sessions, the request log) here.
    dashboard_url: AnyHttpUrl = AnyHttpUrl("http://127.0.0.1:8105")
    gateway_url: AnyHttpUrl = AnyHttpUrl("http://127.0.0.1:8080")
    # An idle connection, or one that has not finished sending a request's head, is closed
    # after this long: slowloris-style clients cannot pin connections (and descriptors).
    keepalive_timeout: float = Field(15.0, gt=0)
    # Longer than the slowest in-flight request or message, shorter than Kubernetes'
    # default 30 s termination grace period.
    shutdown_timeout: float = Field(20.0, gt=0)
    # Retention (libs/common/retention.py, docs/operations.md "Retention"): a purge at start
    # and then hourly, in batches of 5000 rows (tens of milliseconds of locks each).
    retention_interval: float = Field(3600.0, gt=0)
    retention_batch_size: int = Field(5000, ge=1, le=100_000)
    # A consumer's dedupe rows must outlive every way an event it applied can come again: a
    # redelivery after a crash between commit and ack (seconds), the outbox re-publishing a
    # batch whose delete was lost (when the next publisher starts: seconds with a standby,
    # days if the producing service was down that long), an operator moving messages back
    # from a dead-letter queue. 14 days covers an outage over a long weekend with a week of
    # margin; a row costs ~100 bytes per event and consumer. At least 2 days.
    processed_events_retention_days: int = Field(14, ge=2)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        shared = EnvSettingsSource(settings_cls, env_prefix=SHARED_PREFIX)
        return init_settings, env_settings, shared, file_secret_settings

    @model_validator(mode="after")
    def _keys_configured_in_production(self) -> "ServiceSettings":
        # No local default in production: a missing mount must stop the process, not
        # fall back to whatever lies in the working directory.
        if self.environment == "production":
            missing = [
                name
                for name in ("signing_key_file", "public_keys_dir")
                if getattr(self, name) is None
            ]
            if missing:
                raise ValueError(f"{' and '.join(missing)} must be set in production")
        return self

    @model_validator(mode="after")
    def _real_records_key(self) -> "ServiceSettings":
        keys = self.idempotency_records_key.get_secret_value()
        try:
            parse_keys(keys)
        except ValueError:
            raise ValueError(
                "idempotency_records_key must be Fernet keys, comma-separated"
            ) from None
        if self.environment == "production" and DEV_IDEMPOTENCY_RECORDS_KEY in keys:
            raise ValueError("idempotency_records_key must be set to a real key in production")
        return self

    @property
    def signing_key_path(self) -> Path:
        return self.signing_key_file or private_key_path(LOCAL_KEYS_DIR, self.service_name)

    @property
    def public_keys_path(self) -> Path:
        return self.public_keys_dir or LOCAL_KEYS_DIR / PUBLIC_DIR

    def service_url(self, service: str) -> str:
        url: AnyHttpUrl = getattr(self, f"{service}_url")
        return str(url).rstrip("/")

    @property
    def readiness_url(self) -> str:
        """Where the local supervisor and tests ask whether this service is ready."""
        host = "127.0.0.1" if self.ops_host in ("", "0.0.0.0", "::") else self.ops_host
        return f"http://{host}:{self.ops_port}/readyz"

    @property
    def db_schema(self) -> str:
        """Each service owns one PostgreSQL schema, named after it."""
        return self.service_name
