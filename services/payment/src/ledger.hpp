#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "orderstream/pg/pool.hpp"
#include "webhook_event.hpp"

namespace orderstream::payment {

struct NewTransaction {
    std::uint64_t order_id = 0;
    std::uint64_t account_id = 0;
    std::string customer_id;
    std::string checkout_session_id;
    std::int64_t amount_cents = 0;
    std::string currency;
};

struct TransactionRecord {
    std::uint64_t id = 0;
    std::uint64_t order_id = 0;
    std::string payment_id;
    std::string status;
    std::int64_t amount_cents = 0;
    std::optional<std::int64_t> total_amount_cents;
    std::optional<std::int64_t> settlement_amount_cents;
    std::string currency;
    std::string created_at;
};

// What became of one webhook delivery.
enum class DeliveryOutcome {
    kApplied,    // stored; the transaction (and, if it moves the order, a status change) recorded
    kDuplicate,  // this webhook-id was already received: nothing changed
    kIgnored,    // stored and acknowledged, but nothing to act on (unknown type, no transaction)
};

struct DeliveryResult {
    DeliveryOutcome outcome = DeliveryOutcome::kIgnored;
    std::string detail;  // why it was ignored
    bool status_change_scheduled = false;
};

// payment_db's record of money: checkout transactions, webhook deliveries (deduplicated on
// webhook-id) and the order status changes they cause, each delivery in one transaction.
class Ledger {
public:
    explicit Ledger(pg::Pool& pool);

    std::uint64_t RecordCheckout(const NewTransaction& transaction);

    // Stores a verified delivery and everything it implies in one database transaction.
    DeliveryResult RecordDelivery(const std::string& webhook_id, const WebhookEvent& event, const std::string& body);

    std::vector<TransactionRecord> TransactionsOfCustomer(const std::string& customer_id, std::size_t limit);

private:
    pg::Pool& pool_;
};

}  // namespace orderstream::payment
