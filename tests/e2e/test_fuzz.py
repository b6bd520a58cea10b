"""Schemathesis, through the gateway over TLS with a real key, against the OpenAPI document
the gateway serves: every operation, examples, coverage, fuzzing and stateful phases; no 5xx
and no response outside the documented envelope, status codes and content type."""

import subprocess
import sys
from pathlib import Path

from libs.common import jsoncodec
from tests.e2e.conftest import Platform, cli

ROOT = Path(__file__).resolve().parents[2]


def test_schemathesis_finds_no_server_error_and_no_schema_violation(
    platform: Platform, tmp_path: Path
) -> None:
    org = jsoncodec.loads(
        cli(platform.env, "org", "create", "--name", "Fuzz", "--plan", "enterprise", "--json")
    )
    key = jsoncodec.loads(
        cli(platform.env, "key", "create", "--org", org["id"], "--mode", "test", "--json")
    )["key"]
    base = platform.url("gateway", "")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "schemathesis.cli",
            "run",
            base + "/api/v1/openapi.json",
            "--url",
            base,
            "-H",
            f"Authorization: Bearer {key}",
            "--tls-verify",
            "false",
            "--checks",
            "not_a_server_error,status_code_conformance,content_type_conformance,"
            "response_schema_conformance",
            "--max-examples",
            "25",
            "--workers",
            "2",
            "--seed",
            "20261127",
            "--no-color",
            "--report-dir",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
    )
    summary = done.stdout[-6000:]
    assert done.returncode == 0, summary
    assert "Tested: 45" in summary  # every operation of the route table
