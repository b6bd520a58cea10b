"""The delivery engine's metrics, on the app's registry."""

from aiohttp import web
from prometheus_client import Counter, Gauge, Histogram

from libs.common.metrics import Metrics

_SECONDS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 15.0, 30.0, 60.0, 300.0, 3600.0)


class WebhookMetrics:
    def __init__(self, base: Metrics) -> None:
        registry, ns = base.registry, "stacknex_webhook"
        self.deliveries = Counter(
            "deliveries",
            "Delivery attempts by outcome (succeeded|retrying|failed) and status class",
            ["outcome", "status_class"],
            registry=registry,
            namespace=ns,
        )
        self.attempt_duration = Histogram(
            "attempt_duration_seconds",
            "Duration of one delivery attempt",
            registry=registry,
            namespace=ns,
            buckets=_SECONDS,
        )
        self.delivery_latency = Histogram(
            "delivery_latency_seconds",
            "Time from an event to its successful delivery",
            registry=registry,
            namespace=ns,
            buckets=_SECONDS,
        )
        self.pending = Gauge(
            "pending_deliveries",
            "Deliveries waiting for an attempt",
            registry=registry,
            namespace=ns,
        )
        self.oldest_pending = Gauge(
            "oldest_pending_delivery_seconds",
            "Age of the oldest pending delivery (0 when none)",
            registry=registry,
            namespace=ns,
        )
        self.endpoints_disabled = Counter(
            "endpoints_disabled",
            "Endpoints disabled by the engine, by reason",
            ["reason"],
            registry=registry,
            namespace=ns,
        )
        self.streams_open = Gauge(
            "event_streams_open",
            "Event streams (GET /api/v1/events/stream) open in this process",
            registry=registry,
            namespace=ns,
        )
        self.low_stock = Counter(
            "inventory_low", "inventory.low events raised", registry=registry, namespace=ns
        )


WEBHOOK_METRICS = web.AppKey("webhook_metrics", WebhookMetrics)
