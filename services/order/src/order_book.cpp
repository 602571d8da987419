#include "order_book.hpp"

#include <limits>
#include <map>

#include "orderstream/core/paging.hpp"
#include "order_transitions.hpp"
#include "orderstream/contracts/order_events.hpp"
#include "orderstream/pg/arrays.hpp"

namespace orderstream::order {
namespace {

constexpr const char* kOrderColumns =
    "id, account_id, total_price_cents, currency, status, "
    "to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') AS created_at";

OrderRecord OrderFromRow(const pqxx::row& row) {
    OrderRecord record;
    record.id = row["id"].as<std::uint64_t>();
    record.account_id = row["account_id"].as<std::uint64_t>();
    record.total_cents = row["total_price_cents"].as<std::int64_t>();
    record.currency = row["currency"].as<std::string>();
    record.status = row["status"].as<std::string>();
    record.created_at = row["created_at"].as<std::string>();
    return record;
}

bool FitsBigint(std::uint64_t value) { return value <= static_cast<std::uint64_t>(INT64_MAX); }

contracts::OrderCreated CreatedEvent(const OrderRecord& order) {
    contracts::OrderCreated created;
    created.order_id = order.id;
    created.account_id = order.account_id;
    created.total_cents = order.total_cents;
    created.currency = order.currency;
    created.created_at = order.created_at;
    for (const auto& line : order.lines) {
        created.lines.push_back({line.product_id, line.name, line.unit_price_cents, line.quantity});
    }
    return created;
}

}  // namespace

OrderBook::OrderBook(pg::Pool& pool) : pool_(pool) {
    pool_.Prepare("order_insert", std::string("INSERT INTO orders (account_id, total_price_cents, idempotency_key, "
                                              "request_fingerprint) VALUES ($1, $2, $3, $4) "
                                              "ON CONFLICT (account_id, idempotency_key) "
                                              "WHERE idempotency_key IS NOT NULL DO NOTHING RETURNING ") +
                                      kOrderColumns);
    pool_.Prepare("order_line_insert",
                  "INSERT INTO order_products (order_id, position, product_id, name, description, unit_price_cents, "
                  "quantity, seller_account_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)");
    pool_.Prepare("order_history_insert",
                  "INSERT INTO order_status_history (order_id, from_status, to_status, reason) VALUES ($1, $2, $3, $4)");
    pool_.Prepare("order_by_key", std::string("SELECT ") + kOrderColumns +
                                      ", request_fingerprint FROM orders WHERE account_id = $1 AND idempotency_key = $2");
    pool_.Prepare("order_by_id", std::string("SELECT ") + kOrderColumns + " FROM orders WHERE id = $1");
    pool_.Prepare("orders_newest", std::string("SELECT ") + kOrderColumns +
                                       " FROM orders ORDER BY created_at DESC, id DESC OFFSET $1 LIMIT $2");
    pool_.Prepare("orders_of_seller",
                  std::string("SELECT ") + kOrderColumns +
                      " FROM orders WHERE id IN (SELECT DISTINCT order_id FROM order_products "
                      "WHERE seller_account_id = $1) ORDER BY created_at DESC, id DESC OFFSET $2 LIMIT $3");
    pool_.Prepare("orders_for_accounts",
                  std::string("SELECT ") + kOrderColumns +
                      " FROM (SELECT o.*, row_number() OVER (PARTITION BY account_id "
                      "ORDER BY created_at DESC, id DESC) AS rank FROM orders o "
                      "WHERE account_id = ANY($1::bigint[])) ranked "
                      "WHERE rank > $2 AND rank <= $2 + $3 ORDER BY account_id, rank");
    pool_.Prepare("order_lines_for",
                  "SELECT order_id, product_id, name, description, unit_price_cents, quantity, seller_account_id "
                  "FROM order_products WHERE order_id = ANY($1::bigint[]) ORDER BY order_id, position");
}

Result<OrderRecord> OrderBook::Create(const NewOrder& order) {
    auto created = pool_.Transact([&](pqxx::work& tx) -> std::optional<OrderRecord> {
        std::optional<std::string> key;
        std::optional<std::string> fingerprint;
        if (!order.idempotency_key.empty()) {
            key = order.idempotency_key;
            fingerprint = order.fingerprint;
        }
        auto inserted = tx.exec_prepared("order_insert", static_cast<std::int64_t>(order.account_id),
                                         order.priced.total_cents, key, fingerprint);
        if (inserted.empty()) return std::nullopt;  // the key was used meanwhile
        auto record = OrderFromRow(inserted[0]);
        int position = 0;
        for (const auto& line : order.priced.lines) {
            tx.exec_prepared0("order_line_insert", static_cast<std::int64_t>(record.id), position++,
                              line.line.product_id, line.product.name, line.product.description,
                              line.product.price_cents, static_cast<int>(line.line.quantity),
                              line.product.seller_account_id);
            record.lines.push_back({line.line.product_id, line.product.name, line.product.description,
                                    line.product.price_cents, line.line.quantity, line.product.seller_account_id});
        }
        tx.exec_prepared0("order_history_insert", static_cast<std::int64_t>(record.id), std::optional<std::string>(),
                          ToString(OrderStatus::kPending), "placed");
        contracts::Publish(tx, CreatedEvent(record));
        return record;
    });
    if (created) return *created;
    auto existing = FindByKey(order.account_id, order.idempotency_key, order.fingerprint);
    if (!existing.ok()) return existing.error();
    if (!existing->has_value()) return Error::Internal("idempotency key conflict without an order");
    return **existing;
}

Result<std::optional<OrderRecord>> OrderBook::FindByKey(std::uint64_t account_id, const std::string& key,
                                                        const std::string& fingerprint) {
    return pool_.Autocommit([&](pqxx::nontransaction& tx) -> Result<std::optional<OrderRecord>> {
        auto rows = tx.exec_prepared("order_by_key", static_cast<std::int64_t>(account_id), key);
        if (rows.empty()) return std::optional<OrderRecord>();
        if (rows[0]["request_fingerprint"].as<std::string>() != fingerprint) {
            return Error::FailedPrecondition("idempotencyKey was already used for a different order");
        }
        auto orders = WithLines(tx, rows);
        return std::optional<OrderRecord>(std::move(orders.front()));
    });
}

std::optional<OrderRecord> OrderBook::Find(std::uint64_t id) {
    if (!FitsBigint(id)) return std::nullopt;
    return pool_.Autocommit([&](pqxx::nontransaction& tx) -> std::optional<OrderRecord> {
        auto rows = tx.exec_prepared("order_by_id", static_cast<std::int64_t>(id));
        if (rows.empty()) return std::nullopt;
        return WithLines(tx, rows).front();
    });
}

std::vector<OrderRecord> OrderBook::ForAccounts(const std::vector<std::uint64_t>& account_ids, std::uint64_t skip,
                                                std::uint64_t take) {
    std::vector<std::int64_t> ids;
    for (auto id : account_ids) {
        if (FitsBigint(id)) ids.push_back(static_cast<std::int64_t>(id));
    }
    if (ids.empty()) return {};
    auto orders = pool_.Autocommit([&](pqxx::nontransaction& tx) {
        auto rows = tx.exec_prepared("orders_for_accounts", pg::BigintArray(ids), paging::Skip(skip),
                                     paging::Skip(take));
        return WithLines(tx, rows);
    });
    // Group by account in the order asked, keeping each account's newest-first order.
    std::map<std::uint64_t, std::vector<OrderRecord>> by_account;
    for (auto& order : orders) by_account[order.account_id].push_back(std::move(order));
    std::vector<OrderRecord> ordered;
    for (auto id : account_ids) {
        auto it = by_account.find(id);
        if (it == by_account.end()) continue;
        for (auto& order : it->second) ordered.push_back(std::move(order));
        by_account.erase(it);
    }
    return ordered;
}

Status OrderBook::UpdateStatus(std::uint64_t id, OrderStatus to, const std::string& reason) {
    return pool_.Transact([&](pqxx::work& tx) -> Status {
        auto order = LockOrder(tx, id);
        if (!order) return Error::NotFound("order " + std::to_string(id) + " not found");
        return MoveOrder(tx, *order, to, reason);
    });
}

Result<OrderRecord> OrderBook::Cancel(std::uint64_t id, std::uint64_t account_id) {
    auto cancelled = pool_.Transact([&](pqxx::work& tx) -> Status {
        auto order = LockOrder(tx, id);
        // Someone else's order is reported as missing: its existence is not the caller's business.
        if (!order || order->account_id != account_id) return Error::NotFound("order " + std::to_string(id) + " not found");
        if (order->status == OrderStatus::kCancelled) return Status::Ok();
        if (order->status != OrderStatus::kPending && order->status != OrderStatus::kFailed) {
            return Error::FailedPrecondition("order " + std::to_string(id) + " is " + ToString(order->status) +
                                             "; only a pending or failed order can be cancelled");
        }
        return MoveOrder(tx, *order, OrderStatus::kCancelled, "cancelled by the buyer");
    });
    if (!cancelled.ok()) return cancelled.error();
    auto order = Find(id);
    if (!order) return Error::NotFound("order " + std::to_string(id) + " not found");
    return *order;
}

std::vector<OrderRecord> OrderBook::Newest(std::uint64_t skip, std::uint64_t take) {
    return pool_.Autocommit([&](pqxx::nontransaction& tx) {
        return WithLines(tx, tx.exec_prepared("orders_newest", paging::Skip(skip), paging::Skip(take)));
    });
}

std::vector<OrderRecord> OrderBook::Sales(std::uint64_t seller_account_id, std::uint64_t skip, std::uint64_t take) {
    if (!FitsBigint(seller_account_id)) return {};
    auto orders = pool_.Autocommit([&](pqxx::nontransaction& tx) {
        return WithLines(tx, tx.exec_prepared("orders_of_seller", static_cast<std::int64_t>(seller_account_id),
                                              paging::Skip(skip), paging::Skip(take)));
    });
    // A seller sees their own lines of each order, and what those come to.
    for (auto& order : orders) {
        std::erase_if(order.lines, [&](const OrderLine& line) {
            return line.seller_account_id != static_cast<std::int64_t>(seller_account_id);
        });
        order.total_cents = 0;
        for (const auto& line : order.lines) order.total_cents += line.unit_price_cents * line.quantity;
    }
    return orders;
}

std::vector<OrderRecord> OrderBook::WithLines(pqxx::transaction_base& tx, const pqxx::result& rows) {
    std::vector<OrderRecord> orders;
    std::vector<std::int64_t> ids;
    for (const auto& row : rows) {
        orders.push_back(OrderFromRow(row));
        ids.push_back(static_cast<std::int64_t>(orders.back().id));
    }
    if (ids.empty()) return orders;
    std::map<std::uint64_t, std::vector<OrderLine>> lines;
    for (const auto& row : tx.exec_prepared("order_lines_for", pg::BigintArray(ids))) {
        lines[row["order_id"].as<std::uint64_t>()].push_back(
            {row["product_id"].as<std::string>(), row["name"].as<std::string>(), row["description"].as<std::string>(),
             row["unit_price_cents"].as<std::int64_t>(), row["quantity"].as<std::uint32_t>(),
             row["seller_account_id"].as<std::int64_t>()});
    }
    for (auto& order : orders) order.lines = std::move(lines[order.id]);
    return orders;
}

}  // namespace orderstream::order
