"""Every public route, its owning service and the scope each method needs, as the gateway
looks them up: the contract's route table grouped by path."""

from dataclasses import dataclass

from libs.contract.routes import OPERATIONS


@dataclass(frozen=True)
class Route:
    path: str  # aiohttp template; also the `route` label of the metrics
    service: str
    scopes: dict[str, str]  # method -> required scope
    # The response is a stream (server-sent events): proxied as it comes, with no total time.
    stream: bool = False


def _routes() -> list[Route]:
    by_path: dict[str, Route] = {}
    for op in OPERATIONS:
        stream = op.content_type == "text/event-stream"
        route = by_path.setdefault(op.path, Route(op.path, op.service, {}, stream=stream))
        route.scopes[op.method] = op.scope
    return list(by_path.values())


# Derived from the contract's route table (libs/contract/routes.py), never kept by hand.
ROUTES: list[Route] = _routes()

UPSTREAMS = ("catalog", "orders", "inventory", "webhooks")
