"""Settings base: one pydantic-settings class per service, each with its own env prefix.

A field is read from `STACKNEX_<SERVICE>_<FIELD>` first and then from `STACKNEX_<FIELD>`,
so a deployment sets the shared DSNs once and overrides per service only what differs.
"""

from typing import Annotated, Literal

from pydantic import AmqpDsn, AnyHttpUrl, Field, PostgresDsn, SecretStr, model_validator
from pydantic_settings import (
    BaseSettings,
    EnvSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

from libs.common.sealing import parse_keys

SHARED_PREFIX = "STACKNEX_"
Port = Annotated[int, Field(ge=0, le=65535)]
DEV_INTERNAL_SECRET = "dev-insecure-internal-secret-never-use-in-production"
PLACEHOLDER_SECRETS = frozenset({"", "change-me", DEV_INTERNAL_SECRET})
# A valid Fernet key for local development only; refused in production.
DEV_IDEMPOTENCY_RECORDS_KEY = "ZGV2LW9ubHktaWRlbXBvdGVuY3ktcmVjb3Jkcy1rZXk="


class ServiceSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix=SHARED_PREFIX, extra="ignore", frozen=True)

    service_name: str = "service"
    environment: Literal["local", "test", "production"] = "local"
    host: str = "127.0.0.1"
    port: Port = 8000
    log_level: str = "INFO"
    database_url: PostgresDsn = PostgresDsn("postgresql://postgres@127.0.0.1:5432/stacknex")
    database_pool_size: int = Field(10, ge=1, le=200)
    amqp_url: AmqpDsn = AmqpDsn("amqp://guest:guest@127.0.0.1:5672/stacknex")
    events_exchange: str = "stacknex.events"
    # Signs the identity the gateway hands to the services; refused as a placeholder in production.
    internal_auth_secret: SecretStr = SecretStr(DEV_INTERNAL_SECRET)
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
    # An idle connection, or one that has not finished sending a request's head, is closed
    # after this long: slowloris-style clients cannot pin connections (and descriptors).
    keepalive_timeout: float = Field(15.0, gt=0)
    # Longer than the slowest in-flight request or message, shorter than Kubernetes'
    # default 30 s termination grace period.
    shutdown_timeout: float = Field(20.0, gt=0)

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
    def _no_placeholder_secrets_in_production(self) -> "ServiceSettings":
        if self.environment == "production":
            secret = self.internal_auth_secret.get_secret_value()
            # 32 bytes: the HMAC-SHA256 key length RFC 7518 asks for.
            if secret in PLACEHOLDER_SECRETS or len(secret) < 32:
                raise ValueError(
                    "internal_auth_secret must be a real secret of 32+ characters in production"
                )
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

    def service_url(self, service: str) -> str:
        url: AnyHttpUrl = getattr(self, f"{service}_url")
        return str(url).rstrip("/")

    @property
    def readiness_url(self) -> str:
        """Where the local supervisor and tests ask whether this service is ready."""
        return f"http://127.0.0.1:{self.port}/readyz"

    @property
    def db_schema(self) -> str:
        """Each service owns one PostgreSQL schema, named after it."""
        return self.service_name
