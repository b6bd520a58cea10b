"""The `deploy` marker, registered here so that the suite's marker list stays as it is."""

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "deploy: static checks of the Dockerfile and Kubernetes manifests"
    )
