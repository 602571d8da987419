-- The recommender's own view of the world, fed by Kafka: a replica of the catalog (deleted
-- products are kept as tombstones and never recommended), each user's strongest interaction
-- per product, a running popularity per product, and the last trained model.
CREATE TABLE products (
    id TEXT PRIMARY KEY,
    account_id BIGINT NOT NULL DEFAULT 0,
    name TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    price_cents BIGINT NOT NULL DEFAULT 0,
    currency CHAR(3) NOT NULL DEFAULT 'USD',
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    deleted_at TIMESTAMPTZ
);

-- Every change to interactions takes the next number, so the trainer can tell how much is
-- new since its last snapshot.
CREATE SEQUENCE interaction_changes;

CREATE TABLE interactions (
    user_id TEXT NOT NULL,
    product_id TEXT NOT NULL,
    rating SMALLINT NOT NULL CHECK (rating BETWEEN 1 AND 5),
    change_id BIGINT NOT NULL DEFAULT nextval('interaction_changes'),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, product_id)
);

CREATE INDEX interactions_by_change ON interactions (change_id);

-- Sum of the strongest rating of every user who interacted with the product.
CREATE TABLE product_popularity (
    product_id TEXT PRIMARY KEY,
    score BIGINT NOT NULL DEFAULT 0,
    users BIGINT NOT NULL DEFAULT 0
);

CREATE INDEX product_popularity_best ON product_popularity (score DESC, product_id);

-- Only the newest row is served; older ones are deleted when a new model is stored.
CREATE TABLE models (
    id BIGSERIAL PRIMARY KEY,
    trained_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_change_id BIGINT NOT NULL,
    ratings BIGINT NOT NULL,
    users BIGINT NOT NULL,
    items BIGINT NOT NULL,
    holdout_rmse DOUBLE PRECISION,
    training_seconds DOUBLE PRECISION NOT NULL,
    model BYTEA NOT NULL
);
