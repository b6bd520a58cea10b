"""Runs scripts/check-deploy.sh: the rendered Kubernetes manifests, the Dockerfile, the
alerts and the dashboard are checked as a developer and CI would (first run installs the
tools into .venv-deploy from PyPI). The services' settings are loaded with this test's own
interpreter. Set STACKNEX_SKIP_DEPLOY_CHECKS=1 to skip it.

Then the dashboard's place in the manifests, on each rendering, read directly: who may
reach it and whom it may reach (with deploy/checks/validate.py's policy evaluation), no
Ingress path to the gateway's internal API, and its keys."""

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
KUSTOMIZATIONS = ["base", "overlays/dev", "overlays/production"]


@pytest.mark.deploy
@pytest.mark.timeout(900)
@pytest.mark.skipif(
    os.environ.get("STACKNEX_SKIP_DEPLOY_CHECKS") == "1",
    reason="STACKNEX_SKIP_DEPLOY_CHECKS=1",
)
def test_check_deploy_script_passes() -> None:
    result = subprocess.run(
        ["bash", "scripts/check-deploy.sh"],
        cwd=ROOT,
        env={**os.environ, "STACKNEX_PYTHON": sys.executable},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=880,
        check=False,
    )
    assert result.returncode == 0, "scripts/check-deploy.sh failed:\n" + result.stdout[-20000:]


@pytest.fixture(scope="module")
def validate() -> ModuleType:
    spec = importlib.util.spec_from_file_location("validate", ROOT / "deploy/checks/validate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def kubectl() -> str | None:
    """The pinned kubectl check-deploy.sh installs, else one on PATH."""
    pinned = ROOT / ".venv-deploy/bin/kubectl"
    return str(pinned) if pinned.exists() else shutil.which("kubectl")


@pytest.fixture(scope="module", params=KUSTOMIZATIONS)
def docs(request: pytest.FixtureRequest) -> list[dict[str, Any]]:
    tool = kubectl()
    if tool is None:
        pytest.skip("no kubectl (scripts/check-deploy.sh installs one into .venv-deploy)")
    rendered = subprocess.run(
        [tool, "kustomize", f"deploy/k8s/{request.param}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    return [d for d in yaml.safe_load_all(rendered) if d]


def one(docs: list[dict[str, Any]], kind: str, name: str) -> dict[str, Any]:
    (doc,) = [d for d in docs if d["kind"] == kind and d["metadata"]["name"] == name]
    return doc


def pod(docs: list[dict[str, Any]], name: str) -> dict[str, Any]:
    """A pod of `name` as validate.allowed() takes it: "ns:X" is any pod of namespace X."""
    if name.startswith("ns:"):
        return {"ns": name[3:], "labels": {}}
    if name == "postgres":
        return {"ns": "stacknex", "labels": {"cnpg.io/cluster": "stacknex-postgres"}}
    if name == "rabbitmq":
        labels = {"app.kubernetes.io/name": "stacknex-rabbitmq"}
        return {"ns": "stacknex", "labels": labels}
    if name == "migrate":
        (job,) = [d for d in docs if d["kind"] == "Job"]
        return {"ns": "stacknex", "labels": job["spec"]["template"]["metadata"]["labels"]}
    deployment = one(docs, "Deployment", f"stacknex-{name}")
    return {"ns": "stacknex", "labels": deployment["spec"]["template"]["metadata"]["labels"]}


def reaches(
    validate: ModuleType, docs: list[dict[str, Any]], src: str, dst: str, port: int
) -> bool:
    policies = [d for d in docs if d["kind"] == "NetworkPolicy"]
    return validate.allowed(policies, pod(docs, src), pod(docs, dst), port, "TCP")


@pytest.mark.deploy
def test_only_the_gateway_reaches_the_dashboards_pages_and_only_monitoring_its_ops_port(
    validate: ModuleType, docs: list[dict[str, Any]]
) -> None:
    assert reaches(validate, docs, "gateway", "dashboard", 8105)
    assert reaches(validate, docs, "ns:monitoring", "dashboard", 9105)
    others = ["ns:ingress-nginx", "ns:default", "catalog", "orders", "inventory", "webhooks"]
    for src in [*others, "migrate"]:
        assert not reaches(validate, docs, src, "dashboard", 8105), src
        assert not reaches(validate, docs, src, "dashboard", 9105), src
    assert not reaches(validate, docs, "ns:monitoring", "dashboard", 8105)
    assert not reaches(validate, docs, "gateway", "dashboard", 9105)


@pytest.mark.deploy
def test_dashboard_reaches_only_the_gateways_plain_port_and_webhooks(
    validate: ModuleType, docs: list[dict[str, Any]]
) -> None:
    assert reaches(validate, docs, "dashboard", "gateway", 8080)
    assert reaches(validate, docs, "dashboard", "webhooks", 8104)
    closed = [
        ("gateway", 8443),
        ("gateway", 9080),
        ("webhooks", 9104),
        ("catalog", 8101),
        ("orders", 8102),
        ("inventory", 8103),
        ("postgres", 5432),
        ("rabbitmq", 5672),
        ("redis", 6379),
        ("ns:default", 443),
    ]
    for dst, port in closed:
        assert not reaches(validate, docs, "dashboard", dst, port), (dst, port)


@pytest.mark.deploy
def test_no_ingress_path_routes_the_internal_api(
    validate: ModuleType, docs: list[dict[str, Any]]
) -> None:
    ingress = one(docs, "Ingress", "stacknex-gateway")
    paths = [p for rule in ingress["spec"]["rules"] for p in rule["http"]["paths"]]

    def routed(request_path: str) -> bool:
        return any(validate.ingress_path_matches(p, request_path) for p in paths)

    for public in [
        "/api/v1/orders",
        "/api/v1/openapi.json",
        "/reference",
        "/dashboard",
        "/dashboard/sign-in",
        "/dashboard/static/dashboard.css",
    ]:
        assert routed(public), public
    for internal in ["/internal", "/internal/v1/sessions", "/", "/dashboardx", "/metrics"]:
        assert not routed(internal), internal
    # ... and the validator would catch a catch-all path coming back.
    report = validate.Report()
    catch_all = {"path": "/", "pathType": "Prefix", "backend": paths[0]["backend"]}
    spec = {**ingress["spec"], "rules": [{"http": {"paths": [*paths, catch_all]}}]}
    validate.check_ingress(report, "Ingress", {**ingress, "spec": spec})
    assert any("/internal/" in failure for failure in report.failures)


@pytest.mark.deploy
def test_dashboard_mounts_its_own_signing_key_and_every_public_key(
    docs: list[dict[str, Any]],
) -> None:
    spec = one(docs, "Deployment", "stacknex-dashboard")["spec"]["template"]["spec"]
    volumes = {v["name"]: v.get("secret", {}).get("secretName") for v in spec["volumes"]}
    assert volumes["signing-key"] == "stacknex-dashboard-signing-key"
    assert volumes["public-keys"] == "stacknex-public-keys"
    assert [s for s in volumes.values() if s and s.endswith("-signing-key")] == [
        "stacknex-dashboard-signing-key"
    ]
    mounts = {m["name"]: m for m in spec["containers"][0]["volumeMounts"]}
    assert mounts["signing-key"]["mountPath"] == "/etc/stacknex/signing"
    assert mounts["public-keys"]["mountPath"] == "/etc/stacknex/public-keys"
    assert mounts["signing-key"]["readOnly"] and mounts["public-keys"]["readOnly"]

    example = [
        d
        for d in yaml.safe_load_all((ROOT / "deploy/k8s/base/secret.example.yaml").read_text())
        if d
    ]
    names = {s["metadata"]["name"]: s for s in example}
    assert "key.pem" in names["stacknex-dashboard-signing-key"]["stringData"]
    # The gateway and webhooks verify the dashboard's identity with its public key.
    assert "dashboard.pem" in names["stacknex-public-keys"]["stringData"]


@pytest.mark.deploy
def test_dashboard_gets_no_database_or_broker_credentials(docs: list[dict[str, Any]]) -> None:
    spec = one(docs, "Deployment", "stacknex-dashboard")["spec"]["template"]["spec"]
    env = {var["name"] for var in spec["containers"][0].get("env", [])}
    assert not env & {"STACKNEX_DATABASE_URL", "STACKNEX_AMQP_URL", "STACKNEX_GATEWAY_REDIS_URL"}
    config = one(docs, "ConfigMap", "stacknex-config")["data"]
    assert config["STACKNEX_DASHBOARD_URL"] == "http://stacknex-dashboard:8105"
    assert config["STACKNEX_GATEWAY_URL"] == "http://stacknex-gateway:8080"
