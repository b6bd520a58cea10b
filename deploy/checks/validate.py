"""Validates the rendered StackNex manifests; run by scripts/check-deploy.sh.

For each rendered overlay (NAME=FILE):
  * built-in kinds against the Kubernetes OpenAPI schemas of every --k8s-version, strictly
    (unknown fields are errors), with kubernetes-validate;
  * ServiceMonitor, PodMonitor and PrometheusRule against the prometheus-operator models of
    cloudcoil-models-prometheus-operator (types, enums, required fields), plus a check that
    no field was dropped as unknown;
  * RabbitmqCluster and CloudNativePG Cluster: skipped with a note (no registry package ships
    their CRD schemas);
  * the project's own deployment rules (probes, security context, spreading, grace period,
    monitors, alerts with runbooks, Secrets that exist in the example, each service's own
    signing key and no other, who may talk to whom, no Ingress path to the internal API,
    ...).

Also writes, for promtool, the alert rules of the base PrometheusRule (--rules-out) and the
Grafana dashboard's queries as recording rules (--dashboard-rules-out).
Exit status 1 when anything failed.
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

SERVICES = {
    "gateway": 8080,
    "catalog": 8101,
    "orders": 8102,
    "inventory": 8103,
    "webhooks": 8104,
    "dashboard": 8105,
}
# The ops listeners: /healthz, /readyz, /metrics, never on the API ports.
OPS_PORTS = {
    "gateway": 9080,
    "catalog": 9101,
    "orders": 9102,
    "inventory": 9103,
    "webhooks": 9104,
    "dashboard": 9105,
}
HPA_SERVICES = {"gateway", "webhooks"}
# Services with no database and no broker: PostgreSQL and RabbitMQ stay closed to them.
STATELESS_SERVICES = {"dashboard"}
STORING_SERVICES = [svc for svc in SERVICES if svc not in STATELESS_SERVICES]
# The gateway's internal API (the dashboard's backend) on its plain port: never routed by
# the Ingress. A request path of it, to test the Ingress paths against.
INTERNAL_PATH = "/internal/v1/sessions"
PROMETHEUS_OPERATOR_KINDS = {"ServiceMonitor", "PodMonitor", "PrometheusRule"}
# Custom resources no package on PyPI, Debian or npm ships a schema for.
UNVALIDATED_CRDS = {
    ("rabbitmq.com/v1beta1", "RabbitmqCluster"): "RabbitMQ Cluster Operator",
    ("postgresql.cnpg.io/v1", "Cluster"): "CloudNativePG",
}
SEVERITIES = {"critical", "warning"}


class Report:
    def __init__(self) -> None:
        self.failures: list[str] = []
        self.notes: list[str] = []
        self.checked = 0

    def fail(self, where: str, message: str) -> None:
        self.failures.append(f"{where}: {message}")

    def expect(self, condition: bool, where: str, message: str) -> None:
        self.checked += 1
        if not condition:
            self.fail(where, message)


def load_docs(path: Path) -> list[dict[str, Any]]:
    docs = [d for d in yaml.safe_load_all(path.read_text()) if d]
    for doc in docs:
        if not isinstance(doc, dict) or "kind" not in doc or "apiVersion" not in doc:
            raise SystemExit(f"{path}: a document without apiVersion/kind")
    return docs


def ident(doc: dict[str, Any]) -> str:
    return f"{doc['kind']}/{doc.get('metadata', {}).get('name', '?')}"


# ---- schemas ----------------------------------------------------------------------------


def unknown_keys(given: Any, kept: Any, path: str = "") -> Iterator[str]:
    """Paths present in `given` but dropped by a model round trip (unknown fields)."""
    if isinstance(given, dict) and isinstance(kept, dict):
        for key, value in given.items():
            if key not in kept:
                yield f"{path}.{key}".lstrip(".")
            else:
                yield from unknown_keys(value, kept[key], f"{path}.{key}")
    elif isinstance(given, list) and isinstance(kept, list):
        for i, (a, b) in enumerate(zip(given, kept, strict=False)):
            yield from unknown_keys(a, b, f"{path}[{i}]")


def kubernetes_errors(doc: dict[str, Any], version: str) -> list[str] | None:
    """Every strict-schema error of `doc` (kubernetes-validate's schemas), None without a
    schema. kubernetes_validate.validate() stops at the first error; this reports all."""
    import jsonschema
    from kubernetes_validate import utils
    from referencing import Registry, Resource

    api = re.sub(r"^([^./]*)(?:\.[^/]*)?/", r"\1-", doc["apiVersion"])
    schema_dir = f"v{version}-local-strict"
    try:
        schema = utils.schema_contents(
            f"kubernetes-json-schema/{schema_dir}/{doc['kind'].lower()}-{api}.json", version
        )
    except FileNotFoundError:
        return None
    defs = utils.schema_contents(f"kubernetes-json-schema/{schema_dir}/_definitions.json", version)
    registry = Resource.from_contents(defs) @ (Resource.from_contents(schema) @ Registry())
    validator = jsonschema.validators.Draft202012Validator(schema, registry=registry)
    return [
        f"{'.'.join(str(p) for p in e.absolute_path) or '(root)'}: {e.message}"
        for e in sorted(validator.iter_errors(doc), key=lambda e: list(map(str, e.absolute_path)))
    ]


def validate_schemas(
    report: Report, label: str, docs: list[dict[str, Any]], versions: list[str]
) -> None:
    import pydantic
    from cloudcoil.models.prometheus_operator import v1 as monitoring
    from kubernetes_validate import utils

    available = {utils.major_minor(v) for v in utils.all_versions()}
    for version in versions:
        if utils.major_minor(version) not in available:
            raise SystemExit(f"kubernetes-validate has no schemas for Kubernetes {version}")
    for doc in docs:
        where = f"{label} {ident(doc)}"
        key = (doc["apiVersion"], doc["kind"])
        if key in UNVALIDATED_CRDS:
            report.notes.append(
                f"{where}: schema check SKIPPED (no {UNVALIDATED_CRDS[key]} CRD schema is "
                "available from PyPI, Debian or npm); the deployment rules still apply"
            )
            continue
        if (
            doc["apiVersion"] == "monitoring.coreos.com/v1"
            and doc["kind"] in PROMETHEUS_OPERATOR_KINDS
        ):
            model = getattr(monitoring, doc["kind"])
            report.checked += 1
            try:
                parsed = model.model_validate(doc)
            except pydantic.ValidationError as exc:
                for err in exc.errors():
                    at = ".".join(str(p) for p in err["loc"])
                    report.fail(where, f"prometheus-operator schema: {at}: {err['msg']}")
                continue
            kept = parsed.model_dump(by_alias=True, exclude_unset=True, mode="json")
            for unknown in unknown_keys(doc, kept):
                report.fail(where, f"prometheus-operator schema: unknown field {unknown}")
            continue
        for version in versions:
            report.checked += 1
            errors = kubernetes_errors(doc, version)
            if errors is None:
                report.fail(
                    where, f"no Kubernetes {version} schema for {doc['apiVersion']} {doc['kind']}"
                )
                continue
            for error in errors:
                report.fail(where, f"Kubernetes {version} schema: {error}")


# ---- deployment rules -------------------------------------------------------------------


def by_kind(docs: list[dict[str, Any]], kind: str) -> dict[str, dict[str, Any]]:
    return {d["metadata"]["name"]: d for d in docs if d["kind"] == kind}


def probe_ok(probe: dict[str, Any] | None, path: str, port: str, scheme: str) -> bool:
    if not probe or "httpGet" not in probe:
        return False
    get = probe["httpGet"]
    return (
        get.get("path") == path and get.get("port") == port and get.get("scheme", "HTTP") == scheme
    )


def check_pod_security(report: Report, where: str, pod: dict[str, Any]) -> None:
    psc = pod.get("securityContext", {})
    report.expect(
        psc.get("runAsNonRoot") is True, where, "pod securityContext.runAsNonRoot must be true"
    )
    report.expect(
        psc.get("seccompProfile", {}).get("type") == "RuntimeDefault",
        where,
        "pod seccompProfile must be RuntimeDefault",
    )
    report.expect(
        pod.get("automountServiceAccountToken") is False,
        where,
        "automountServiceAccountToken must be false",
    )
    volumes = {v["name"]: v for v in pod.get("volumes", [])}
    for c in pod.get("initContainers", []) + pod["containers"]:
        cw = f"{where} container {c['name']}"
        sc = c.get("securityContext", {})
        report.expect(
            sc.get("allowPrivilegeEscalation") is False,
            cw,
            "allowPrivilegeEscalation must be false",
        )
        report.expect(
            sc.get("readOnlyRootFilesystem") is True, cw, "readOnlyRootFilesystem must be true"
        )
        report.expect(
            sc.get("capabilities", {}).get("drop") == ["ALL"], cw, "capabilities must drop ALL"
        )
        res = c.get("resources", {})
        for part in ("requests", "limits"):
            for resource in ("cpu", "memory"):
                report.expect(
                    resource in res.get(part, {}), cw, f"resources.{part}.{resource} missing"
                )
        tmp = [m for m in c.get("volumeMounts", []) if m["mountPath"] == "/tmp"]
        report.expect(
            len(tmp) == 1 and "emptyDir" in volumes.get(tmp[0]["name"], {}),
            cw,
            "needs an emptyDir at /tmp (read-only root filesystem)",
        )


def check_rules(report: Report, label: str, docs: list[dict[str, Any]], production: bool) -> None:
    deployments = by_kind(docs, "Deployment")
    services = by_kind(docs, "Service")
    accounts = by_kind(docs, "ServiceAccount")
    monitors = by_kind(docs, "ServiceMonitor")
    hpas = by_kind(docs, "HorizontalPodAutoscaler")
    pdbs = by_kind(docs, "PodDisruptionBudget")
    configmaps = by_kind(docs, "ConfigMap")

    for svc, port in SERVICES.items():
        name = f"stacknex-{svc}"
        where = f"{label} Deployment/{name}"
        dep = deployments.get(name)
        report.expect(dep is not None, label, f"Deployment {name} missing")
        if dep is None:
            continue
        pod = dep["spec"]["template"]["spec"]
        check_pod_security(report, where, pod)
        report.expect(
            pod.get("terminationGracePeriodSeconds") == 40,
            where,
            "terminationGracePeriodSeconds must be 40",
        )
        report.expect(
            pod.get("enableServiceLinks") is False, where, "enableServiceLinks must be false"
        )
        keys = {t["topologyKey"] for t in pod.get("topologySpreadConstraints", [])}
        report.expect(
            {"topology.kubernetes.io/zone", "kubernetes.io/hostname"} <= keys,
            where,
            "topologySpreadConstraints must cover zones and nodes",
        )
        sa = pod.get("serviceAccountName")
        report.expect(
            sa in accounts and accounts[sa].get("automountServiceAccountToken") is False,
            where,
            f"ServiceAccount {sa} must exist with automountServiceAccountToken: false",
        )
        (c,) = pod["containers"]
        report.expect(c.get("args") == [svc], where, f"container args must be [{svc!r}]")
        ports = {p["name"]: p["containerPort"] for p in c.get("ports", [])}
        report.expect(ports.get("http") == port, where, f"container port http must be {port}")
        ops = OPS_PORTS[svc]
        report.expect(ports.get("ops") == ops, where, f"container port ops must be {ops}")
        probe_port, scheme = "ops", "HTTP"  # the API ports do not serve the probes
        if svc == "gateway":
            report.expect(ports.get("https") == 8443, where, "container port https must be 8443")
        report.expect(
            probe_ok(c.get("startupProbe"), "/healthz", probe_port, scheme),
            where,
            f"startupProbe must GET /healthz on {probe_port} ({scheme})",
        )
        report.expect(
            probe_ok(c.get("livenessProbe"), "/healthz", probe_port, scheme),
            where,
            f"livenessProbe must GET /healthz on {probe_port} ({scheme})",
        )
        report.expect(
            probe_ok(c.get("readinessProbe"), "/readyz", probe_port, scheme),
            where,
            f"readinessProbe must GET /readyz on {probe_port} ({scheme})",
        )
        report.expect(name in services, where, f"Service {name} missing")
        if name in services:
            service_ports = {p["name"]: p for p in services[name]["spec"].get("ports", [])}
            report.expect(
                service_ports.get("ops", {}).get("port") == ops,
                where,
                f"Service {name} must expose port ops ({ops}) for its ServiceMonitor",
            )
        mon = monitors.get(name)
        report.expect(mon is not None, where, f"ServiceMonitor {name} missing")
        if mon:
            (ep,) = mon["spec"]["endpoints"]
            report.expect(
                ep.get("port") == "ops"
                and ep.get("path") == "/metrics"
                and ep.get("scheme", "http") == "http",
                where,
                "ServiceMonitor must scrape /metrics on port ops over http",
            )
        report.expect(name in pdbs, where, f"PodDisruptionBudget {name} missing")
        if svc in HPA_SERVICES:
            hpa = hpas.get(name)
            report.expect(
                hpa is not None and hpa["apiVersion"] == "autoscaling/v2",
                where,
                "autoscaling/v2 HorizontalPodAutoscaler missing",
            )
            report.expect(
                "replicas" not in dep["spec"],
                where,
                "an autoscaled Deployment must not set replicas",
            )

    cfg = configmaps.get("stacknex-config", {}).get("data", {})
    report.expect(
        cfg.get("STACKNEX_HOST") == "0.0.0.0", label, "ConfigMap: STACKNEX_HOST must be 0.0.0.0"
    )
    report.expect(
        float(cfg.get("STACKNEX_SHUTDOWN_TIMEOUT", "99")) + 5 < 40,
        label,
        "ConfigMap: STACKNEX_SHUTDOWN_TIMEOUT + preStop must fit in 40 s",
    )
    try:
        proxies = json.loads(cfg.get("STACKNEX_GATEWAY_TRUSTED_PROXIES", ""))
        for cidr in proxies:
            ipaddress.ip_network(cidr)
        report.expect(
            isinstance(proxies, list) and len(proxies) > 0,
            label,
            "STACKNEX_GATEWAY_TRUSTED_PROXIES must be a non-empty JSON list",
        )
    except ValueError as exc:
        report.fail(label, f"STACKNEX_GATEWAY_TRUSTED_PROXIES is not a JSON list of CIDRs: {exc}")
    report.expect(
        cfg.get("STACKNEX_OPS_HOST") == "0.0.0.0",
        label,
        "ConfigMap: STACKNEX_OPS_HOST must be 0.0.0.0",
    )
    for svc, port in SERVICES.items():
        report.expect(
            cfg.get(f"STACKNEX_{svc.upper()}_PORT") == str(port),
            label,
            f"ConfigMap: STACKNEX_{svc.upper()}_PORT must be {port}",
        )
        report.expect(
            cfg.get(f"STACKNEX_{svc.upper()}_OPS_PORT") == str(OPS_PORTS[svc]),
            label,
            f"ConfigMap: STACKNEX_{svc.upper()}_OPS_PORT must be {OPS_PORTS[svc]}",
        )
        # The gateway's too: the dashboard calls its internal API on the plain port.
        report.expect(
            cfg.get(f"STACKNEX_{svc.upper()}_URL") == f"http://stacknex-{svc}:{port}",
            label,
            f"ConfigMap: STACKNEX_{svc.upper()}_URL must be http://stacknex-{svc}:{port}",
        )

    jobs = list(by_kind(docs, "Job").values())
    report.expect(len(jobs) == 1, label, "exactly one migration Job expected")
    for job in jobs:
        where = f"{label} {ident(job)}"
        pod = job["spec"]["template"]["spec"]
        check_pod_security(report, where, pod)
        report.expect(
            pod["containers"][0].get("args") == ["migrate"], where, 'args must be ["migrate"]'
        )
        if production:
            tag = pod["containers"][0]["image"].rsplit(":", 1)[-1]
            report.expect(
                job["metadata"]["name"] == f"stacknex-migrate-{tag}",
                where,
                "the Job must be named after the image tag",
            )
    for name in ("stacknex-redis",):
        dep = deployments.get(name)
        report.expect(dep is not None, label, f"Deployment {name} missing")
        if dep:
            check_pod_security(
                report, f"{label} Deployment/{name}", dep["spec"]["template"]["spec"]
            )

    policies = list(by_kind(docs, "NetworkPolicy").values())
    report.expect(
        any(
            p["spec"]["podSelector"] == {}
            and set(p["spec"].get("policyTypes", [])) == {"Ingress", "Egress"}
            and not p["spec"].get("ingress")
            and not p["spec"].get("egress")
            for p in policies
        ),
        label,
        "a default-deny NetworkPolicy (ingress and egress) is required",
    )
    for ingress in by_kind(docs, "Ingress").values():
        check_ingress(report, f"{label} {ident(ingress)}", ingress)
    kinds = {d["kind"] for d in docs}
    for kind in ("Ingress", "PrometheusRule", "RabbitmqCluster", "Cluster", "Namespace"):
        report.expect(kind in kinds, label, f"no {kind}")
    names = {d["metadata"]["name"] for d in docs if d["kind"] == "ConfigMap"}
    report.expect(
        "stacknex-grafana-dashboard" in names, label, "Grafana dashboard ConfigMap missing"
    )


def ingress_path_matches(path: dict[str, Any], request_path: str) -> bool:
    """Would this Ingress path send `request_path` to its backend? (Prefix matches whole
    path elements: /api matches /api and /api/v1, not /apix.)"""
    if path.get("pathType") == "Exact":
        return path["path"] == request_path
    prefix = path["path"].rstrip("/")
    return request_path == prefix or request_path.startswith(prefix + "/")


def check_ingress(report: Report, where: str, ingress: dict[str, Any]) -> None:
    """Each path is Prefix or Exact (ImplementationSpecific may be a regex), goes to the
    gateway's plain port, and none of them reaches the internal API."""
    for rule in ingress["spec"].get("rules", []):
        for path in rule.get("http", {}).get("paths", []):
            pw = f"{where} path {path['path']}"
            report.expect(
                path.get("pathType") in {"Prefix", "Exact"}, pw, "pathType must be Prefix or Exact"
            )
            backend = path["backend"].get("service", {})
            report.expect(
                backend.get("name") == "stacknex-gateway"
                and backend.get("port", {}).get("name") == "http",
                pw,
                "must go to the gateway's plain port (Service port http)",
            )
            report.expect(
                not ingress_path_matches(path, INTERNAL_PATH),
                pw,
                f"routes {INTERNAL_PATH}: the internal API must never be reachable from outside",
            )


# ---- network policies: who may talk to whom ----------------------------------------------

# Pods the operators create, by the labels the policies select them with.
OPERATOR_PODS = {
    "postgres": {"cnpg.io/cluster": "stacknex-postgres"},
    "rabbitmq": {
        "app.kubernetes.io/name": "stacknex-rabbitmq",
        "app.kubernetes.io/component": "rabbitmq",
    },
}
# (source, destination, port, protocol, allowed). A name is a pod of this namespace;
# "ns:NAME" is any pod of namespace NAME.
FLOWS = [
    ("ns:ingress-nginx", "gateway", 8080, "TCP", True),
    *[("ns:monitoring", svc, port, "TCP", True) for svc, port in OPS_PORTS.items()],
    ("ns:monitoring", "postgres", 9187, "TCP", True),
    ("ns:monitoring", "rabbitmq", 15692, "TCP", True),
    ("gateway", "catalog", 8101, "TCP", True),
    ("gateway", "orders", 8102, "TCP", True),
    ("gateway", "inventory", 8103, "TCP", True),
    ("gateway", "webhooks", 8104, "TCP", True),
    ("gateway", "redis", 6379, "TCP", True),
    ("orders", "catalog", 8101, "TCP", True),
    ("orders", "inventory", 8103, "TCP", True),
    ("inventory", "catalog", 8101, "TCP", True),
    ("inventory", "orders", 8102, "TCP", True),
    ("catalog", "inventory", 8103, "TCP", True),  # a product's facts after each write
    ("gateway", "dashboard", 8105, "TCP", True),  # /dashboard/ routed on
    ("dashboard", "gateway", 8080, "TCP", True),  # the internal API
    ("dashboard", "webhooks", 8104, "TCP", True),
    *[(app, "postgres", 5432, "TCP", True) for app in [*STORING_SERVICES, "migrate"]],
    *[(app, "rabbitmq", 5672, "TCP", True) for app in [*STORING_SERVICES, "migrate"]],
    *[
        (app, "ns:kube-system", 53, proto, True)
        for app in [*SERVICES, "migrate", "redis", "postgres", "rabbitmq"]
        for proto in ("UDP", "TCP")
    ],
    ("postgres", "postgres", 5432, "TCP", True),
    ("postgres", "postgres", 8000, "TCP", True),
    ("ns:cnpg-system", "postgres", 8000, "TCP", True),
    ("rabbitmq", "rabbitmq", 4369, "TCP", True),
    ("rabbitmq", "rabbitmq", 25672, "TCP", True),
    ("ns:rabbitmq-system", "rabbitmq", 15672, "TCP", True),
    # and nothing else:
    ("ns:default", "gateway", 8080, "TCP", False),
    ("ns:ingress-nginx", "gateway", 8443, "TCP", False),
    ("ns:ingress-nginx", "catalog", 8101, "TCP", False),
    ("ns:monitoring", "gateway", 8080, "TCP", False),
    # the API ports carry no monitoring traffic, and the ops ports nothing but it:
    ("ns:monitoring", "gateway", 8443, "TCP", False),
    *[
        ("ns:monitoring", svc, port, "TCP", False)
        for svc, port in SERVICES.items()
        if svc != "gateway"
    ],
    *[("ns:ingress-nginx", svc, port, "TCP", False) for svc, port in OPS_PORTS.items()],
    *[("gateway", svc, port, "TCP", False) for svc, port in OPS_PORTS.items() if svc != "gateway"],
    ("orders", "inventory", 9103, "TCP", False),
    ("ns:monitoring", "postgres", 5432, "TCP", False),
    ("catalog", "orders", 8102, "TCP", False),
    ("catalog", "inventory", 9103, "TCP", False),
    ("webhooks", "catalog", 8101, "TCP", False),
    ("orders", "webhooks", 8104, "TCP", False),
    ("migrate", "catalog", 8101, "TCP", False),
    *[
        (app, "redis", 6379, "TCP", False)
        for app in ["catalog", "orders", "inventory", "webhooks", "dashboard", "migrate"]
    ],
    # the dashboard: its pages only from the gateway, out only to the gateway's plain port
    # and webhooks' API port; no database, no broker.
    *[
        (src, "dashboard", 8105, "TCP", False)
        for src in ["ns:ingress-nginx", "ns:default", "catalog", "orders", "webhooks", "migrate"]
    ],
    *[(svc, "postgres", 5432, "TCP", False) for svc in STATELESS_SERVICES],
    *[(svc, "rabbitmq", 5672, "TCP", False) for svc in STATELESS_SERVICES],
    ("dashboard", "gateway", 8443, "TCP", False),
    ("dashboard", "gateway", 9080, "TCP", False),
    ("dashboard", "webhooks", 9104, "TCP", False),
    ("dashboard", "catalog", 8101, "TCP", False),
    ("dashboard", "orders", 8102, "TCP", False),
    ("dashboard", "ns:default", 443, "TCP", False),
    # the gateway's plain port: the ingress controller and the dashboard, no other service
    *[
        (src, "gateway", 8080, "TCP", False)
        for src in ["catalog", "orders", "inventory", "webhooks", "migrate"]
    ],
    ("redis", "postgres", 5432, "TCP", False),
    ("redis", "rabbitmq", 5672, "TCP", False),
    ("rabbitmq", "postgres", 5432, "TCP", False),
    ("postgres", "rabbitmq", 5672, "TCP", False),
    ("catalog", "ns:default", 443, "TCP", False),
]


def selects(selector: dict[str, Any], labels: dict[str, str]) -> bool:
    for key, value in selector.get("matchLabels", {}).items():
        if labels.get(key) != value:
            return False
    for expr in selector.get("matchExpressions", []):
        key, op, values = expr["key"], expr["operator"], expr.get("values", [])
        if op == "In" and labels.get(key) not in values:
            return False
        if op == "NotIn" and labels.get(key) in values:
            return False
        if op == "Exists" and key not in labels:
            return False
        if op == "DoesNotExist" and key in labels:
            return False
    return True


def peer_matches(peer: dict[str, Any], pod: dict[str, Any]) -> bool:
    """Does a policy peer (`from`/`to` entry) match `pod` ({"ns": name, "labels": ...})?"""
    if "ipBlock" in peer:
        return False  # pods are not matched by address here
    if "namespaceSelector" in peer:
        ns_labels = {"kubernetes.io/metadata.name": pod["ns"]}
        if not selects(peer["namespaceSelector"], ns_labels):
            return False
        return selects(peer.get("podSelector", {}), pod["labels"])
    return pod["ns"] == "stacknex" and selects(peer["podSelector"], pod["labels"])


def port_matches(rule: dict[str, Any], port: int, protocol: str) -> bool:
    if not rule.get("ports"):
        return True
    for p in rule["ports"]:
        if p.get("protocol", "TCP") != protocol:
            continue
        if "port" not in p:
            return True
        if p["port"] == port or (
            isinstance(p["port"], int) and p["port"] <= port <= p.get("endPort", p["port"])
        ):
            return True
    return False


def allowed(
    policies: list[dict[str, Any]],
    src: dict[str, Any],
    dst: dict[str, Any],
    port: int,
    protocol: str,
) -> bool:
    def side(pod: dict[str, Any], kind: str, peer_pod: dict[str, Any]) -> bool:
        if pod["ns"] != "stacknex":
            return True  # another namespace's policies are not ours to check
        chosen = [
            p
            for p in policies
            if selects(p["spec"]["podSelector"], pod["labels"])
            and kind in p["spec"].get("policyTypes", [])
        ]
        if not chosen:
            return True
        key, peers = ("ingress", "from") if kind == "Ingress" else ("egress", "to")
        for policy in chosen:
            for rule in policy["spec"].get(key, []):
                if rule.get(peers) is None or any(
                    peer_matches(peer, peer_pod) for peer in rule[peers]
                ):
                    if port_matches(rule, port, protocol):
                        return True
        return False

    return side(src, "Egress", dst) and side(dst, "Ingress", src)


def check_network_flows(report: Report, label: str, docs: list[dict[str, Any]]) -> None:
    policies = list(by_kind(docs, "NetworkPolicy").values())
    pods: dict[str, dict[str, Any]] = {}
    for dep in by_kind(docs, "Deployment").values():
        name = dep["metadata"]["name"].removeprefix("stacknex-")
        pods[name] = {"ns": "stacknex", "labels": dep["spec"]["template"]["metadata"]["labels"]}
    for job in by_kind(docs, "Job").values():
        pods["migrate"] = {
            "ns": "stacknex",
            "labels": job["spec"]["template"]["metadata"]["labels"],
        }
    for name, labels in OPERATOR_PODS.items():
        pods[name] = {"ns": "stacknex", "labels": labels}

    def pod(name: str) -> dict[str, Any]:
        if name.startswith("ns:"):
            return {"ns": name[3:], "labels": {}}
        return pods[name]

    for src, dst, port, protocol, expected in FLOWS:
        got = allowed(policies, pod(src), pod(dst), port, protocol)
        verb = "must reach" if expected else "must not reach"
        report.expect(
            got == expected, f"{label} NetworkPolicy", f"{src} {verb} {dst} on {protocol} {port}"
        )


def referenced_secrets(docs: list[dict[str, Any]]) -> set[tuple[str, str | None]]:
    """(secret, key) pairs the manifests use; key None when the whole Secret is used."""
    refs: set[tuple[str, str | None]] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if "secretKeyRef" in node:
                refs.add((node["secretKeyRef"]["name"], node["secretKeyRef"]["key"]))
            if "secretRef" in node and "name" in node["secretRef"]:
                refs.add((node["secretRef"]["name"], None))
            if (
                "secret" in node
                and isinstance(node["secret"], dict)
                and "secretName" in node["secret"]
            ):
                refs.add((node["secret"]["secretName"], None))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for doc in docs:
        if doc["kind"] == "Ingress":
            for tls in doc["spec"].get("tls", []):
                refs.add((tls["secretName"], None))
        if doc["kind"] in {"Deployment", "Job"}:
            walk(doc["spec"]["template"])
    return refs


def check_signing_keys(report: Report, label: str, docs: list[dict[str, Any]]) -> None:
    """Each service's pods get its own private key and every public key; nothing else gets
    a private key (the migration Job reads neither)."""
    for doc in docs:
        if doc["kind"] not in {"Deployment", "Job"}:
            continue
        name = doc["metadata"]["name"]
        secrets = {
            v["secret"]["secretName"]
            for v in doc["spec"]["template"]["spec"].get("volumes", [])
            if "secret" in v
        }
        private = {s for s in secrets if s.endswith("-signing-key")}
        service = name.removeprefix("stacknex-")
        where = f"{label} {ident(doc)}"
        if doc["kind"] == "Deployment" and service in SERVICES:
            report.expect(
                private == {f"stacknex-{service}-signing-key"},
                where,
                f"must mount exactly its own signing key, not {sorted(private)}",
            )
            report.expect(
                "stacknex-public-keys" in secrets, where, "must mount stacknex-public-keys"
            )
        else:
            report.expect(not private, where, f"gets a service's private key: {sorted(private)}")


def check_example_secret(
    report: Report, label: str, docs: list[dict[str, Any]], secrets: list[dict[str, Any]]
) -> None:
    defined = {s["metadata"]["name"]: s for s in secrets}
    for name, key in sorted(referenced_secrets(docs), key=str):
        secret = defined.get(name)
        report.expect(
            secret is not None, label, f"Secret {name} is used but not in secret.example.yaml"
        )
        if secret is not None and key is not None:
            report.expect(
                key in secret.get("stringData", {}),
                label,
                f"Secret {name} key {key} is used but not in secret.example.yaml",
            )


def check_secret_placeholders(report: Report, secrets: list[dict[str, Any]]) -> None:
    for secret in secrets:
        where = f"secret.example.yaml {ident(secret)}"
        report.expect("data" not in secret, where, "use stringData placeholders, no data")
        for key, value in secret.get("stringData", {}).items():
            report.expect(
                "REPLACE_ME" in str(value), where, f"{key} must be a REPLACE_ME placeholder"
            )


def container_env(
    pod: dict[str, Any], docs: list[dict[str, Any]], secrets: list[dict[str, Any]]
) -> dict[str, str]:
    """The environment the first container of `pod` gets, Secrets taken from the example."""
    configmaps = by_kind(docs, "ConfigMap")
    defined = {s["metadata"]["name"]: s.get("stringData", {}) for s in secrets}
    container = pod["containers"][0]
    env: dict[str, str] = {}
    for source in container.get("envFrom", []):
        if "configMapRef" in source:
            env.update(configmaps[source["configMapRef"]["name"]].get("data", {}))
        if "secretRef" in source:
            env.update(defined[source["secretRef"]["name"]])
    for var in container.get("env", []):
        if "value" in var:
            env[var["name"]] = str(var["value"])
        elif "secretKeyRef" in var.get("valueFrom", {}):
            ref = var["valueFrom"]["secretKeyRef"]
            env[var["name"]] = defined[ref["name"]][ref["key"]]
    return env


def container_files(
    pod: dict[str, Any], secrets: list[dict[str, Any]]
) -> dict[str, dict[str, str]]:
    """The files the first container of `pod` finds in its Secret volumes: path to the
    Secret, key and (example) content it comes from."""
    defined = {s["metadata"]["name"]: s.get("stringData", {}) for s in secrets}
    volumes = {v["name"]: v for v in pod.get("volumes", [])}
    files: dict[str, dict[str, str]] = {}
    for mount in pod["containers"][0].get("volumeMounts", []):
        secret = volumes.get(mount["name"], {}).get("secret")
        if secret is not None:
            name = secret["secretName"]
            for key, value in defined.get(name, {}).items():
                files[f"{mount['mountPath']}/{key}"] = {"secret": name, "key": key, "value": value}
    return files


def environments(docs: list[dict[str, Any]], secrets: list[dict[str, Any]]) -> dict[str, Any]:
    """Per service (and for the migration Job) the environment its container starts with;
    per service the files of its Secret volumes."""
    deployments = by_kind(docs, "Deployment")
    out: dict[str, Any] = {"services": {}, "migrate": None, "files": {}}
    for svc in SERVICES:
        pod = deployments[f"stacknex-{svc}"]["spec"]["template"]["spec"]
        out["services"][svc] = container_env(pod, docs, secrets)
        out["files"][svc] = container_files(pod, secrets)
    (job,) = by_kind(docs, "Job").values()
    out["migrate"] = container_env(job["spec"]["template"]["spec"], docs, secrets)
    return out


# ---- alerts, runbooks, dashboard --------------------------------------------------------


def slug(heading: str) -> str:
    """GitHub's anchor for a Markdown heading."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def check_alerts(report: Report, rule_doc: dict[str, Any], operations_md: Path) -> None:
    anchors = {
        slug(m.group(1))
        for m in re.finditer(r"^#{1,6}\s+(.+?)\s*$", operations_md.read_text(), re.M)
    }
    names = []
    for group in rule_doc["spec"]["groups"]:
        for rule in group["rules"]:
            if "alert" not in rule:
                continue
            where = f"PrometheusRule alert {rule['alert']}"
            names.append(rule["alert"])
            report.expect(
                rule.get("labels", {}).get("severity") in SEVERITIES,
                where,
                f"severity must be one of {sorted(SEVERITIES)}",
            )
            url = rule.get("annotations", {}).get("runbook_url", "")
            m = re.fullmatch(r"docs/operations\.md#([\w-]+)", url)
            report.expect(m is not None, where, "runbook_url must be docs/operations.md#<anchor>")
            if m:
                report.expect(
                    m.group(1) in anchors, where, f"docs/operations.md has no section #{m.group(1)}"
                )
            report.expect(
                bool(rule.get("annotations", {}).get("summary")),
                where,
                "summary annotation missing",
            )
    report.expect(len(names) == len(set(names)), "PrometheusRule", "duplicate alert names")
    required_metrics = [
        "stacknex_http_requests_total",
        "stacknex_http_request_duration_seconds_bucket",
        "stacknex_gateway_rate_limiter_unavailable_total",
        "stacknex_publish_lag_seconds",
        "rabbitmq_detailed_queue_messages_ready",
        "stacknex_events_dead_lettered_total",
        "stacknex_webhook_deliveries_total",
        "stacknex_webhook_oldest_pending_delivery_seconds",
        "stacknex_webhook_endpoints_disabled_total",
        "up{",
    ]
    exprs = "\n".join(
        str(r.get("expr", "")) for g in rule_doc["spec"]["groups"] for r in g["rules"]
    )
    for metric in required_metrics:
        report.expect(metric in exprs, "PrometheusRule", f"no alert uses {metric.rstrip('{')}")


def dashboard_rules(report: Report, dashboard: Path) -> dict[str, Any]:
    data = json.loads(dashboard.read_text())
    rules = []
    for panel in data.get("panels", []):
        for i, target in enumerate(panel.get("targets", [])):
            expr = (
                target.get("expr", "")
                .replace("$__rate_interval", "5m")
                .replace("$__interval", "1m")
            )
            report.expect(
                bool(expr), f"dashboard panel {panel.get('title')!r}", "target without expr"
            )
            rules.append({"record": f"dashboard:panel_{panel['id']}_{i}", "expr": expr})
    report.expect(
        len(rules) >= 10, "dashboard", "expected the dashboard to chart the alert signals"
    )
    return {"groups": [{"name": "grafana-dashboard-queries", "rules": rules}]}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument(
        "rendered", nargs="+", help="NAME=FILE of a rendered overlay (base, dev, production)"
    )
    ap.add_argument("--k8s-version", action="append", required=True)
    ap.add_argument("--example-secret", type=Path, required=True)
    ap.add_argument("--operations-md", type=Path, required=True)
    ap.add_argument("--dashboard", type=Path, required=True)
    ap.add_argument("--rules-out", type=Path, required=True)
    ap.add_argument("--dashboard-rules-out", type=Path, required=True)
    ap.add_argument("--env-out", type=Path, help="JSON: each container's environment (production)")
    args = ap.parse_args()

    report = Report()
    secrets = load_docs(args.example_secret)
    validate_schemas(report, "secret.example.yaml", secrets, args.k8s_version)
    check_secret_placeholders(report, secrets)
    rule_doc = None
    for item in args.rendered:
        label, _, file = item.partition("=")
        docs = load_docs(Path(file))
        validate_schemas(report, label, docs, args.k8s_version)
        check_rules(report, label, docs, production=label != "base")
        check_example_secret(report, label, docs, secrets)
        check_signing_keys(report, label, docs)
        check_network_flows(report, label, docs)
        if label == "base":
            (rule_doc,) = [d for d in docs if d["kind"] == "PrometheusRule"]
        if label == "production" and args.env_out and not report.failures:
            args.env_out.write_text(json.dumps(environments(docs, secrets), indent=2))
        print(f"validate: {label}: {len(docs)} objects checked")
    assert rule_doc is not None, "the base rendering is required"
    check_alerts(report, rule_doc, args.operations_md)
    args.rules_out.write_text(
        yaml.safe_dump({"groups": rule_doc["spec"]["groups"]}, sort_keys=False)
    )
    args.dashboard_rules_out.write_text(
        yaml.safe_dump(dashboard_rules(report, args.dashboard), sort_keys=False)
    )

    for note in sorted(set(report.notes)):
        print(f"NOTE {note}")
    for failure in report.failures:
        print(f"FAIL {failure}")
    print(f"validate: {report.checked} checks, {len(report.failures)} failure(s)")
    return 1 if report.failures else 0


if __name__ == "__main__":
    sys.exit(main())
