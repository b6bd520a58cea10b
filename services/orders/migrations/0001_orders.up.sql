-- Read models of the orders service; `stacknex projections rebuild orders` refills them.
CREATE TABLE customers (
    id              text          PRIMARY KEY,
    organization_id text          NOT NULL,
    mode            text          NOT NULL,
    email           text          NOT NULL,
    first_name      text,
    last_name       text,
    phone           text,
    note            text,
    metadata        jsonb         NOT NULL,
    -- Kept from order events: completed orders not voided, and what they came to.
    orders_count    integer       NOT NULL DEFAULT 0,
    total_spent     numeric(14,2) NOT NULL DEFAULT 0,
    version         integer       NOT NULL,
    created_at      timestamptz   NOT NULL,
    updated_at      timestamptz   NOT NULL
);
CREATE UNIQUE INDEX customers_email_unique ON customers (organization_id, mode, lower(email));
CREATE INDEX customers_listing ON customers (organization_id, mode, id DESC);

CREATE TABLE orders (
    id              text          PRIMARY KEY,
    organization_id text          NOT NULL,
    mode            text          NOT NULL,
    order_number    text          NOT NULL,
    status          text          NOT NULL,
    location_id     text          NOT NULL,
    customer_id     text,
    payment_method  text          NOT NULL,
    total           numeric(12,2) NOT NULL,
    body            jsonb         NOT NULL,
    version         integer       NOT NULL,
    created_at      timestamptz   NOT NULL,
    UNIQUE (organization_id, mode, order_number)
);
CREATE INDEX orders_listing ON orders (organization_id, mode, id DESC);
CREATE INDEX orders_by_customer ON orders (customer_id, id DESC) WHERE customer_id IS NOT NULL;

-- ORD-<year>-<n>: consecutive per organization, mode and year. Taken in the transaction that
-- records the order, so a failed order gives its number back and none is ever skipped.
CREATE TABLE order_numbers (
    organization_id text    NOT NULL,
    mode            text    NOT NULL,
    year            integer NOT NULL,
    last            integer NOT NULL,
    PRIMARY KEY (organization_id, mode, year)
);
