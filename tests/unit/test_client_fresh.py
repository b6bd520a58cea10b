"""The committed client (clients/python/stacknex_client) is exactly what `make client`
generates from the committed OpenAPI document: no network, the pinned generator and ruff."""

import importlib
import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from openapi_python_client.strings import PythonIdentifier

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "clients" / "python" / "regenerate.py"


def regenerate() -> ModuleType:
    spec = importlib.util.spec_from_file_location("regenerate", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    into = tmp_path_factory.mktemp("client") / "stacknex_client"
    regenerate().generate(into)
    return into


def test_the_committed_client_is_what_make_client_generates(generated: Path) -> None:
    module = regenerate()
    stale = module.first_difference(generated, module.PACKAGE)
    assert stale is None, f"clients/python is stale: first difference {stale}; run make client"


def test_the_check_names_the_first_differing_file(generated: Path, tmp_path: Path) -> None:
    module = regenerate()
    package = tmp_path / "stacknex_client"
    shutil.copytree(generated, package)
    (package / "signatures.py").write_text("# hand-written: never compared\n")
    assert module.first_difference(generated, package) is None
    (package / "api" / "orders" / "__init__.py").write_text("# edited by hand\n")
    assert module.first_difference(generated, package) == "api/orders/__init__.py (content differs)"
    (package / "api" / "orders" / "__init__.py").unlink()
    assert "missing" in module.first_difference(generated, package)


def test_make_client_keeps_hand_written_files_and_drops_what_is_no_longer_generated(
    generated: Path, tmp_path: Path
) -> None:
    module = regenerate()
    package = tmp_path / "stacknex_client"
    (package / "api" / "gone").mkdir(parents=True)
    (package / "api" / "gone" / "old_operation.py").write_text("stale\n")
    for name in module.HAND_WRITTEN:
        (package / name).write_text(f"# {name}, by hand\n")
    module.sync(generated, package)
    assert not (package / "api" / "gone").exists()
    assert all((package / n).read_text() == f"# {n}, by hand\n" for n in module.HAND_WRITTEN)
    assert module.first_difference(generated, package) is None


def test_the_check_script_exits_nonzero_and_says_run_make_client_when_stale(
    generated: Path, tmp_path: Path
) -> None:
    package = tmp_path / "stacknex_client"
    shutil.copytree(generated, package)
    (package / "models" / "__init__.py").write_text("# edited by hand\n")
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--check", "--package", str(package)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1, done.stdout
    assert "models/__init__.py (content differs)" in done.stderr
    assert done.stderr.rstrip().endswith("run make client")


def test_one_module_per_operation_named_by_its_operation_id() -> None:
    document = json.loads((ROOT / "services" / "gateway" / "openapi.json").read_text())
    operations = [
        (op["tags"][0], op["operationId"])
        for item in document["paths"].values()
        for op in item.values()
        if isinstance(op, dict) and "operationId" in op
    ]
    assert operations
    for tag, operation_id in operations:
        name = f"stacknex_client.api.{PythonIdentifier(tag, 'field_')}"
        module = importlib.import_module(f"{name}.{PythonIdentifier(operation_id, 'field_')}")
        for function in ("sync", "sync_detailed", "asyncio", "asyncio_detailed"):
            assert callable(getattr(module, function)), (operation_id, function)
