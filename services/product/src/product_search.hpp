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
// id. When the full-text query matches nothing at all, a fallback matches word prefixes and
// similar names by trigram similarity, so "headph" and "hedphones" still find headphones.
class PostgresProductSearch final : public ProductSearch {
public:
    explicit PostgresProductSearch(pg::Pool& pool);
    std::vector<ProductRecord> Search(const std::string& query, std::uint64_t skip, std::uint64_t take) override;

private:
    pg::Pool& pool_;
};

// "wire less-headph" -> "wire:* & less:* & headph:*": a safe to_tsquery text of word prefixes
// (letters and digits only), or empty when the query has no words.
std::string PrefixTsQuery(const std::string& query);

}  // namespace orderstream::product
