#include "product_catalog.hpp"

#include <unordered_map>

#include "orderstream/contracts/product_events.hpp"
#include "orderstream/core/log.hpp"
#include "orderstream/core/money.hpp"
#include "orderstream/core/paging.hpp"
#include "orderstream/core/uuid.hpp"
#include "orderstream/pg/arrays.hpp"

namespace orderstream::product {
namespace {

constexpr const char* kColumns = "id, account_id, name, description, price_cents, currency";

}  // namespace

ProductRecord ProductFromRow(const pqxx::row& row) {
    ProductRecord record;
    record.id = row["id"].as<std::string>();
    record.account_id = row["account_id"].as<std::int64_t>();
    record.name = row["name"].as<std::string>();
    record.description = row["description"].as<std::string>();
    record.price_cents = row["price_cents"].as<std::int64_t>();
    record.currency = row["currency"].as<std::string>();
    return record;
}

contracts::ProductEvent ProductEventOf(contracts::ProductEvent::Kind kind, const ProductRecord& product) {
    contracts::ProductEvent event;
    event.kind = kind;
    event.product_id = product.id;
    event.name = product.name;
    event.description = product.description;
    event.price_cents = product.price_cents;
    event.currency = product.currency;
    event.account_id = product.account_id;
    return event;
}

namespace {

void Emit(pqxx::work& tx, contracts::ProductEvent::Kind kind, const ProductRecord& product) {
    contracts::Publish(tx, ProductEventOf(kind, product));
}

}  // namespace

ProductCatalog::ProductCatalog(pg::Pool& pool) : pool_(pool), version_(pool) {
    pool_.Prepare("product_insert", std::string("INSERT INTO products (id, account_id, name, description, price_cents) "
                                                "VALUES ($1, $2, $3, $4, $5) RETURNING ") +
                                        kColumns);
    pool_.Prepare("product_lock", std::string("SELECT ") + kColumns +
                                      " FROM products WHERE id = $1 AND deleted_at IS NULL FOR UPDATE");
    // updated_at is the search index's external version of the row. clock_timestamp(), not
    // now(): these run under the row lock, so a later writer always gets a later value, even
    // when its transaction began before the earlier writer's.
    pool_.Prepare("product_update",
                  std::string("UPDATE products SET name = $2, description = $3, price_cents = $4, "
                              "updated_at = clock_timestamp() WHERE id = $1 RETURNING ") +
                      kColumns);
    pool_.Prepare("product_delete",
                  "UPDATE products SET deleted_at = clock_timestamp(), updated_at = clock_timestamp() WHERE id = $1");
    pool_.Prepare("product_find",
                  std::string("SELECT ") + kColumns + " FROM products WHERE id = $1 AND deleted_at IS NULL");
    pool_.Prepare("product_list", std::string("SELECT ") + kColumns +
                                      " FROM products WHERE deleted_at IS NULL "
                                      "ORDER BY created_at DESC, id DESC OFFSET $1 LIMIT $2");
    pool_.Prepare("product_list_of_owner", std::string("SELECT ") + kColumns +
                                               " FROM products WHERE account_id = $1 AND deleted_at IS NULL "
                                               "ORDER BY created_at DESC, id DESC OFFSET $2 LIMIT $3");
    pool_.Prepare("product_find_many", std::string("SELECT ") + kColumns +
                                           " FROM products WHERE id = ANY($1::text[]) AND deleted_at IS NULL");
}

void ProductCatalog::Changed() {
    // The change has committed: failing the call now would invite a retry that repeats it.
    // Cached searches expire on their own if the version could not move.
    try {
        version_.Advance();
    } catch (const std::exception& e) {
        spdlog::warn("catalog version not advanced after a change: {}", e.what());
    }
}

ProductRecord ProductCatalog::Create(const ProductDraft& draft) {
    auto created = pool_.Transact([&](pqxx::work& tx) {
        auto product = ProductFromRow(tx.exec_prepared1("product_insert", uuid::NewV7(), draft.account_id, draft.name,
                                                 draft.description, draft.price_cents));
        Emit(tx, contracts::ProductEvent::Kind::kCreated, product);
        return product;
    });
    Changed();
    return created;
}

Result<ProductRecord> ProductCatalog::Update(const std::string& id, const ProductDraft& draft) {
    auto updated = pool_.Transact([&](pqxx::work& tx) -> Result<ProductRecord> {
        auto current = tx.exec_prepared("product_lock", id);
        if (current.empty()) return Error::NotFound("product " + id + " not found");
        if (current[0]["account_id"].as<std::int64_t>() != draft.account_id) {
            return Error::PermissionDenied("only the owner may update product " + id);
        }
        auto product = ProductFromRow(
            tx.exec_prepared1("product_update", id, draft.name, draft.description, draft.price_cents));
        Emit(tx, contracts::ProductEvent::Kind::kUpdated, product);
        return product;
    });
    if (updated.ok()) Changed();
    return updated;
}

Status ProductCatalog::Delete(const std::string& id, std::int64_t account_id) {
    auto deleted = pool_.Transact([&](pqxx::work& tx) -> Status {
        auto current = tx.exec_prepared("product_lock", id);
        if (current.empty()) return Error::NotFound("product " + id + " not found");
        auto product = ProductFromRow(current[0]);
        if (product.account_id != account_id) return Error::PermissionDenied("only the owner may delete product " + id);
        tx.exec_prepared0("product_delete", id);
        Emit(tx, contracts::ProductEvent::Kind::kDeleted, product);
        return Status::Ok();
    });
    if (deleted.ok()) Changed();
    return deleted;
}

std::optional<ProductRecord> ProductCatalog::Find(const std::string& id) {
    auto rows = pool_.Autocommit([&](pqxx::nontransaction& tx) { return tx.exec_prepared("product_find", id); });
    if (rows.empty()) return std::nullopt;
    return ProductFromRow(rows[0]);
}

std::vector<ProductRecord> ProductCatalog::List(std::uint64_t skip, std::uint64_t take) {
    auto rows = pool_.Autocommit([&](pqxx::nontransaction& tx) {
        return tx.exec_prepared("product_list", paging::Skip(skip), paging::Skip(take));
    });
    std::vector<ProductRecord> products;
    products.reserve(rows.size());
    for (const auto& row : rows) products.push_back(ProductFromRow(row));
    return products;
}

std::vector<ProductRecord> ProductCatalog::OfOwner(std::int64_t account_id, std::uint64_t skip, std::uint64_t take) {
    auto rows = pool_.Autocommit([&](pqxx::nontransaction& tx) {
        return tx.exec_prepared("product_list_of_owner", account_id, paging::Skip(skip), paging::Skip(take));
    });
    std::vector<ProductRecord> products;
    products.reserve(rows.size());
    for (const auto& row : rows) products.push_back(ProductFromRow(row));
    return products;
}

std::vector<ProductRecord> ProductCatalog::FindMany(const std::vector<std::string>& ids) {
    if (ids.empty()) return {};
    auto rows = pool_.Autocommit([&](pqxx::nontransaction& tx) {
        return tx.exec_prepared("product_find_many", pg::TextArray(ids));
    });
    std::unordered_map<std::string, ProductRecord> by_id;
    for (const auto& row : rows) {
        auto record = ProductFromRow(row);
        by_id.emplace(record.id, std::move(record));
    }
    std::vector<ProductRecord> ordered;
    for (const auto& id : ids) {
        if (auto it = by_id.find(id); it != by_id.end()) ordered.push_back(it->second);
    }
    return ordered;
}

}  // namespace orderstream::product
