"""The dashboard's route table: every page and form action, the role action it needs, and
whether it belongs to one mode. The routes are registered from it, the server-side role
check reads it, and the role-by-page-by-action matrix (docs/dashboard.md) is generated from
it, as the API's scope matrix is from the API's route table."""

from dataclasses import dataclass
from typing import Literal

from libs.common.roles import PERMISSIONS, Action, Role

Method = Literal["GET", "POST"]


@dataclass(frozen=True)
class Page:
    name: str  # the route's name, for url_for in templates
    method: Method
    path: str  # under /dashboard; `{mode}` first when the page shows one mode's data
    action: Action | None  # None: public (sign-in, an invite, the static assets)
    title: str

    @property
    def per_mode(self) -> bool:
        return self.path.startswith("/{mode}/")


def matrix(pages: list[Page]) -> list[tuple[Page, dict[Role, bool]]]:
    """Each page or action and, per role, whether that role may use it."""
    return [
        (page, {role: page.action is None or page.action in PERMISSIONS[role] for role in Role})
        for page in pages
    ]


def markdown(pages: list[Page]) -> str:
    """The matrix as docs/dashboard-matrix.md has it (`python -m cli.dashboard_matrix`)."""
    roles = list(Role)
    lines = [
        "# Dashboard: who may do what (role by page and action)",
        "",
        "Generated from the dashboard's route table (`python -m cli.dashboard_matrix >"
        " docs/dashboard-matrix.md`); `tests/unit/dashboard/test_matrix.py` fails when it is"
        " stale. Every row is enforced server-side: by the dashboard before the page runs, and"
        " again by the service that owns the data.",
        "",
        "| page or action | method | path | needs | " + " | ".join(r.value for r in roles) + " |",
        "|---|---|---|---|" + "---|" * len(roles),
    ]
    for page, allowed in matrix(sorted(pages, key=lambda p: (p.path, p.method))):
        needs = page.action.value if page.action is not None else "nothing (public)"
        marks = " | ".join("yes" if allowed[r] else "—" for r in roles)
        lines.append(
            f"| {page.title} | {page.method} | `/dashboard{page.path}` | {needs} | {marks} |"
        )
    return "\n".join(lines) + "\n"
