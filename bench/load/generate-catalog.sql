-- Bench-only data: :count realistic products (adjective, material, noun; a two-sentence
-- description), spread over 500 owners, written straight into product_db.products.
WITH words AS (
    SELECT
        ARRAY['wireless','compact','organic','vintage','portable','waterproof','ergonomic','premium','classic',
              'lightweight','heavy-duty','handmade','smart','foldable','insulated','rechargeable','minimalist',
              'adjustable','kids','professional'] AS adjectives,
        ARRAY['leather','cotton','bamboo','steel','stainless','ceramic','wooden','glass','wool','silicone',
              'aluminium','linen','canvas','oak','copper'] AS materials,
        ARRAY['headphones','speaker','backpack','running shoes','coffee mug','water bottle','desk lamp','keyboard',
              'gaming mouse','yoga mat','jacket','camera','notebook','garden hose','toy car','phone case',
              'sunglasses','wallet','blender','tent','chair','watch','scarf','kettle','drone'] AS nouns,
        ARRAY['Built to last for everyday use.','Ships in recyclable packaging.','A favourite of our customers.',
              'Designed in small batches.','Comes with a two-year warranty.','Easy to clean and store.',
              'Perfect as a gift.','Tested for outdoor conditions.'] AS sentences
)
INSERT INTO products (id, account_id, name, description, price_cents, created_at)
SELECT
    md5('bench-' || i)::uuid::text,
    1 + (i % 500),
    initcap(adjectives[1 + (i * 7) % 20] || ' ' || materials[1 + (i * 11) % 15] || ' ' || nouns[1 + (i * 13) % 25])
        || ' ' || (i % 97),
    'A ' || adjectives[1 + (i * 3) % 20] || ' ' || nouns[1 + (i * 13) % 25] || ' made of '
        || materials[1 + (i * 11) % 15] || '. ' || sentences[1 + i % 8] || ' ' || sentences[1 + (i / 8) % 8],
    99 + (i * 7919) % 99900,
    now() - (i || ' seconds')::interval
FROM generate_series(1, :count) AS i, words
ON CONFLICT (id) DO NOTHING;
-- Written past the service: tell running product roles their cached searches are stale.
SELECT nextval('catalog_changes') \gset
ANALYZE products;
