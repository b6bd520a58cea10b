"""The layers go one way (docs/architecture.md): `libs/` imports no service and no CLI; a
service imports `libs/` and itself, never another service or the CLI; only `cli/` knows
every service. Read from the source, so a new import that crosses a layer fails here."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _imports(package: str) -> list[tuple[str, str]]:
    found = []
    for path in sorted((ROOT / package).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            found += [(str(path.relative_to(ROOT)), name) for name in names]
    return found


def test_libs_is_the_floor() -> None:
    crossing = [(f, m) for f, m in _imports("libs") if m.split(".")[0] in ("services", "cli")]
    assert crossing == []


@pytest.mark.parametrize(
    "service", sorted(p.name for p in (ROOT / "services").iterdir() if (p / "app.py").exists())
)
def test_a_service_imports_no_other_service_and_no_cli(service: str) -> None:
    crossing = [
        (f, m)
        for f, m in _imports(f"services/{service}")
        if m.split(".")[0] == "cli" or (m.startswith("services.") and m.split(".")[1] != service)
    ]
    assert crossing == []
