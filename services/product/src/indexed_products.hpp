#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <pqxx/pqxx>

#include "search_index.hpp"

namespace orderstream::product {

// The index's view of the products table: each row with its version (updated_at in
// microseconds) and whether it is soft-deleted. Reads only; the catalog owns the writes.
class IndexedProducts {
public:
    struct Row {
        IndexedProduct product;
        bool deleted = false;
    };

    // The current state of one product, nullopt when no such row exists.
    static std::optional<Row> Current(pqxx::transaction_base& tx, const std::string& id);
    // Live products with an id after `after_id`, in id order (keyset pages for a full load).
    static std::vector<IndexedProduct> LivePage(pqxx::transaction_base& tx, const std::string& after_id,
                                                std::size_t limit);
    static std::uint64_t LiveCount(pqxx::transaction_base& tx);
    // Every product, live or deleted, whose version is at least `since_version`.
    static std::vector<Row> ChangedSince(pqxx::transaction_base& tx, std::int64_t since_version);
    // The version a row written `ago` (a PostgreSQL interval) before now would have, by the
    // database's clock (the one updated_at is written with).
    static std::int64_t VersionAgo(pqxx::transaction_base& tx, const std::string& ago);
};

}  // namespace orderstream::product
