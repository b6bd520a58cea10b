"""Runs scripts/check-deploy.sh: the rendered Kubernetes manifests, the Dockerfile, the
alerts and the dashboard are checked as a developer and CI would (first run installs the
tools into .venv-deploy from PyPI). The services' settings are loaded with this test's own
interpreter. Set STACKNEX_SKIP_DEPLOY_CHECKS=1 to skip it."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


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
