-- Read models of the catalog's aggregates; `stacknex projections rebuild catalog` refills them.
CREATE TABLE categories (
    id              text        PRIMARY KEY,
    organization_id text        NOT NULL,
    mode            text        NOT NULL,
    name            text        NOT NULL,
    description     text,
    parent_id       text,
    metadata        jsonb       NOT NULL,
    version         integer     NOT NULL,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    deleted_at      timestamptz
);
-- Unique per organization and mode among live rows: enforced in the append's transaction.
CREATE UNIQUE INDEX categories_name_unique ON categories (organization_id, mode, lower(name))
    WHERE deleted_at IS NULL;
CREATE INDEX categories_listing ON categories (organization_id, mode, id DESC)
    WHERE deleted_at IS NULL;

CREATE TABLE products (
    id                  text          PRIMARY KEY,
    organization_id     text          NOT NULL,
    mode                text          NOT NULL,
    name                text          NOT NULL,
    sku                 text,
    description         text,
    price               numeric(12,2) NOT NULL CHECK (price >= 0),
    currency            char(3)       NOT NULL,
    category_id         text,
    active              boolean       NOT NULL,
    track_inventory     boolean       NOT NULL,
    inventory_policy    text          NOT NULL,
    low_stock_threshold integer,
    metadata            jsonb         NOT NULL,
    version             integer       NOT NULL,
    created_at          timestamptz   NOT NULL,
    updated_at          timestamptz   NOT NULL,
    deleted_at          timestamptz
);
CREATE UNIQUE INDEX products_sku_unique ON products (organization_id, mode, sku)
    WHERE deleted_at IS NULL AND sku IS NOT NULL;
-- Keyset pages: newest first within an organization and mode, and the same by category.
CREATE INDEX products_listing ON products (organization_id, mode, id DESC)
    WHERE deleted_at IS NULL;
CREATE INDEX products_by_category ON products (organization_id, mode, category_id, id DESC)
    WHERE deleted_at IS NULL;
