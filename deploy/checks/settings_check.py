"""Loads every service's settings from the environment its Kubernetes container gets.

Run by scripts/check-deploy.sh with the project's own interpreter (the one that has
StackNex's dependencies), on the JSON that deploy/checks/validate.py writes with --env-out:
the ConfigMap plus the Secret keys each Deployment (and the migration Job) references,
taken from secret.example.yaml.

  1. With the example's REPLACE_ME placeholders as they are, a production process must
     refuse to start (its settings, or its keys from the files its Secret volumes hold):
     the example can never run by accident.
  2. With the placeholders replaced by well-formed values (real Ed25519 keys for the key
     files), every service's Settings must load, with the ports, bind address, the other
     services' URLs, trusted proxies, certificate and key paths the manifests intend, and
     its keyring must load from the files mounted there (its own private key, every
     service's public key); and `stacknex migrate` (which loads every service's settings)
     must load them all from the Job's environment.

Standard library and the project only. Exit status 1 when anything failed.
"""

from __future__ import annotations

import base64
import importlib
import json
import os
import re
import secrets
import sys
import tempfile
from pathlib import Path
from typing import Any

from cli.keys import generate
from libs.common.keys import KeyMaterialError, load_keyring, private_key_path, public_key_path

EXPECTED_PORTS = {
    "gateway": 8080,
    "catalog": 8101,
    "orders": 8102,
    "inventory": 8103,
    "webhooks": 8104,
    "dashboard": 8105,
}
EXPECTED_OPS_PORTS = {
    "gateway": 9080,
    "catalog": 9101,
    "orders": 9102,
    "inventory": 9103,
    "webhooks": 9104,
    "dashboard": 9105,
}
# No database, no broker: their containers get neither DSN.
STATELESS = {"dashboard"}
# Well-formed stand-ins for the placeholders, key by key.
FILLERS = {
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


def fill_files(files: dict[str, Any], keys: Path) -> dict[str, str]:
    """Contents for the mounted files: real keys where the example has placeholders, by the
    Secret they come from (`stacknex-<svc>-signing-key`: svc's private key; in
    `stacknex-public-keys`, `<svc>.pem`: svc's public key), so a Deployment that mounts
    another service's key fails to start here as it would in the cluster."""
    out = {}
    for path, source in files.items():
        value = source["value"]
        signing = re.fullmatch(r"stacknex-([a-z]+)-signing-key", source["secret"])
        if "REPLACE_ME" in value and signing:
            value = private_key_path(keys, signing.group(1)).read_text()
        elif "REPLACE_ME" in value and source["secret"] == "stacknex-public-keys":
            value = public_key_path(keys, source["key"].removesuffix(".pem")).read_text()
        out[path] = value
    return out


def start(service: str, env: dict[str, str], files: dict[str, Any]) -> Any:
    """What a process of `service` does first: load its settings, then its keys (from
    `files` laid out under a temporary root, as the pod's volumes lay them out)."""
    settings = load(service, env)
    with tempfile.TemporaryDirectory() as root:
        for path, content in files.items():
            target = Path(root) / path.lstrip("/")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content if isinstance(content, str) else content["value"])
        load_keyring(
            service=service,
            signing_key_file=Path(root) / str(settings.signing_key_path).lstrip("/"),
            public_keys_dir=Path(root) / str(settings.public_keys_path).lstrip("/"),
        )
    return settings


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

    keys = Path(tempfile.mkdtemp(prefix="stacknex-check-keys-"))
    generate(keys, EXPECTED_PORTS)
    for service, env in envs["services"].items():
        files = envs["files"][service]
        try:
            start(service, env, files)
            failures.append(f"{service}: starts in production with the example's placeholders")
        except (ValueError, KeyMaterialError):
            pass  # pydantic's ValidationError, or keys that are no keys: refused, as it must be

        try:
            settings = start(service, fill(env), fill_files(files, keys))
        except (ValueError, KeyMaterialError) as exc:
            failures.append(
                f"{service}: settings do not load from its container's environment: {exc}"
            )
            continue
        expect(settings.environment == "production", f"{service}: environment is not production")
        expect(settings.host == "0.0.0.0", f"{service}: does not bind 0.0.0.0")
        expect(settings.port == EXPECTED_PORTS[service], f"{service}: port {settings.port}")
        expect(
            settings.ops_port == EXPECTED_OPS_PORTS[service],
            f"{service}: ops_port {settings.ops_port}",
        )
        expect(settings.ops_host == "0.0.0.0", f"{service}: ops listener does not bind 0.0.0.0")
        expect(
            settings.shutdown_timeout + 5 < 40,
            f"{service}: shutdown_timeout does not fit the grace period",
        )
        if service not in STATELESS:
            expect(
                str(settings.database_url).startswith("postgresql://"), f"{service}: database_url"
            )
            expect(str(settings.amqp_url).startswith("amqp://"), f"{service}: amqp_url")
        else:
            given = sorted({"STACKNEX_DATABASE_URL", "STACKNEX_AMQP_URL"} & env.keys())
            expect(not given, f"{service}: gets {given}, but uses no database and no broker")
        expect(
            str(settings.signing_key_path) == "/etc/stacknex/signing/key.pem",
            f"{service}: signing_key_file",
        )
        expect(
            str(settings.public_keys_path) == "/etc/stacknex/public-keys",
            f"{service}: public_keys_dir",
        )
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
            expect(
                settings.client_address_header == "X-Forwarded-For",
                "gateway: client_address_header is not X-Forwarded-For (behind ingress-nginx)",
            )
        if service == "webhooks":
            expect(
                settings.allowed_private_networks == [],
                "webhooks: deliveries may reach private networks",
            )
            expect(
                settings.connect_timeout < settings.delivery_timeout
                and settings.read_timeout <= settings.delivery_timeout,
                "webhooks: connect/read timeouts do not fit within the delivery timeout",
            )
        # Where the gateway routes, where orders and inventory call each other, and where
        # the dashboard finds the gateway's internal API (its plain port).
        for other, port in EXPECTED_PORTS.items():
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
