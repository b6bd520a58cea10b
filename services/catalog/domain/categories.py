"""The category aggregate, folded the same way as products."""

from datetime import datetime

from libs.contract.catalog import CategoryCreate, CategoryRead
from services.catalog.domain.errors import WouldCycle

CATEGORY_CREATED = "category.created"
CATEGORY_UPDATED = "category.updated"
CATEGORY_DELETED = "category.deleted"


def create(*, category_id: str, values: CategoryCreate, now: datetime) -> CategoryRead:
    return CategoryRead(
        id=category_id, version=1, created_at=now, updated_at=now, **values.model_dump()
    )


def check_parent(category_id: str, ancestors_of_parent: list[str]) -> None:
    """`ancestors_of_parent`: the proposed parent, its parent, and so on up to a root."""
    if category_id in ancestors_of_parent:
        raise WouldCycle(
            "A category cannot sit under itself or its own subcategory.", field="parentId"
        )
