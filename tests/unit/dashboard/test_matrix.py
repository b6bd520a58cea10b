"""The role-by-page-by-action matrix in the docs is the route table's, and the table is sound."""

from pathlib import Path

from libs.common.roles import Role
from services.dashboard.app import all_pages
from services.dashboard.domain.pages import markdown, matrix

DOC = Path(__file__).resolve().parents[3] / "docs" / "dashboard-matrix.md"


def test_the_documented_matrix_is_the_route_tables() -> None:
    regenerate = "python -m cli.dashboard_matrix > docs/dashboard-matrix.md"
    assert DOC.read_text() == markdown(all_pages()), f"stale: {regenerate}"


def test_every_write_needs_a_role_and_public_pages_are_only_the_way_in() -> None:
    public = {p.name for p in all_pages() if p.action is None}
    assert public <= {"home", "sign_in", "sign_in_submit", "invite", "invite_accept"}
    names = [p.name for p in all_pages()]
    assert len(names) == len(set(names))


def test_a_viewer_may_do_no_more_than_a_developer_nor_a_developer_than_an_owner() -> None:
    for _, allowed in matrix(all_pages()):
        assert allowed[Role.VIEWER] <= allowed[Role.DEVELOPER] <= allowed[Role.OWNER]
