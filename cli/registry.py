"""The platform's services by name. Operator tooling only: no service imports another."""

import importlib
from typing import Any

from libs.common.service import ServiceSpec

SERVICES = ("gateway", "catalog", "orders", "inventory", "webhooks", "dashboard")


def load_spec(name: str) -> ServiceSpec[Any]:
    if name not in SERVICES:
        raise SystemExit(f"unknown service {name!r}; choose from: {', '.join(SERVICES)}")
    module = importlib.import_module(f"services.{name}.app")
    spec: ServiceSpec[Any] = module.SERVICE
    return spec


def with_database() -> list[str]:
    """The services that own a PostgreSQL schema (all but the dashboard)."""
    return [name for name in SERVICES if load_spec(name).database]
