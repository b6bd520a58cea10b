"""Regenerates `stacknex_client` from the gateway's OpenAPI document (`make client`), or with
`--check` says whether the committed package is what regeneration would write.

The generator writes into a scratch directory; the package then receives exactly that tree,
and every file the generator does not produce is removed except the hand-written ones in
HAND_WRITTEN, which regeneration never deletes or overwrites."""

import argparse
import filecmp
import os
import shutil
import subprocess
import sys
import tempfile
from importlib.metadata import version
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
DOCUMENT = ROOT / "services" / "gateway" / "openapi.json"
PACKAGE = HERE / "stacknex_client"
CONFIG = HERE / "generator.yaml"
TEMPLATES = HERE / "templates"
HAND_WRITTEN = frozenset({"pagination.py", "signatures.py", "py.typed"})
IGNORED_PARTS = frozenset({"__pycache__", ".ruff_cache", ".mypy_cache"})


class GenerationFailed(RuntimeError):
    pass


def toolchain() -> str:
    ruff = subprocess.run(
        [_bin("ruff"), "--version"], capture_output=True, text=True, check=True
    ).stdout.strip()
    return f"openapi-python-client {version('openapi-python-client')}, {ruff}"


def _bin(name: str) -> str:
    # The interpreter's own bin directory first: the venv's pinned ruff, not one on PATH.
    return str(Path(sys.executable).parent / name)


def generate(into: Path, document: Path = DOCUMENT) -> None:
    """Writes the generated package to `into` (which must not exist)."""
    # Imported here so that `--help` and the package itself never need the generator.
    from openapi_python_client import generate as run_generator
    from openapi_python_client.config import Config, ConfigFile, MetaType

    config = Config.from_sources(
        ConfigFile.load_from_path(CONFIG),
        MetaType.NONE,
        document,
        "utf-8",
        overwrite=False,
        output_path=into,
    )
    path = os.environ.get("PATH", "")
    os.environ["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), path])
    try:
        errors = run_generator(config=config, custom_template_path=TEMPLATES)
    finally:
        os.environ["PATH"] = path
    # Any warning may mean an operation was dropped; the client must have every one.
    if errors:
        details = "\n".join(f"{e.level}: {e.header}: {e.detail}" for e in errors)
        raise GenerationFailed(f"openapi-python-client reported problems:\n{details}")
    clash = HAND_WRITTEN & {p.name for p in into.iterdir()}
    if clash:
        raise GenerationFailed(f"the generator now writes hand-written file(s) {sorted(clash)}")


def files(tree: Path, *, generated_only: bool = False) -> list[str]:
    found = []
    for path in sorted(tree.rglob("*")):
        relative = path.relative_to(tree)
        if path.is_dir() or IGNORED_PARTS & set(relative.parts) or path.suffix == ".pyc":
            continue
        if generated_only and relative.as_posix() in HAND_WRITTEN:
            continue
        found.append(relative.as_posix())
    return found


def first_difference(generated: Path, package: Path) -> str | None:
    """The first file that differs, is missing, or is extra in `package`; None when fresh."""
    fresh = files(generated)
    committed = files(package, generated_only=True)
    for name in sorted(set(fresh) | set(committed)):
        if name not in committed:
            return f"{name} (missing from the committed client)"
        if name not in fresh:
            return f"{name} (no longer generated)"
        if not filecmp.cmp(generated / name, package / name, shallow=False):
            return f"{name} (content differs)"
    return None


def sync(generated: Path, package: Path) -> None:
    package.mkdir(exist_ok=True)
    for name in files(package, generated_only=True):
        (package / name).unlink()
    for directory in sorted((p for p in package.rglob("*") if p.is_dir()), reverse=True):
        if directory.name == "__pycache__":
            shutil.rmtree(directory)
        elif not any(directory.iterdir()):
            directory.rmdir()
    for name in files(generated):
        target = package / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(generated / name, target)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare only; exit 1 if stale")
    parser.add_argument("--package", type=Path, default=PACKAGE, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="stacknex-client-") as scratch:
        generated = Path(scratch) / "stacknex_client"
        generate(generated)
        if args.check:
            stale = first_difference(generated, args.package)
            if stale:
                print(
                    f"clients/python/stacknex_client is stale: first difference {stale}, "
                    f"against {DOCUMENT.relative_to(ROOT)} with {toolchain()}; run make client",
                    file=sys.stderr,
                )
                return 1
            print("clients/python is fresh")
            return 0
        sync(generated, args.package)
    print(f"regenerated {args.package} from {DOCUMENT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
