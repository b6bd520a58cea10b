"""The client is a separate distribution: nothing in it may import the platform's code."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[3] / "clients" / "python" / "stacknex_client"
PLATFORM = {"libs", "services", "cli", "tests", "bench"}


def test_no_module_of_the_client_imports_the_platform() -> None:
    modules = sorted(PACKAGE.rglob("*.py"))
    assert len(modules) > 10
    for path in modules:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                roots = {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                roots = {node.module.split(".")[0]}
            else:
                continue
            assert not roots & PLATFORM, f"{path.relative_to(PACKAGE)} imports {roots}"
