#include "replica_store.hpp"

#include <optional>

#include <spdlog/spdlog.h>

#include "orderstream/contracts/interaction_events.hpp"
#include "orderstream/contracts/order_events.hpp"
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
    pool_.Prepare("recommender_interacted",
                  "SELECT product_id FROM interactions WHERE user_id = $1 AND rating IS NOT NULL");
    pool_.Prepare("recommender_live", std::string("SELECT ") + kColumns +
                                          " FROM products p WHERE p.id = ANY($1::text[]) AND p.deleted_at IS NULL");
    pool_.Prepare("recommender_popular",
                  std::string("SELECT ") + kColumns +
                      " FROM products p LEFT JOIN product_popularity pop ON pop.product_id = p.id "
                      "WHERE p.deleted_at IS NULL AND NOT (p.id = ANY($1::text[])) "
                      "ORDER BY COALESCE(pop.score, 0) DESC, p.id COLLATE \"C\" OFFSET $2 LIMIT $3");
}

int RatingOf(bool viewed, int paid_orders) {
    if (paid_orders > 0) return kPurchaseRating;
    return viewed ? kViewRating : 0;
}

namespace {

// order.created keeps the lines; order.status_changed to paid counts them, from paid to
// refunded takes them back (each transition arrives once: the consumer deduplicates).
void ApplyOrderChange(pqxx::work& tx, const contracts::OrderStatusChanged& change) {
    int delta = change.to == "paid" ? 1 : (change.from == "paid" && change.to == "refunded") ? -1 : 0;
    if (delta == 0) return;
    auto lines = tx.exec_params("SELECT user_id, product_id FROM order_lines WHERE order_id = $1",
                                static_cast<std::int64_t>(change.order_id));
    if (lines.empty()) spdlog::warn("order {} became {} but its lines were never seen", change.order_id, change.to);
    for (const auto& line : lines) {
        ReplicaStore::ChangeInteraction(tx, line[0].as<std::string>(), line[1].as<std::string>(), false, delta);
    }
}

}  // namespace

Status ReplicaStore::Apply(pqxx::work& tx, const events::Envelope& event) {
    if (auto product = contracts::Read<contracts::ProductEvent>(event); !product.ok()) {
        return product.error();
    } else if (product->has_value()) {
        ApplyProduct(tx, **product);
        return Status::Ok();
    }
    if (auto view = contracts::Read<contracts::ProductViewed>(event); !view.ok()) {
        return view.error();
    } else if (view->has_value()) {
        ChangeInteraction(tx, (*view)->user_id, (*view)->product_id, true, 0);
        return Status::Ok();
    }
    if (auto created = contracts::Read<contracts::OrderCreated>(event); !created.ok()) {
        return created.error();
    } else if (created->has_value()) {
        for (const auto& line : (*created)->lines) {
            tx.exec_params0("INSERT INTO order_lines (order_id, user_id, product_id) VALUES ($1, $2, $3) "
                            "ON CONFLICT DO NOTHING",
                            static_cast<std::int64_t>((*created)->order_id), std::to_string((*created)->account_id),
                            line.product_id);
        }
        return Status::Ok();
    }
    if (auto changed = contracts::Read<contracts::OrderStatusChanged>(event); !changed.ok()) {
        return changed.error();
    } else if (changed->has_value()) {
        ApplyOrderChange(tx, **changed);
        return Status::Ok();
    }
    spdlog::debug("event {} of type {} is not for the recommender", event.id, event.type);
    return Status::Ok();
}

void ReplicaStore::ApplyProduct(pqxx::work& tx, const contracts::ProductEvent& change) {
    if (change.kind == contracts::ProductEvent::Kind::kDeleted) {
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

void ReplicaStore::ChangeInteraction(pqxx::work& tx, const std::string& user_id, const std::string& product_id,
                                     bool viewed, int paid_orders_delta) {
    auto previous = tx.exec_params(
        "SELECT viewed, paid_orders FROM interactions WHERE user_id = $1 AND product_id = $2 FOR UPDATE", user_id,
        product_id);
    bool was_viewed = !previous.empty() && previous[0][0].as<bool>();
    int paid_before = previous.empty() ? 0 : previous[0][1].as<int>();
    bool now_viewed = was_viewed || viewed;
    int paid_after = std::max(0, paid_before + paid_orders_delta);
    int before = RatingOf(was_viewed, paid_before);
    int after = RatingOf(now_viewed, paid_after);
    std::optional<int> rating;
    if (after > 0) rating = after;
    // A new change_id only when the rating changed: that is what the trainer counts.
    tx.exec_params0(
        "INSERT INTO interactions (user_id, product_id, rating, viewed, paid_orders) VALUES ($1, $2, $3, $4, $5) "
        "ON CONFLICT (user_id, product_id) DO UPDATE SET rating = EXCLUDED.rating, viewed = EXCLUDED.viewed, "
        "paid_orders = EXCLUDED.paid_orders, change_id = CASE WHEN interactions.rating IS DISTINCT FROM EXCLUDED.rating "
        "THEN nextval('interaction_changes') ELSE interactions.change_id END, updated_at = now()",
        user_id, product_id, rating, now_viewed, paid_after);
    if (before == after) return;
    tx.exec_params0(
        "INSERT INTO product_popularity (product_id, score, users) VALUES ($1, $2, $3) "
        "ON CONFLICT (product_id) DO UPDATE SET score = product_popularity.score + EXCLUDED.score, "
        "users = product_popularity.users + EXCLUDED.users",
        product_id, after - before, (after > 0 ? 1 : 0) - (before > 0 ? 1 : 0));
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
