#include "ledger.hpp"

#include "orderstream/core/log.hpp"

namespace orderstream::payment {
namespace {

std::optional<std::int64_t> OptionalInt(const pqxx::field& field) {
    if (field.is_null()) return std::nullopt;
    return field.as<std::int64_t>();
}

const char* Nullable(const std::string& text) { return text.empty() ? nullptr : text.c_str(); }

}  // namespace

Ledger::Ledger(pg::Pool& pool) : pool_(pool) {
    pool_.Prepare("ledger_insert_transaction",
                  "INSERT INTO transactions (order_id, account_id, customer_id, checkout_session_id, amount_cents, "
                  "currency, trace_id) VALUES ($1, $2, $3, $4, $5, $6, NULLIF($7, '')) RETURNING id");
    // One statement, one round trip: find the transaction the event concerns (by checkout
    // session, else payment id, else the newest of the order in the metadata) and lock it, store
    // the delivery unless its id is known, and only for a new delivery update the transaction
    // (never back to an earlier stage) and schedule the order status change.
    pool_.Prepare("ledger_record_delivery",
                  "WITH found AS ("
                  "  SELECT id, order_id, trace_id FROM transactions WHERE $7::text IS NOT NULL AND id = COALESCE("
                  "    (SELECT id FROM transactions WHERE checkout_session_id = $4),"
                  "    (SELECT id FROM transactions WHERE payment_id = $5 ORDER BY id DESC LIMIT 1),"
                  "    (SELECT id FROM transactions WHERE $4::text IS NULL AND order_id = $6 ORDER BY id DESC LIMIT 1))"
                  "  FOR UPDATE), "
                  "stored AS ("
                  "  INSERT INTO webhook_events (webhook_id, type, body, outcome)"
                  "  SELECT $1, $2, $3, CASE WHEN $7::text IS NULL THEN 'ignored: event type ' || $2 || ' is not acted on'"
                  "    WHEN EXISTS (SELECT 1 FROM found) THEN 'applied'"
                  "    ELSE 'ignored: no transaction matches payment ' || COALESCE($5, '') END"
                  "  ON CONFLICT (webhook_id) DO NOTHING RETURNING outcome), "
                  "updated AS ("
                  "  UPDATE transactions t SET payment_id = COALESCE($5, t.payment_id), status = $7,"
                  "    total_amount_cents = COALESCE($8, t.total_amount_cents),"
                  "    settlement_amount_cents = COALESCE($9, t.settlement_amount_cents),"
                  "    settlement_currency = COALESCE($10, t.settlement_currency), updated_at = now()"
                  "  FROM found WHERE t.id = found.id AND EXISTS (SELECT 1 FROM stored)"
                  "    AND payment_status_rank($7) >= payment_status_rank(t.status) RETURNING t.id), "
                  "scheduled AS ("
                  "  INSERT INTO order_status_changes (order_id, status, webhook_id, trace_id)"
                  "  SELECT found.order_id, $11, $1, found.trace_id FROM found WHERE $11::text IS NOT NULL AND EXISTS (SELECT 1 FROM stored)"
                  "  RETURNING id) "
                  "SELECT (SELECT outcome FROM stored), (SELECT count(*) FROM scheduled)");
    pool_.Prepare("ledger_transactions_of_customer",
                  "SELECT id, order_id, COALESCE(payment_id, '') AS payment_id, status, amount_cents, "
                  "total_amount_cents, settlement_amount_cents, currency, "
                  "to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS created_at "
                  "FROM transactions WHERE customer_id = $1 ORDER BY id DESC LIMIT $2");
}

std::uint64_t Ledger::RecordCheckout(const NewTransaction& transaction) {
    return pool_.Transact([&](pqxx::work& tx) {
        return tx
            .exec_prepared1("ledger_insert_transaction", static_cast<std::int64_t>(transaction.order_id),
                            static_cast<std::int64_t>(transaction.account_id), transaction.customer_id,
                            transaction.checkout_session_id, transaction.amount_cents, transaction.currency,
                            log::CurrentRequestId())[0]
            .as<std::uint64_t>();
    });
}

DeliveryResult Ledger::RecordDelivery(const std::string& webhook_id, const WebhookEvent& event,
                                      const std::string& body) {
    auto transaction_status = TransactionStatusFor(event);
    auto order_status = OrderStatusFor(event.type);
    std::optional<std::int64_t> order_hint;
    if (event.order_id) order_hint = static_cast<std::int64_t>(*event.order_id);
    // A refund event carries the refund's amount, not the payment's: keep the payment's figures.
    bool is_payment = event.type.starts_with("payment.");
    std::optional<std::int64_t> total = is_payment ? event.total_amount : std::nullopt;
    std::optional<std::int64_t> settlement = is_payment ? event.settlement_amount : std::nullopt;
    auto row = pool_.Autocommit([&](pqxx::nontransaction& tx) {
        return tx.exec_prepared1("ledger_record_delivery", webhook_id, event.type, body,
                                 Nullable(event.checkout_session_id), Nullable(event.payment_id), order_hint,
                                 transaction_status, total, settlement,
                                 Nullable(is_payment ? event.settlement_currency : std::string()), order_status);
    });
    DeliveryResult result;
    if (row[0].is_null()) {
        result.outcome = DeliveryOutcome::kDuplicate;
        return result;
    }
    auto outcome = row[0].as<std::string>();
    if (outcome == "applied") {
        result.outcome = DeliveryOutcome::kApplied;
    } else {
        result.detail = outcome.substr(outcome.find(": ") + 2);
    }
    result.status_change_scheduled = row[1].as<std::int64_t>() > 0;
    return result;
}

std::vector<TransactionRecord> Ledger::TransactionsOfCustomer(const std::string& customer_id, std::size_t limit) {
    return pool_.Autocommit([&](pqxx::nontransaction& tx) {
        std::vector<TransactionRecord> records;
        for (const auto& row :
             tx.exec_prepared("ledger_transactions_of_customer", customer_id, static_cast<std::int64_t>(limit))) {
            TransactionRecord record;
            record.id = row["id"].as<std::uint64_t>();
            record.order_id = row["order_id"].as<std::uint64_t>();
            record.payment_id = row["payment_id"].as<std::string>();
            record.status = row["status"].as<std::string>();
            record.amount_cents = row["amount_cents"].as<std::int64_t>();
            record.total_amount_cents = OptionalInt(row["total_amount_cents"]);
            record.settlement_amount_cents = OptionalInt(row["settlement_amount_cents"]);
            record.currency = row["currency"].as<std::string>();
            record.created_at = row["created_at"].as<std::string>();
            records.push_back(std::move(record));
        }
        return records;
    });
}

}  // namespace orderstream::payment
