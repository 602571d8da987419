#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "order_rules.hpp"
#include "orderstream/pg/pool.hpp"

namespace orderstream::order {

struct OrderLine {
    std::string product_id;
    std::string name;
    std::string description;
    std::int64_t unit_price_cents = 0;
    std::uint32_t quantity = 0;
    std::int64_t seller_account_id = 0;
};

struct OrderRecord {
    std::uint64_t id = 0;
    std::uint64_t account_id = 0;
    std::int64_t total_cents = 0;
    std::string currency;
    std::string status;
    std::string created_at;  // RFC 3339, UTC
    std::vector<OrderLine> lines;
};

// A new order as PostOrder decided it.
struct NewOrder {
    std::uint64_t account_id = 0;
    PricedOrder priced;
    std::string idempotency_key;  // empty: none
    std::string fingerprint;
};

// The orders, order_products and order_status_history tables of order_db.
class OrderBook {
public:
    explicit OrderBook(pg::Pool& pool);

    // Stores the order, its lines, its first history entry and order.created in one
    // transaction. With an idempotency key already used by the account, returns that order
    // instead (FAILED_PRECONDITION when it was for a different cart).
    Result<OrderRecord> Create(const NewOrder& order);
    // The order an account already placed under `key`, if any.
    Result<std::optional<OrderRecord>> FindByKey(std::uint64_t account_id, const std::string& key,
                                                 const std::string& fingerprint);
    std::optional<OrderRecord> Find(std::uint64_t id);
    // Newest first, `take` per account, in the order of `account_ids`.
    std::vector<OrderRecord> ForAccounts(const std::vector<std::uint64_t>& account_ids, std::uint64_t skip,
                                         std::uint64_t take);
    // Applies one state-machine step atomically, with its order.status_changed; a repeat of the
    // current status is a no-op.
    Status UpdateStatus(std::uint64_t id, OrderStatus to, const std::string& reason);
    // The buyer's cancellation of their own pending or failed order (NOT_FOUND for another's).
    Result<OrderRecord> Cancel(std::uint64_t id, std::uint64_t account_id);
    // Every order, newest first.
    std::vector<OrderRecord> Newest(std::uint64_t skip, std::uint64_t take);
    // Orders with a line sold by `seller_account_id`, newest first, each reduced to those lines.
    std::vector<OrderRecord> Sales(std::uint64_t seller_account_id, std::uint64_t skip, std::uint64_t take);

private:
    std::vector<OrderRecord> WithLines(pqxx::transaction_base& tx, const pqxx::result& orders);
    pg::Pool& pool_;
};

}  // namespace orderstream::order
