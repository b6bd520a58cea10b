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
                # `from a.b import c` may import the module a.b.c: both count.
                names = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
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


@pytest.mark.parametrize(
    "service", sorted(p.name for p in (ROOT / "services").iterdir() if (p / "app.py").exists())
)
def test_the_use_cases_and_the_adapters_do_not_import_each_other(service: str) -> None:
    """One direction only, whichever a service chose: a cycle makes either side unreadable
    without the other (`app.py` wires them together)."""
    imported = _imports(f"services/{service}")

    def imports(importer: str, imported_module: str) -> bool:
        return any(
            f.removesuffix(".py").replace("/", ".").startswith(importer)
            and m.startswith(imported_module)
            for f, m in imported
        )

    use_cases, adapters = f"services.{service}.service", f"services.{service}.adapters"
    assert not (imports(use_cases, adapters) and imports(adapters, use_cases))
