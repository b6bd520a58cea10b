"""The two trees `bench.compare` measures: a git worktree of REF (with its own keys and TLS
certificate), a view of it with this tree's `bench/` laid over it, and the choice, per
benchmark, of which of the two drives REF."""

import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

HEADING = "## Before / after: `python -m bench.compare REF`"
OWN = "REF with its own bench/"
BEGIN, END = "<!-- bench.compare: begin -->", "<!-- bench.compare: end -->"


@dataclass(frozen=True)
class View:
    label: str
    root: Path  # the `cwd` and `PYTHONPATH` of this side's processes


def _git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(root), *args], capture_output=True, text=True, check=True
    ).stdout.strip()


def _head(tree: Path) -> str | None:
    try:
        return _git(tree, "rev-parse", "HEAD")
    except subprocess.CalledProcessError:
        return None  # not a worktree (any more)


def _overlay_root(tree: Path) -> Path:
    return tree.with_name(tree.name + "-overlay")


def prepare_ref(root: Path, ref: str) -> tuple[Path, str]:
    """The worktree of `ref` in /tmp (reused when it is at that commit), its keys and
    certificate, and the overlay view beside it (made afresh: this tree's bench/ may have
    changed). Returns the worktree and the commit."""
    sha = _git(root, "rev-parse", f"{ref}^{{commit}}")
    tree = Path(f"/tmp/stacknex-ref-{sha[:7]}")
    if tree.exists() and _head(tree) != sha:
        remove_ref(root, tree)
    if not tree.exists():
        _git(root, "worktree", "add", "--detach", str(tree), sha)
    if (tree / "cli" / "keys.py").exists() and not (tree / ".run" / "keys").exists():
        # Ed25519 service identities; older trees sign with a shared development secret.
        subprocess.run(
            [sys.executable, "-m", "cli.main", "keys", "generate", str(tree / ".run" / "keys")],
            check=True,
            capture_output=True,
            cwd=tree,
            env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(tree)},
        )
    if (tree / "scripts" / "dev-cert.sh").exists() and not (tree / ".run" / "tls").exists():
        subprocess.run(
            ["bash", "scripts/dev-cert.sh", ".run/tls"], cwd=tree, check=True, capture_output=True
        )
    overlay = _overlay_root(tree)
    shutil.rmtree(overlay, ignore_errors=True)
    overlay.mkdir()
    for entry in tree.iterdir():
        if entry.name not in ("bench", ".git"):
            (overlay / entry.name).symlink_to(entry)
    shutil.copytree(
        root / "bench", overlay / "bench", ignore=shutil.ignore_patterns("results", "__pycache__")
    )
    (overlay / "bench" / "results").mkdir()
    return tree, sha


def remove_ref(root: Path, tree: Path) -> None:
    shutil.rmtree(_overlay_root(tree), ignore_errors=True)
    subprocess.run(
        ["git", "-C", str(root), "worktree", "remove", "--force", str(tree)], capture_output=True
    )
    shutil.rmtree(tree, ignore_errors=True)
    subprocess.run(["git", "-C", str(root), "worktree", "prune"], capture_output=True)


# Run in the view: imports the benchmark, then names any of the project's packages that
# came from elsewhere (this repository's editable install supplies a package a REF tree
# lacks, `cli` for one, whose code then fails in confusing ways).
_CHECK = """
import sys, traceback
try:
    import {module}
except Exception as error:
    print(f"{{type(error).__name__}}: {{error}}")
strays = [
    f"{{name}} from {{sys.modules[name].__file__}}"
    for name in ("bench", "cli", "libs", "services")
    if name in sys.modules and not str(sys.modules[name].__file__).startswith("{view}")
]
if strays:
    print("not this tree's: " + ", ".join(strays))
"""


def _imports(view: Path, module: str) -> str | None:
    """None when `module` imports in `view` with that tree's packages only; else why not."""
    check = subprocess.run(
        [sys.executable, "-c", _CHECK.format(module=module, view=view)],
        cwd=view,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(view)},
        capture_output=True,
        text=True,
    )
    why = "; ".join(check.stdout.strip().splitlines()[-2:])
    if check.returncode != 0:
        return why or f"exit {check.returncode}"
    return why or None


def _changed(root: Path, tree: Path, module: str) -> str:
    """`+added -removed`: this tree's version of `module` against REF's."""
    path = "/".join(module.split(".")) + ".py"
    stat = _git(root, "diff", "--numstat", _head(tree) or "HEAD", "--", path)
    added, removed = (stat or "0 0").split()[:2]
    return f"+{added} -{removed}"


def probe(root: Path, tree: Path, module: str) -> tuple[View | None, str]:
    """Which view drives REF for `module` (this tree's benchmark where it imports there,
    else REF's own version, else none), and why when it is not this tree's."""
    overlay = _overlay_root(tree)
    why = _imports(overlay, module)
    if why is None:
        return View("REF with this tree's bench/", overlay), ""
    if (tree / Path(*module.split("."))).with_suffix(".py").exists():
        own = _imports(tree, module)
        if own is None:
            return View(OWN, tree), (
                f"this tree's fails there: {why}; it differs from REF's by"
                f" {_changed(root, tree, module)} lines"
            )
        return None, f"neither this tree's ({why}) nor its own ({own}) runs there"
    return None, f"this tree's fails there ({why}) and REF has no {module}"


def readme_section(readme: str, text: str) -> str:
    """bench/README.md with `text` (the comparison, its heading one level down) in the
    marked section, which is added at the end the first time."""
    body = "#" + text if text.startswith("## ") else text
    block = f"{BEGIN}\n{body.rstrip()}\n{END}"
    if BEGIN in readme and END in readme:
        head, _, rest = readme.partition(BEGIN)
        _, _, tail = rest.partition(END)
        return head + block + tail
    return (
        readme.rstrip()
        + f"\n\n{HEADING}\n\nThe last comparison of the work tree with a REF, written by"
        " `python -m bench.compare REF --readme` (each run's figures in"
        " `bench/results/compare-*`).\n\n" + block + "\n"
    )
