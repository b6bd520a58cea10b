"""Every public route, its owning service and the scope each method needs: the one table."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Route:
    path: str  # aiohttp template; also the `route` label of the metrics
    service: str
    scopes: dict[str, str]  # method -> required scope
    # The response is a stream (server-sent events): proxied as it comes, with no total time.
    stream: bool = False


def _crud(
    resource: str,
    service: str,
    *,
    item: tuple[str, ...],
    collection: tuple[str, ...],
    scope: str | None = None,
) -> list[Route]:
    scope = scope or resource
    need = {
        "GET": f"{scope}:read",
        "POST": f"{scope}:write",
        "PUT": f"{scope}:write",
        "PATCH": f"{scope}:write",
        "DELETE": f"{scope}:write",
    }
    return [
        Route(f"/api/v1/{resource}", service, {m: need[m] for m in collection}),
        Route(f"/api/v1/{resource}/{{id}}", service, {m: need[m] for m in item}),
    ]


ROUTES: list[Route] = [
    *_crud(
        "products", "catalog", collection=("GET", "POST"), item=("GET", "PUT", "PATCH", "DELETE")
    ),
    Route("/api/v1/products/{id}/events", "catalog", {"GET": "products:read"}),
    *_crud("categories", "catalog", collection=("GET", "POST"), item=("GET", "PATCH", "DELETE")),
    *_crud("orders", "orders", collection=("GET", "POST"), item=("GET", "PUT", "PATCH")),
    *_crud("customers", "orders", collection=("GET", "POST"), item=("GET", "PUT", "PATCH")),
    *_crud(
        "locations",
        "inventory",
        collection=("GET", "POST"),
        item=("GET", "PATCH"),
        scope="inventory",
    ),
    *_crud("inventory", "inventory", collection=("GET",), item=("GET", "PUT")),
    Route(
        "/api/v1/inventory/{id}/adjustments",
        "inventory",
        {"GET": "inventory:read", "POST": "inventory:write"},
    ),
    *_crud("webhooks", "webhooks", collection=("GET", "POST"), item=("GET", "PATCH", "DELETE")),
    Route("/api/v1/webhooks/{id}/secret", "webhooks", {"GET": "webhooks:read"}),
    Route("/api/v1/webhooks/{id}/rotate-secret", "webhooks", {"POST": "webhooks:write"}),
    Route("/api/v1/webhooks/{id}/test", "webhooks", {"POST": "webhooks:write"}),
    Route("/api/v1/webhooks/{id}/recover", "webhooks", {"POST": "webhooks:write"}),
    Route("/api/v1/webhooks/{id}/deliveries", "webhooks", {"GET": "webhooks:read"}),
    Route("/api/v1/webhooks/{id}/deliveries/{deliveryId}", "webhooks", {"GET": "webhooks:read"}),
    Route(
        "/api/v1/webhooks/{id}/deliveries/{deliveryId}/retry",
        "webhooks",
        {"POST": "webhooks:write"},
    ),
    Route("/api/v1/events", "webhooks", {"GET": "events:read"}),
    # Before /events/{id}, which would otherwise read "stream" as an event id.
    Route("/api/v1/events/stream", "webhooks", {"GET": "events:read"}, stream=True),
    Route("/api/v1/events/{id}", "webhooks", {"GET": "events:read"}),
]

UPSTREAMS = ("catalog", "orders", "inventory", "webhooks")
