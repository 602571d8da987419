#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <pqxx/pqxx>

#include "order_rules.hpp"

namespace orderstream::order {

// An order row held FOR UPDATE by the caller's transaction.
struct LockedOrder {
    std::uint64_t id = 0;
    std::uint64_t account_id = 0;
    OrderStatus status = OrderStatus::kPending;
    std::int64_t total_cents = 0;
    std::string currency;
    std::string paid_payment_id;
};

// Locks an order for a status change; nullopt when there is no such order. Plain statements,
// so it runs on any connection (the pool's or the event consumer's).
std::optional<LockedOrder> LockOrder(pqxx::work& tx, std::uint64_t order_id);

// Moves a locked order to `to` in the caller's transaction, after CheckTransition: the row,
// its history entry (with the reason) and order.status_changed on order_events; becoming paid
// also records the payment and writes the seed's purchase interaction for every line.
// Staying in the same status writes nothing.
Status MoveOrder(pqxx::work& tx, const LockedOrder& order, OrderStatus to, const std::string& reason,
                 const std::string& payment_id = "");

}  // namespace orderstream::order
