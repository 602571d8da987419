#include "order_transitions.hpp"

#include "orderstream/contracts/interaction_events.hpp"
#include "orderstream/contracts/order_events.hpp"
#include "orderstream/events/envelope.hpp"

namespace orderstream::order {

std::optional<LockedOrder> LockOrder(pqxx::work& tx, std::uint64_t order_id) {
    if (order_id > static_cast<std::uint64_t>(INT64_MAX)) return std::nullopt;
    auto rows = tx.exec_params(
        "SELECT account_id, status, total_price_cents, currency, COALESCE(paid_payment_id, '') FROM orders "
        "WHERE id = $1 FOR UPDATE",
        static_cast<std::int64_t>(order_id));
    if (rows.empty()) return std::nullopt;
    LockedOrder order;
    order.id = order_id;
    order.account_id = rows[0][0].as<std::uint64_t>();
    auto status = ParseStatus(rows[0][1].as<std::string>());
    if (!status.ok()) throw std::logic_error("order " + std::to_string(order_id) + ": " + status.error().message);
    order.status = *status;
    order.total_cents = rows[0][2].as<std::int64_t>();
    order.currency = rows[0][3].as<std::string>();
    order.paid_payment_id = rows[0][4].as<std::string>();
    return order;
}

Status MoveOrder(pqxx::work& tx, const LockedOrder& order, OrderStatus to, const std::string& reason,
                 const std::string& payment_id) {
    if (auto allowed = CheckTransition(order.id, order.status, to); !allowed.ok()) return allowed;
    if (order.status == to) return Status::Ok();
    auto id = static_cast<std::int64_t>(order.id);
    std::optional<std::string> payment;
    if (!payment_id.empty()) payment = payment_id;
    tx.exec_params0(
        "UPDATE orders SET status = $2, paid_payment_id = CASE WHEN $2 = 'paid' THEN $3 ELSE paid_payment_id END, "
        "updated_at = now() WHERE id = $1",
        id, ToString(to), payment);
    tx.exec_params0(
        "INSERT INTO order_status_history (order_id, from_status, to_status, reason, payment_id) "
        "VALUES ($1, $2, $3, $4, $5)",
        id, ToString(order.status), ToString(to), reason, payment);
    contracts::OrderStatusChanged changed;
    changed.order_id = order.id;
    changed.account_id = order.account_id;
    changed.from = ToString(order.status);
    changed.to = ToString(to);
    changed.reason = reason;
    changed.at = events::NowRfc3339();
    changed.payment_id = payment_id;
    contracts::Publish(tx, changed);
    if (to == OrderStatus::kPaid) {
        auto user = std::to_string(order.account_id);
        for (const auto& line :
             tx.exec_params("SELECT product_id, quantity FROM order_products WHERE order_id = $1 ORDER BY position", id)) {
            contracts::Publish(tx, contracts::PurchaseMade{user, line[0].as<std::string>(), line[1].as<std::uint32_t>(),
                                                           order.id});
        }
    }
    return Status::Ok();
}

}  // namespace orderstream::order
