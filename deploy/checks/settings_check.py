"""Loads every service's settings from the environment its Kubernetes container gets.

Run by scripts/check-deploy.sh with the project's own interpreter (the one that has
StackNex's dependencies), on the JSON that deploy/checks/validate.py writes with --env-out:
the ConfigMap plus the Secret keys each Deployment (and the migration Job) references,
taken from secret.example.yaml.

  1. With the example's REPLACE_ME placeholders as they are, a production process must
     refuse to start: the example can never run by accident.
  2. With the placeholders replaced by well-formed values, every service's Settings must
     load, with the ports, bind address, the other services' URLs, trusted proxies and
     certificate paths the manifests intend; and `stacknex migrate` (which loads every service's
     settings) must load them all from the Job's environment.

Standard library and the project only. Exit status 1 when anything failed.
"""

from __future__ import annotations

import base64
import importlib
import json
import os
import secrets
import sys
from pathlib import Path
from typing import Any

EXPECTED_PORTS = {
    "gateway": 8080,
    "catalog": 8101,
    "orders": 8102,
    "inventory": 8103,
    "webhooks": 8104,
}
# Well-formed stand-ins for the placeholders, key by key.
FILLERS = {
    "STACKNEX_INTERNAL_AUTH_SECRET": secrets.token_urlsafe(48),
    # A Fernet key: url-safe base64 of 32 random bytes.
    "STACKNEX_WEBHOOKS_SECRETS_KEY": base64.urlsafe_b64encode(os.urandom(32)).decode(),
    "STACKNEX_IDEMPOTENCY_RECORDS_KEY": base64.urlsafe_b64encode(os.urandom(32)).decode(),
}


def fill(env: dict[str, str]) -> dict[str, str]:
    out = {}
    for key, value in env.items():
        if "REPLACE_ME" in value:
            value = FILLERS.get(key) or value.replace("REPLACE_ME", secrets.token_hex(8))
        out[key] = value
    return out


def load(service: str, env: dict[str, str]) -> Any:
    """Settings of `service` from exactly `env` (nothing else of this process's environment)."""
    settings_cls = importlib.import_module(f"services.{service}.settings").Settings
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        return settings_cls()
    finally:
        os.environ.clear()
        os.environ.update(saved)


def main() -> int:
    envs = json.loads(Path(sys.argv[1]).read_text())
    failures: list[str] = []

    def expect(condition: bool, message: str) -> None:
        if not condition:
            failures.append(message)

    for service, env in envs["services"].items():
        try:
            load(service, env)
            failures.append(f"{service}: starts in production with the example's placeholders")
        except ValueError:
            pass  # pydantic's ValidationError: refused, as it must be

        try:
            settings = load(service, fill(env))
        except ValueError as exc:
            failures.append(
                f"{service}: settings do not load from its container's environment: {exc}"
            )
            continue
        expect(settings.environment == "production", f"{service}: environment is not production")
        expect(settings.host == "0.0.0.0", f"{service}: does not bind 0.0.0.0")
        expect(settings.port == EXPECTED_PORTS[service], f"{service}: port {settings.port}")
        expect(
            settings.shutdown_timeout + 5 < 40,
            f"{service}: shutdown_timeout does not fit the grace period",
        )
        expect(str(settings.database_url).startswith("postgresql://"), f"{service}: database_url")
        expect(str(settings.amqp_url).startswith("amqp://"), f"{service}: amqp_url")
        if service == "gateway":
            expect(settings.tls_port == 8443, "gateway: tls_port is not 8443")
            expect(
                str(settings.tls_cert_file) == "/etc/stacknex/tls/tls.crt", "gateway: tls_cert_file"
            )
            expect(
                str(settings.tls_key_file) == "/etc/stacknex/tls/tls.key", "gateway: tls_key_file"
            )
            expect(len(settings.trusted_proxies) > 0, "gateway: no trusted proxies")
            expect(str(settings.redis_url).startswith("redis://"), "gateway: redis_url")
        # Where the gateway routes, and where orders and inventory call each other.
        for other, port in EXPECTED_PORTS.items():
            if other != "gateway":
                url = settings.service_url(other)
                expect(url == f"http://stacknex-{other}:{port}", f"{service}: {other} is at {url}")
        print(f"settings: {service}: loads from its Deployment's environment")

    job_env = fill(envs["migrate"])
    for service in EXPECTED_PORTS:
        try:
            load(service, job_env)
        except ValueError as exc:
            failures.append(f"migrate Job: {service} settings do not load: {exc}")
    print("settings: the migration Job's environment loads every service's settings")

    for failure in failures:
        print(f"FAIL {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
