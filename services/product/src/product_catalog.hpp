#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "catalog_version.hpp"
#include "orderstream/contracts/product_events.hpp"
#include "orderstream/pg/pool.hpp"
#include "product_rules.hpp"

namespace orderstream::product {

struct ProductRecord {
    std::string id;
    std::int64_t account_id = 0;
    std::string name;
    std::string description;
    std::int64_t price_cents = 0;
    std::string currency;
};

// The products table of product_db. Every change is written together with its
// product_events outbox row in one transaction, and advances the catalog version once it
// has committed.
class ProductCatalog {
public:
    explicit ProductCatalog(pg::Pool& pool);

    ProductRecord Create(const ProductDraft& draft);
    // NOT_FOUND for a missing or deleted product, PERMISSION_DENIED for another owner.
    Result<ProductRecord> Update(const std::string& id, const ProductDraft& draft);
    Status Delete(const std::string& id, std::int64_t account_id);

    std::optional<ProductRecord> Find(const std::string& id);
    // Newest first.
    std::vector<ProductRecord> List(std::uint64_t skip, std::uint64_t take);
    // A seller's products, newest first.
    std::vector<ProductRecord> OfOwner(std::int64_t account_id, std::uint64_t skip, std::uint64_t take);
    // Exactly the live products among `ids`, in the order asked (missing ones omitted).
    std::vector<ProductRecord> FindMany(const std::vector<std::string>& ids);

    CatalogVersion& version() { return version_; }

private:
    void Changed();

    pg::Pool& pool_;
    CatalogVersion version_;
};

// A row with the columns id, account_id, name, description, price_cents, currency.
ProductRecord ProductFromRow(const pqxx::row& row);

// The product_events event for a change to `product`.
contracts::ProductEvent ProductEventOf(contracts::ProductEvent::Kind kind, const ProductRecord& product);

}  // namespace orderstream::product
