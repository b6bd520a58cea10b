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
