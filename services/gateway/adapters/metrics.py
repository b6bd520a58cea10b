"""The gateway's own metrics, on the app's registry beside the common ones."""

from aiohttp import web
from prometheus_client import Counter

from libs.common.metrics import Metrics


class GatewayMetrics:
    def __init__(self, base: Metrics) -> None:
        registry, ns = base.registry, "stacknex_gateway"
        self.requests = Counter(
            "requests",
            "API requests by route template, status and plan",
            ["route", "status", "plan"],
            registry=registry,
            namespace=ns,
        )
        self.rate_limited = Counter(
            "rate_limited", "Requests refused with 429", ["plan"], registry=registry, namespace=ns
        )
        self.auth_failures = Counter(
            "auth_failures",
            "Refused credentials by reason",
            ["reason"],
            registry=registry,
            namespace=ns,
        )
        self.key_lookups = Counter(
            "key_lookups",
            "API key lookups that reached PostgreSQL (cache misses), by result",
            ["result"],
            registry=registry,
            namespace=ns,
        )
        self.auth_throttled = Counter(
            "auth_throttled",
            "Requests refused with 429 for an address's failed authentications",
            registry=registry,
            namespace=ns,
        )
        self.auth_throttle_unavailable = Counter(
            "auth_throttle_unavailable",
            "Failed-authentication counts skipped without Redis (the throttle fails open)",
            registry=registry,
            namespace=ns,
        )
        self.upstream_errors = Counter(
            "upstream_errors",
            "Upstream services unreachable or timing out",
            ["service"],
            registry=registry,
            namespace=ns,
        )
        self.limiter_unavailable = Counter(
            "rate_limiter_unavailable",
            "Requests decided without Redis (fail-open or closed)",
            ["mode"],
            registry=registry,
            namespace=ns,
        )
        self.request_log_written = Counter(
            "request_log_written",
            "Request log rows written to PostgreSQL",
            registry=registry,
            namespace=ns,
        )
        # `requests`' children by label values: `labels()` takes a lock and builds its key on
        # every call, and the gateway counts every request. Bounded as the labels are (route
        # templates x statuses x plans).
        self._request_children: dict[tuple[str, str, str], Counter] = {}
        self.request_log_dropped = Counter(
            "request_log_dropped",
            "Request log rows dropped: buffer full (overflow) or the batch refused (write_failed)",
            ["reason"],
            registry=registry,
            namespace=ns,
        )

    def count_request(self, route: str, status: str, plan: str) -> None:
        labels = (route, status, plan)
        child = self._request_children.get(labels)
        if child is None:
            child = self._request_children[labels] = self.requests.labels(*labels)
        child.inc()


GATEWAY_METRICS = web.AppKey("gateway_metrics", GatewayMetrics)
