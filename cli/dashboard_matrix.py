"""`python -m cli.dashboard_matrix > docs/dashboard-matrix.md`: the dashboard's role-by-page-by-
action matrix, from its route table."""

from services.dashboard.app import all_pages
from services.dashboard.domain.pages import markdown

if __name__ == "__main__":
    print(markdown(all_pages()), end="")
