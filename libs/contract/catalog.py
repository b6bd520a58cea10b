"""The catalog's contract: products and categories, their requests, answers and operations."""

from typing import Annotated, Any, ClassVar, Literal

from pydantic import BeforeValidator, ConfigDict, Field, StringConstraints, WithJsonSchema

from libs.common.errors import Conflict
from libs.common.ids import is_valid_id
from libs.common.listing import PAGE_MAX, ListQuery
from libs.common.resources import Amount, Deletable
from libs.common.validation import (
    ApiModel,
    CategoryId,
    EventId,
    Integer,
    Metadata,
    Money,
    PatchModel,
    ProductId,
    Version,
    trimmed,
)
from libs.contract.base import Crud
from libs.contract.currencies import ISO_4217
from libs.contract.events import typed_event


def _currency(value: Any) -> Any:
    if not isinstance(value, str) or value.upper() not in ISO_4217:
        raise ValueError("must be an ISO 4217 currency code, like USD")
    return value.upper()


Name = Annotated[str, *trimmed(max_length=200)]
Sku = Annotated[str, *trimmed(max_length=100)]
Description = Annotated[str, StringConstraints(max_length=5000)]
Currency = Annotated[
    str, BeforeValidator(_currency), WithJsonSchema({"type": "string", "enum": sorted(ISO_4217)})
]
Threshold = Annotated[int, Field(ge=0, le=1_000_000_000), Integer]


class ProductCreate(ApiModel):
    name: Name
    price: Money
    currency: Currency | None = None
    sku: Sku | None = None
    description: Description | None = None
    category_id: CategoryId | None = None
    active: bool = True
    track_inventory: bool = True
    inventory_policy: Literal["deny", "continue"] = "deny"
    low_stock_threshold: Threshold | None = None
    metadata: Metadata = Field(default_factory=dict)


class ProductReplace(ProductCreate):
    """PUT: every mutable field; those left out return to their defaults."""

    version: Version | None = None


PRODUCT_REQUIRED = frozenset(
    {"name", "price", "currency", "active", "track_inventory", "inventory_policy", "metadata"}
)


class ProductUpdate(PatchModel):
    """PATCH: only the fields given change; null clears a nullable one."""

    non_null = PRODUCT_REQUIRED

    name: Name | None = None
    price: Money | None = None
    currency: Currency | None = None
    sku: Sku | None = None
    description: Description | None = None
    category_id: CategoryId | None = None
    active: bool | None = None
    track_inventory: bool | None = None
    inventory_policy: Literal["deny", "continue"] | None = None
    low_stock_threshold: Threshold | None = None
    metadata: Metadata | None = None
    version: Version | None = None


def _ids(value: Any) -> Any:
    # `ids=prod_a,prod_b`: up to a page of products by id in one call (a till's basket; the
    # orders service asks for a larger order's products in batches of PAGE_MAX).
    if not isinstance(value, str):
        raise ValueError("must be a comma-separated list of product IDs")
    ids = [part.strip() for part in value.split(",") if part.strip()]
    if not 1 <= len(ids) <= PAGE_MAX or not all(is_valid_id(i, "prod") for i in ids):
        raise ValueError(f"must be 1 to {PAGE_MAX} comma-separated product IDs")
    return ids


class ProductList(ListQuery):
    starting_after: ProductId | None = None
    ids: (
        Annotated[
            list[str],
            BeforeValidator(_ids),
            WithJsonSchema(
                {
                    "type": "string",
                    "description": "comma-separated product ids",
                    "pattern": "^prod_[0-9A-Za-z]{16,64}(,prod_[0-9A-Za-z]{16,64}){0,99}$",
                }
            ),
        ]
        | None
    ) = None
    category_id: CategoryId | None = None
    active: bool | None = None
    sku: Annotated[str, StringConstraints(max_length=100)] | None = None
    q: Annotated[str, StringConstraints(min_length=1, max_length=200)] | None = None


class EventList(ApiModel):
    limit: int = Field(20, ge=1, le=100)
    starting_after: EventId | None = None


class CategoryCreate(ApiModel):
    name: Name
    description: Description | None = None
    parent_id: CategoryId | None = None
    metadata: Metadata = Field(default_factory=dict)


CATEGORY_REQUIRED = frozenset({"name", "metadata"})


class CategoryUpdate(PatchModel):
    non_null = CATEGORY_REQUIRED

    name: Name | None = None
    description: Description | None = None
    parent_id: CategoryId | None = None
    metadata: Metadata | None = None
    version: Version | None = None


class CategoryList(ListQuery):
    starting_after: CategoryId | None = None
    parent_id: CategoryId | None = None
    q: Annotated[str, StringConstraints(min_length=1, max_length=200)] | None = None


InventoryPolicy = Literal["deny", "continue"]


class ProductRead(Deletable):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "prod_0354xIPEOJKu0fmmxXMXnj",
                    "version": 1,
                    "createdAt": "2024-01-15T10:30:00Z",
                    "updatedAt": "2024-01-15T10:30:00Z",
                    "deletedAt": None,
                    "name": "Espresso",
                    "sku": "ESP-001",
                    "description": None,
                    "price": 3.5,
                    "currency": "USD",
                    "categoryId": None,
                    "active": True,
                    "trackInventory": True,
                    "inventoryPolicy": "deny",
                    "lowStockThreshold": 10,
                    "metadata": {},
                }
            ]
        }
    )
    kind: ClassVar[str] = "product"

    name: str
    sku: str | None
    description: str | None
    price: Amount
    currency: str
    category_id: str | None
    active: bool
    track_inventory: bool
    inventory_policy: InventoryPolicy
    low_stock_threshold: int | None
    metadata: dict[str, str]


class CategoryRead(Deletable):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "cat_0354xIPEOJKu0fmmxXMXnj",
                    "version": 1,
                    "createdAt": "2024-01-15T10:30:00Z",
                    "updatedAt": "2024-01-15T10:30:00Z",
                    "deletedAt": None,
                    "name": "Coffee",
                    "description": "Hot drinks",
                    "parentId": None,
                    "metadata": {},
                }
            ]
        }
    )
    kind: ClassVar[str] = "category"

    name: str
    description: str | None
    parent_id: str | None
    metadata: dict[str, str]


ProductEvent = typed_event("ProductEvent", ProductRead)
CategoryEvent = typed_event("CategoryEvent", CategoryRead)
EVENTS = {
    "product.created": ProductEvent,
    "product.updated": ProductEvent,
    "product.deleted": ProductEvent,
    "category.created": CategoryEvent,
    "category.updated": CategoryEvent,
    "category.deleted": CategoryEvent,
}

_products = Crud(
    singular="Product", plural="Products", service="catalog", scope="products", id_type=ProductId
)
_categories = Crud(
    singular="Category",
    plural="Categories",
    service="catalog",
    scope="categories",
    id_type=CategoryId,
)
OPERATIONS = [
    _products.list(ProductList, ProductRead),
    _products.create(
        ProductCreate,
        ProductRead,
        errors=(Conflict,),  # a taken sku
        example={"name": "Espresso", "price": 3.5, "sku": "ESP-001", "lowStockThreshold": 10},
    ),
    _products.get(ProductRead),
    _products.replace(
        ProductReplace,
        ProductRead,
        errors=(Conflict,),
        example={"name": "Espresso", "price": 3.75},
    ),
    _products.update(ProductUpdate, ProductRead, errors=(Conflict,), example={"price": 3.75}),
    _products.delete(),
    _products.events(EventList, ProductEvent),
    _categories.list(CategoryList, CategoryRead),
    _categories.create(
        CategoryCreate, CategoryRead, errors=(Conflict,), example={"name": "Coffee"}
    ),
    _categories.get(CategoryRead),
    _categories.update(
        CategoryUpdate,
        CategoryRead,
        errors=(Conflict,),  # a taken name, or a parent under the category itself
        example={"description": "Hot drinks"},
    ),
    _categories.delete(errors=(Conflict,)),  # still has products or subcategories
    _categories.events(EventList, CategoryEvent),
]
