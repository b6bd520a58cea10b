"""The category aggregate, folded the same way as products."""

from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from typing import Any

from libs.common.clock import rfc3339
from libs.common.events import Mode
from services.catalog.domain.errors import InvalidReference, StaleVersion

CATEGORY_CREATED = "category.created"
CATEGORY_UPDATED = "category.updated"
CATEGORY_DELETED = "category.deleted"


@dataclass(frozen=True)
class CategoryFields:
    name: str
    description: str | None = None
    parent_id: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)


MUTABLE = tuple(f.name for f in fields(CategoryFields))


@dataclass(frozen=True)
class Category:
    id: str
    organization_id: str
    mode: Mode
    fields: CategoryFields
    version: int
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None = None

    def public(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "id": self.id,
            "name": self.fields.name,
            "description": self.fields.description,
            "parentId": self.fields.parent_id,
            "metadata": self.fields.metadata,
            "version": self.version,
            "createdAt": rfc3339(self.created_at),
            "updatedAt": rfc3339(self.updated_at),
        }
        if self.deleted_at is not None:
            body["deletedAt"] = rfc3339(self.deleted_at)
        return body


def camel(name: str) -> str:
    return "parentId" if name == "parent_id" else name


def create(
    *, category_id: str, organization_id: str, mode: Mode, values: CategoryFields, now: datetime
) -> Category:
    return Category(
        id=category_id,
        organization_id=organization_id,
        mode=mode,
        fields=values,
        version=1,
        created_at=now,
        updated_at=now,
    )


def check_parent(category_id: str, ancestors_of_parent: list[str]) -> None:
    """`ancestors_of_parent`: the proposed parent, its parent, and so on up to a root."""
    if category_id in ancestors_of_parent:
        raise InvalidReference(
            "A category cannot sit under itself or its own subcategory.", field="parentId"
        )


def update(
    category: Category, changes: dict[str, Any], *, expected: int | None, now: datetime
) -> tuple[Category, list[str]]:
    if expected is not None and expected != category.version:
        raise StaleVersion(category.version)
    new_fields = replace(category.fields, **changes)
    changed = [camel(n) for n in MUTABLE if getattr(new_fields, n) != getattr(category.fields, n)]
    if not changed:
        return category, []
    return replace(
        category, fields=new_fields, version=category.version + 1, updated_at=now
    ), changed


def delete(category: Category, *, expected: int | None, now: datetime) -> Category:
    if expected is not None and expected != category.version:
        raise StaleVersion(category.version)
    return replace(category, version=category.version + 1, updated_at=now, deleted_at=now)


def from_data(data: dict[str, Any], *, organization_id: str, mode: Mode) -> Category:
    deleted = data.get("deletedAt")
    return Category(
        id=data["id"],
        organization_id=organization_id,
        mode=mode,
        fields=CategoryFields(
            name=data["name"],
            description=data["description"],
            parent_id=data["parentId"],
            metadata=data["metadata"],
        ),
        version=data["version"],
        created_at=datetime.fromisoformat(data["createdAt"]),
        updated_at=datetime.fromisoformat(data["updatedAt"]),
        deleted_at=datetime.fromisoformat(deleted) if deleted else None,
    )
