#include "indexed_products.hpp"

namespace orderstream::product {
namespace {

// extract(epoch ...) is numeric since PostgreSQL 14, so the microseconds are exact.
constexpr const char* kColumns =
    "id, account_id, name, description, price_cents, currency, deleted_at IS NOT NULL AS deleted, "
    "(extract(epoch FROM updated_at) * 1000000)::bigint AS version";

IndexedProducts::Row RowOf(const pqxx::row& row) {
    IndexedProducts::Row out;
    out.product.record = ProductFromRow(row);
    out.product.version = row["version"].as<std::int64_t>();
    out.deleted = row["deleted"].as<bool>();
    return out;
}

}  // namespace

std::optional<IndexedProducts::Row> IndexedProducts::Current(pqxx::transaction_base& tx, const std::string& id) {
    auto rows = tx.exec_params(std::string("SELECT ") + kColumns + " FROM products WHERE id = $1", id);
    if (rows.empty()) return std::nullopt;
    return RowOf(rows[0]);
}

std::vector<IndexedProduct> IndexedProducts::LivePage(pqxx::transaction_base& tx, const std::string& after_id,
                                                      std::size_t limit) {
    auto rows = tx.exec_params(std::string("SELECT ") + kColumns +
                                   " FROM products WHERE deleted_at IS NULL AND id > $1 ORDER BY id LIMIT $2",
                               after_id, static_cast<std::int64_t>(limit));
    std::vector<IndexedProduct> page;
    page.reserve(rows.size());
    for (const auto& row : rows) page.push_back(RowOf(row).product);
    return page;
}

std::uint64_t IndexedProducts::LiveCount(pqxx::transaction_base& tx) {
    return tx.exec1("SELECT count(*) FROM products WHERE deleted_at IS NULL")[0].as<std::uint64_t>();
}

std::vector<IndexedProducts::Row> IndexedProducts::ChangedSince(pqxx::transaction_base& tx,
                                                                std::int64_t since_version) {
    auto rows = tx.exec_params(std::string("SELECT ") + kColumns +
                                   " FROM products WHERE updated_at >= to_timestamp($1::numeric / 1000000) ORDER BY id",
                               since_version);
    std::vector<Row> changed;
    changed.reserve(rows.size());
    for (const auto& row : rows) changed.push_back(RowOf(row));
    return changed;
}

std::int64_t IndexedProducts::VersionAgo(pqxx::transaction_base& tx, const std::string& ago) {
    return tx.exec_params1("SELECT (extract(epoch FROM now() - $1::interval) * 1000000)::bigint", ago)[0]
        .as<std::int64_t>();
}

}  // namespace orderstream::product
