from ipaddress import IPv4Network, IPv6Network
from pathlib import Path
from typing import Literal

from aiohttp import web
from pydantic import Field, HttpUrl, RedisDsn
from pydantic_settings import SettingsConfigDict

from libs.common.settings import Port, ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="STACKNEX_GATEWAY_")

    service_name: str = "gateway"
    # Plain HTTP: refuses everything with 403 HTTPS_REQUIRED, except a trusted proxy's
    # requests marked `X-Forwarded-Proto: https` (TLS ended at the Kubernetes ingress).
    port: Port = 8080
    tls_port: Port = 8443
    ops_port: Port = 9080
    tls_cert_file: Path = Path(".run/tls/cert.pem")
    tls_key_file: Path = Path(".run/tls/key.pem")
    trusted_proxies: list[IPv4Network | IPv6Network] = Field(default_factory=list)
    # The header a trusted proxy names the client in (`X-Forwarded-For`), read only when the
    # peer is one of `trusted_proxies`; unset, the client is the peer address.
    client_address_header: str | None = None
    # Failed authentications (unknown, revoked, expired keys) an address may make per window
    # before a request that would need a database query is answered 429. 30 a minute: far
    # above a person retrying a mistyped key, and it caps one address at half a PostgreSQL
    # lookup per second (keys this replica has cached keep working: they cost no query).
    auth_failure_limit: int = Field(30, ge=1)
    auth_failure_window: float = Field(60.0, gt=0, le=3600)
    # Shared by every gateway replica: rate limits must hold across all of them.
    redis_url: RedisDsn = RedisDsn("redis://127.0.0.1:6379/0")
    # open: admit requests (warning log, metric) while Redis is down; closed: answer 503.
    rate_limit_failure_mode: Literal["open", "closed"] = "open"
    # 10 s: above the slowest legitimate write (an order with many lines under load), well
    # below a client's patience; an upstream that is down fails in `upstream_connect_timeout`.
    upstream_timeout: float = Field(10.0, gt=0)
    upstream_connect_timeout: float = Field(2.0, gt=0)
    # A streamed response (server-sent events) has no total timeout; silence this long from
    # the upstream ends it: four of the event stream's 15 s heartbeats missed.
    stream_read_timeout: float = Field(60.0, gt=0)
    # Streams proxied at once by this replica: each holds an upstream connection for as long
    # as it lasts, and 256 leaves half the pool's 512 to every other request.
    stream_limit: int = Field(256, ge=1)
    # A client has this long to send a request's body (at most 1 MiB) once its head arrived.
    body_timeout: float = Field(30.0, gt=0)
    # Members and the dashboard (docs/architecture.md: Members and sessions). The public
    # address of the gateway, as an invite link names it.
    public_url: HttpUrl = HttpUrl("https://127.0.0.1:8443")
    # A session ends after this long without a request (30 min) and this long after sign-in
    # whatever happens (12 h: a working day), the OWASP session guidance for a console that
    # manages live keys.
    session_idle_timeout: float = Field(30 * 60.0, gt=0)
    session_absolute_timeout: float = Field(12 * 3600.0, gt=0)
    # Failed sign-ins before 429, per email (5 in 15 min: a person mistyping, not a guesser)
    # and per client address (20 in 15 min: an office behind one address, not a spray).
    signin_email_limit: int = Field(5, ge=1)
    signin_address_limit: int = Field(20, ge=1)
    signin_window: float = Field(15 * 60.0, gt=0, le=24 * 3600)
    # How often each replica writes the "last used" times its keys noted (adapters/
    # key_usage.py): 30 s keeps the dashboard's column fresh enough to tell a key in use
    # from a forgotten one, at one statement per replica per interval.
    key_usage_flush_interval: float = Field(30.0, gt=0, le=3600)
    # The request log (adapters/request_log.py). Off only for the bench's comparison.
    request_log_enabled: bool = True
    # Rows waiting for the writer: 50,000 is 50 s of 1,000 req/s while PostgreSQL is away,
    # about 10 MB of tuples; beyond it the oldest go (a metric counts them).
    request_log_buffer: int = Field(50_000, ge=1_000)
    # Kept per organization and mode: at least the last 24 h AND at least the newest 10,000
    # (issue 14); a row goes only when it is older than the one and outside the other.
    request_log_keep_seconds: float = Field(24 * 3600.0, ge=3600)
    request_log_keep_rows: int = Field(10_000, ge=1)


# The service's own settings, typed: `app[SETTINGS]` (libs/common) holds the same object as
# the common base class.
GATEWAY_SETTINGS = web.AppKey("gateway_settings", Settings)
