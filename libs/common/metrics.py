"""Prometheus metrics, declared once per process and labelled only by bounded values.

Each app gets its own registry (not the global default) so that tests can build many apps
in one process; the `/metrics` route renders that registry.
"""

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

# Upper buckets reach 10 s because a request may wait on a database failover.
_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class Metrics:
    def __init__(self, service: str) -> None:
        self.registry = CollectorRegistry()
        registry, ns = self.registry, "stacknex"
        self.service = service
        self.http_requests = Counter(
            "http_requests",
            "HTTP requests handled",
            ["method", "route", "status"],
            registry=registry,
            namespace=ns,
        )
        self.http_latency = Histogram(
            "http_request_duration_seconds",
            "HTTP request latency",
            ["method", "route"],
            buckets=_LATENCY_BUCKETS,
            registry=registry,
            namespace=ns,
        )
        self.events_appended = Counter(
            "events_appended",
            "Events appended to the event store",
            ["type"],
            registry=registry,
            namespace=ns,
        )
        self.events_published = Counter(
            "events_published",
            "Events published to the broker",
            ["type"],
            registry=registry,
            namespace=ns,
        )
        self.publish_lag = Gauge(
            "publish_lag_seconds",
            "Age of the oldest stored event not yet confirmed by the broker (0 when none)",
            registry=registry,
            namespace=ns,
        )
        self.outbox_pending = Gauge(
            "outbox_pending",
            "Stored events waiting to be published",
            registry=registry,
            namespace=ns,
        )
        self.publish_latency = Histogram(
            "publish_latency_seconds",
            "Time from an event's commit to the broker's confirm",
            buckets=_LATENCY_BUCKETS,
            registry=registry,
            namespace=ns,
        )
        self.events_consumed = Counter(
            "events_consumed",
            "Events taken from the broker, by outcome",
            ["consumer", "outcome"],
            registry=registry,
            namespace=ns,
        )
        self.events_dead_lettered = Counter(
            "events_dead_lettered",
            "Events sent to the dead-letter queue after repeated failures",
            ["consumer"],
            registry=registry,
            namespace=ns,
        )
        # Retention (libs/common/retention.py); `table` is one of the purged tables.
        self.retention_purged = Counter(
            "retention_purged_rows",
            "Rows deleted by the retention purge, by table",
            ["table"],
            registry=registry,
            namespace=ns,
        )
        self.retention_last_run = Gauge(
            "retention_last_run_timestamp_seconds",
            "When this replica last finished a retention purge of its schema",
            registry=registry,
            namespace=ns,
        )
        self.table_rows = Gauge(
            "table_rows",
            "Approximate rows of each table under retention (pg_class.reltuples)",
            ["table"],
            registry=registry,
            namespace=ns,
        )

    def render(self) -> tuple[bytes, str]:
        return generate_latest(self.registry), CONTENT_TYPE_LATEST
