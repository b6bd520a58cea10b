ALTER TABLE locations ADD COLUMN address text;
ALTER TABLE locations ADD COLUMN metadata jsonb NOT NULL DEFAULT '{}';

-- What the inventory needs to know of each catalog product, from the catalog's events (or
-- from the order that sells it, which read the catalog a moment before).
CREATE TABLE products (
    id                  text    PRIMARY KEY,
    organization_id     text    NOT NULL,
    mode                text    NOT NULL,
    track_inventory     boolean NOT NULL,
    inventory_policy    text    NOT NULL,
    low_stock_threshold integer,
    deleted             boolean NOT NULL DEFAULT false,
    version             integer NOT NULL
);

CREATE TABLE inventory_items (
    id                 text        PRIMARY KEY,
    organization_id    text        NOT NULL,
    mode               text        NOT NULL,
    product_id         text        NOT NULL,
    location_id        text        NOT NULL,
    on_hand            integer     NOT NULL,
    committed          integer     NOT NULL,
    threshold_override integer,
    product_threshold  integer,
    low_stock_threshold integer GENERATED ALWAYS AS (coalesce(threshold_override, product_threshold)) STORED,
    version            integer     NOT NULL,
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL,
    UNIQUE (organization_id, mode, product_id, location_id)
);
CREATE INDEX inventory_items_listing ON inventory_items (organization_id, mode, id DESC);
CREATE INDEX inventory_items_by_product ON inventory_items (product_id, id DESC);

-- The ledger: one line per change of on-hand stock; per item it sums to on_hand.
CREATE TABLE adjustments (
    id              text        PRIMARY KEY,
    item_id         text        NOT NULL,
    organization_id text        NOT NULL,
    mode            text        NOT NULL,
    delta           integer     NOT NULL,
    reason          text        NOT NULL,
    order_id        text,
    on_hand_after   integer     NOT NULL,
    created_at      timestamptz NOT NULL
);
CREATE INDEX adjustments_by_item ON adjustments (item_id, id DESC);

CREATE TABLE stock_holds (
    order_id        text        PRIMARY KEY,
    organization_id text        NOT NULL,
    mode            text        NOT NULL,
    location_id     text        NOT NULL,
    state           text        NOT NULL,
    confirmed       boolean     NOT NULL,
    lines           jsonb       NOT NULL,
    created_at      timestamptz NOT NULL
);
-- The sweeper looks for holds whose order never arrived.
CREATE INDEX stock_holds_unconfirmed ON stock_holds (created_at) WHERE NOT confirmed;
