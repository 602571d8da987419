#include "replica_store.hpp"

#include <optional>

#include <spdlog/spdlog.h>

#include "orderstream/core/paging.hpp"
#include "orderstream/pg/arrays.hpp"

namespace orderstream::recommender {
namespace {

constexpr const char* kColumns = "p.id, p.account_id, p.name, p.description, p.price_cents, p.currency";

ReplicaProduct ProductFromRow(const pqxx::row& row) {
    return {row["id"].as<std::string>(),          row["account_id"].as<std::int64_t>(),
            row["name"].as<std::string>(),        row["description"].as<std::string>(),
            row["price_cents"].as<std::int64_t>(), row["currency"].as<std::string>()};
}

}  // namespace

ReplicaStore::ReplicaStore(pg::Pool& pool) : pool_(pool) {
    pool_.Prepare("recommender_interacted", "SELECT product_id FROM interactions WHERE user_id = $1");
    pool_.Prepare("recommender_live", std::string("SELECT ") + kColumns +
                                          " FROM products p WHERE p.id = ANY($1::text[]) AND p.deleted_at IS NULL");
    pool_.Prepare("recommender_popular",
                  std::string("SELECT ") + kColumns +
                      " FROM products p LEFT JOIN product_popularity pop ON pop.product_id = p.id "
                      "WHERE p.deleted_at IS NULL AND NOT (p.id = ANY($1::text[])) "
                      "ORDER BY COALESCE(pop.score, 0) DESC, p.id COLLATE \"C\" OFFSET $2 LIMIT $3");
}

Status ReplicaStore::Apply(pqxx::work& tx, const events::Envelope& event) {
    auto product = ParseProductEvent(event);
    if (!product.ok()) return product.error();
    if (product->has_value()) {
        ApplyProduct(tx, **product);
        return Status::Ok();
    }
    auto interaction = ParseInteractionEvent(event);
    if (!interaction.ok()) return interaction.error();
    if (interaction->has_value()) {
        ApplyInteraction(tx, **interaction);
        return Status::Ok();
    }
    spdlog::debug("event {} of type {} is not for the recommender", event.id, event.type);
    return Status::Ok();
}

void ReplicaStore::ApplyProduct(pqxx::work& tx, const ProductChange& change) {
    if (change.kind == ProductChange::Kind::kDelete) {
        // A tombstone even for a product never seen, so a late copy cannot bring it back.
        tx.exec_params0(
            "INSERT INTO products (id, deleted_at) VALUES ($1, now()) "
            "ON CONFLICT (id) DO UPDATE SET deleted_at = COALESCE(products.deleted_at, now()), updated_at = now()",
            change.product_id);
        return;
    }
    tx.exec_params0(
        "INSERT INTO products (id, account_id, name, description, price_cents, currency) "
        "VALUES ($1, $2, $3, $4, $5, $6) "
        "ON CONFLICT (id) DO UPDATE SET account_id = EXCLUDED.account_id, name = EXCLUDED.name, "
        "description = EXCLUDED.description, price_cents = EXCLUDED.price_cents, currency = EXCLUDED.currency, "
        "updated_at = now() WHERE products.deleted_at IS NULL",
        change.product_id, change.account_id, change.name, change.description, change.price_cents, change.currency);
}

void ReplicaStore::ApplyInteraction(pqxx::work& tx, const Interaction& interaction) {
    // Repeated interactions keep the strongest: a view after a purchase changes nothing.
    auto previous = tx.exec_params(
        "SELECT rating FROM interactions WHERE user_id = $1 AND product_id = $2 FOR UPDATE", interaction.user_id,
        interaction.product_id);
    std::optional<int> before;
    if (!previous.empty()) before = previous[0][0].as<int>();
    if (before && *before >= interaction.rating) return;
    tx.exec_params0(
        "INSERT INTO interactions (user_id, product_id, rating) VALUES ($1, $2, $3) "
        "ON CONFLICT (user_id, product_id) DO UPDATE SET rating = EXCLUDED.rating, "
        "change_id = nextval('interaction_changes'), updated_at = now()",
        interaction.user_id, interaction.product_id, interaction.rating);
    tx.exec_params0(
        "INSERT INTO product_popularity (product_id, score, users) VALUES ($1, $2, $3) "
        "ON CONFLICT (product_id) DO UPDATE SET score = product_popularity.score + EXCLUDED.score, "
        "users = product_popularity.users + EXCLUDED.users",
        interaction.product_id, interaction.rating - before.value_or(0), before ? 0 : 1);
}

std::vector<std::string> ReplicaStore::InteractedProducts(const std::string& user_id) {
    return pool_.Autocommit([&](pqxx::nontransaction& tx) {
        std::vector<std::string> ids;
        for (const auto& row : tx.exec_prepared("recommender_interacted", user_id)) {
            ids.push_back(row[0].as<std::string>());
        }
        return ids;
    });
}

std::map<std::string, ReplicaProduct> ReplicaStore::LiveProducts(const std::vector<std::string>& ids) {
    if (ids.empty()) return {};
    return pool_.Autocommit([&](pqxx::nontransaction& tx) {
        std::map<std::string, ReplicaProduct> products;
        for (const auto& row : tx.exec_prepared("recommender_live", pg::TextArray(ids))) {
            auto product = ProductFromRow(row);
            products.emplace(product.id, std::move(product));
        }
        return products;
    });
}

std::vector<ReplicaProduct> ReplicaStore::Popular(const std::vector<std::string>& excluded, std::uint64_t skip,
                                                  std::uint64_t take) {
    return pool_.Autocommit([&](pqxx::nontransaction& tx) {
        std::vector<ReplicaProduct> products;
        for (const auto& row : tx.exec_prepared("recommender_popular", pg::TextArray(excluded), paging::Skip(skip),
                                                static_cast<std::int64_t>(take))) {
            products.push_back(ProductFromRow(row));
        }
        return products;
    });
}

}  // namespace orderstream::recommender
