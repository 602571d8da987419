-- Catalog with prices in integer minor units and a weighted full-text document
-- (name above description, English stemming). Deleted products are kept (orders point at
-- them) but leave listings and search.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE products (
    id TEXT PRIMARY KEY,
    account_id BIGINT NOT NULL,
    name VARCHAR(200) NOT NULL,
    description VARCHAR(5000) NOT NULL DEFAULT '',
    price_cents BIGINT NOT NULL CHECK (price_cents >= 0),
    currency CHAR(3) NOT NULL DEFAULT 'USD',
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    deleted_at TIMESTAMPTZ,
    document TSVECTOR GENERATED ALWAYS AS (
        setweight(to_tsvector('english', name), 'A') || setweight(to_tsvector('english', description), 'B')
    ) STORED
);

CREATE INDEX products_document ON products USING GIN (document) WHERE deleted_at IS NULL;
CREATE INDEX products_name_trigram ON products USING GIN (lower(name) gin_trgm_ops) WHERE deleted_at IS NULL;
CREATE INDEX products_newest ON products (created_at DESC, id DESC) WHERE deleted_at IS NULL;
CREATE INDEX products_owner ON products (account_id);
