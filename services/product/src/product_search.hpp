#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "orderstream/pg/pool.hpp"
#include "product_catalog.hpp"

namespace orderstream::product {

// Finds live products for a user's query, best match first, stable across pages.
class ProductSearch {
public:
    virtual ~ProductSearch() = default;
    virtual std::vector<ProductRecord> Search(const std::string& query, std::uint64_t skip, std::uint64_t take) = 0;
};

// PostgreSQL full-text search: web-search syntax ("phrases", OR, -exclusion) over the
// weighted document (name above description, English stemming), ranked by relevance then
// id. When that matches nothing at all, products matching any word of the query as a prefix
// ("headph", "ceramic mug" without a product that has both); when that matches nothing
// either, names similar by trigrams ("hedphones"). Each stage is used only when the one
// before has no match at all, so pages never mix stages.
class PostgresProductSearch final : public ProductSearch {
public:
    explicit PostgresProductSearch(pg::Pool& pool);
    std::vector<ProductRecord> Search(const std::string& query, std::uint64_t skip, std::uint64_t take) override;

private:
    pg::Pool& pool_;
};

// "wire less-headph" -> "wire:* | less:* | headph:*": a safe to_tsquery text matching any word
// as a prefix (letters and digits only), or empty when the query has no words.
std::string AnyWordPrefixTsQuery(const std::string& query);

}  // namespace orderstream::product
