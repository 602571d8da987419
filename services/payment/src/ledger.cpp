#include "ledger.hpp"

#include "orderstream/core/log.hpp"
#include "orderstream/core/paging.hpp"
#include "orderstream/pg/arrays.hpp"

namespace orderstream::payment {
namespace {

// Keeps this table's advisory lock keys apart from other users of advisory locks.
constexpr std::int32_t kOrderLockSpace = 0x7061794f;  // "payO"

constexpr const char* kStateColumns =
    "id, order_id, account_id, COALESCE(checkout_session_id, '') AS checkout_session_id, "
    "COALESCE(payment_id, '') AS payment_id, status, amount_cents, COALESCE(total_amount_cents, 0) AS taken_cents, "
    "refunded_amount_cents, currency, accepted, COALESCE(trace_id, '') AS trace_id";

constexpr const char* kRecordColumns =
    "id, order_id, COALESCE(checkout_session_id, '') AS checkout_session_id, COALESCE(payment_id, '') AS payment_id, "
    "status, CASE WHEN total_amount_cents IS NULL THEN amount_cents ELSE total_amount_cents END AS amount_cents, "
    "refunded_amount_cents, currency, "
    "to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS created_at";

TransactionState StateFromRow(const pqxx::row& row) {
    TransactionState state;
    state.id = row["id"].as<std::uint64_t>();
    state.order_id = row["order_id"].as<std::uint64_t>();
    state.account_id = row["account_id"].as<std::uint64_t>();
    state.checkout_session_id = row["checkout_session_id"].as<std::string>();
    state.payment_id = row["payment_id"].as<std::string>();
    state.status = row["status"].as<std::string>();
    state.amount_cents = row["amount_cents"].as<std::int64_t>();
    state.taken_cents = row["taken_cents"].as<std::int64_t>();
    state.refunded_cents = row["refunded_amount_cents"].as<std::int64_t>();
    state.currency = row["currency"].as<std::string>();
    state.accepted = row["accepted"].as<bool>();
    state.trace_id = row["trace_id"].as<std::string>();
    return state;
}

std::optional<TransactionState> FirstState(const pqxx::result& rows) {
    if (rows.empty()) return std::nullopt;
    return StateFromRow(rows[0]);
}

TransactionRecord RecordFromRow(const pqxx::row& row) {
    TransactionRecord record;
    record.id = row["id"].as<std::uint64_t>();
    record.order_id = row["order_id"].as<std::uint64_t>();
    record.checkout_session_id = row["checkout_session_id"].as<std::string>();
    record.payment_id = row["payment_id"].as<std::string>();
    record.status = row["status"].as<std::string>();
    record.amount_cents = row["amount_cents"].as<std::int64_t>();
    record.refunded_cents = row["refunded_amount_cents"].as<std::int64_t>();
    record.currency = row["currency"].as<std::string>();
    record.created_at = row["created_at"].as<std::string>();
    return record;
}

std::int64_t Bigint(std::uint64_t value) { return static_cast<std::int64_t>(std::min<std::uint64_t>(value, INT64_MAX)); }

}  // namespace

Ledger::Ledger(pg::Pool& pool) : pool_(pool) {}

void Ledger::LockOrder(pqxx::work& tx, std::uint64_t order_id) {
    tx.exec_params("SELECT pg_advisory_xact_lock($1, hashint8($2))", kOrderLockSpace, Bigint(order_id));
}

std::optional<TransactionState> Ledger::LockBySession(pqxx::work& tx, const std::string& session_id) {
    return FirstState(tx.exec_params(std::string("SELECT ") + kStateColumns +
                                         " FROM transactions WHERE checkout_session_id = $1 FOR UPDATE",
                                     session_id));
}

std::optional<TransactionState> Ledger::LockByPayment(pqxx::work& tx, const std::string& payment_id) {
    return FirstState(tx.exec_params(
        std::string("SELECT ") + kStateColumns + " FROM transactions WHERE payment_id = $1 FOR UPDATE", payment_id));
}

std::optional<Ledger::OpenCheckout> Ledger::LockOpenCheckout(pqxx::work& tx, std::uint64_t order_id) {
    // A provider session lives 24 h; one that old is replaced rather than handed out.
    auto rows = tx.exec_params(std::string("SELECT ") + kStateColumns +
                                   ", COALESCE(checkout_url, '') AS url, created_at > now() - interval '23 hours' AS fresh"
                                   " FROM transactions WHERE order_id = $1 AND status = 'pending' FOR UPDATE",
                               Bigint(order_id));
    if (rows.empty()) return std::nullopt;
    return OpenCheckout{StateFromRow(rows[0]), rows[0]["url"].as<std::string>(), rows[0]["fresh"].as<bool>()};
}

std::optional<std::string> Ledger::OrderPaidBy(pqxx::work& tx, std::uint64_t order_id, std::uint64_t except) {
    auto rows = tx.exec_params(
        "SELECT payment_id FROM transactions WHERE order_id = $1 AND id <> $2 AND accepted "
        "AND status IN ('succeeded', 'partially_refunded') ORDER BY id LIMIT 1",
        Bigint(order_id), Bigint(except));
    if (rows.empty()) return std::nullopt;
    return rows[0][0].as<std::string>();
}

std::optional<TransactionState> Ledger::RefundablePayment(pqxx::work& tx, std::uint64_t order_id) {
    return FirstState(tx.exec_params(std::string("SELECT ") + kStateColumns +
                                         " FROM transactions WHERE order_id = $1 AND accepted "
                                         "AND status IN ('succeeded', 'partially_refunded') "
                                         "AND refunded_amount_cents < total_amount_cents ORDER BY id LIMIT 1 FOR UPDATE",
                                     Bigint(order_id)));
}

std::uint64_t Ledger::InsertCheckout(pqxx::work& tx, const NewCheckout& checkout) {
    return tx
        .exec_params1(
            "INSERT INTO transactions (order_id, account_id, customer_id, checkout_session_id, checkout_url, "
            "amount_cents, currency, trace_id) VALUES ($1, $2, $3, $4, $5, $6, $7, NULLIF($8, '')) RETURNING id",
            Bigint(checkout.order_id), Bigint(checkout.account_id), checkout.customer_id, checkout.session_id,
            checkout.url, checkout.amount_cents, checkout.currency, log::CurrentRequestId())[0]
        .as<std::uint64_t>();
}

std::vector<std::string> Ledger::CloseOpenCheckouts(pqxx::work& tx, std::uint64_t order_id, const std::string& why) {
    std::vector<std::string> sessions;
    for (const auto& row : tx.exec_params(
             "UPDATE transactions SET status = 'closed', closed_reason = $2, updated_at = now() "
             "WHERE order_id = $1 AND status = 'pending' RETURNING COALESCE(checkout_session_id, '')",
             Bigint(order_id), why)) {
        sessions.push_back(row[0].as<std::string>());
    }
    return sessions;
}

void Ledger::RecordPayment(pqxx::work& tx, std::uint64_t transaction_id, const WebhookEvent& event, bool accepted) {
    std::optional<std::string> settlement_currency;
    if (!event.settlement_currency.empty()) settlement_currency = event.settlement_currency;
    tx.exec_params0(
        "UPDATE transactions SET status = 'succeeded', payment_id = $2, total_amount_cents = $3, "
        "settlement_amount_cents = $4, settlement_currency = $5, accepted = $6, updated_at = now() WHERE id = $1",
        Bigint(transaction_id), event.payment_id, event.total_amount.value_or(0), event.settlement_amount,
        settlement_currency, accepted);
}

void Ledger::RecordFailure(pqxx::work& tx, std::uint64_t transaction_id, const std::string& payment_id) {
    tx.exec_params0(
        "UPDATE transactions SET status = 'failed', payment_id = COALESCE(NULLIF($2, ''), payment_id), "
        "updated_at = now() WHERE id = $1",
        Bigint(transaction_id), payment_id);
}

void Ledger::Unaccept(pqxx::work& tx, std::uint64_t transaction_id) {
    tx.exec_params0("UPDATE transactions SET accepted = false, updated_at = now() WHERE id = $1", Bigint(transaction_id));
}

TransactionState Ledger::InsertStrayPayment(pqxx::work& tx, const WebhookEvent& event, const std::string& why) {
    auto currency = event.currency.size() == 3 ? event.currency : std::string("XXX");
    auto rows = tx.exec_params(
        std::string("INSERT INTO transactions (order_id, account_id, customer_id, payment_id, amount_cents, "
                    "total_amount_cents, currency, status, accepted, closed_reason) "
                    "VALUES ($1, $2, '', $3, $4, $4, $5, 'succeeded', false, $6) RETURNING ") +
            kStateColumns,
        Bigint(event.order_id.value_or(0)), Bigint(event.user_id.value_or(0)), event.payment_id,
        event.total_amount.value_or(0), currency, why);
    return StateFromRow(rows[0]);
}

TransactionState Ledger::AddRefund(pqxx::work& tx, const TransactionState& transaction, std::int64_t amount) {
    auto rows = tx.exec_params(
        std::string("UPDATE transactions SET refunded_amount_cents = refunded_amount_cents + $2, "
                    "status = CASE WHEN refunded_amount_cents + $2 >= total_amount_cents THEN 'refunded' "
                    "ELSE 'partially_refunded' END, updated_at = now() WHERE id = $1 RETURNING ") +
            kStateColumns,
        Bigint(transaction.id), amount);
    return StateFromRow(rows[0]);
}

bool Ledger::RequestRefund(pqxx::work& tx, const TransactionState& transaction, const std::string& reason,
                           const std::string& requested_by) {
    auto left = transaction.taken_cents - transaction.refunded_cents;
    if (left <= 0 || transaction.payment_id.empty()) return false;
    auto inserted = tx.exec_params(
        "INSERT INTO refunds (transaction_id, payment_id, amount_cents, currency, reason, requested_by) "
        "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (payment_id) WHERE status IN ('requested', 'pending') DO NOTHING",
        Bigint(transaction.id), transaction.payment_id, left, transaction.currency, reason.substr(0, 1000), requested_by);
    return inserted.affected_rows() > 0;
}

std::optional<RefundState> Ledger::FindRefund(pqxx::work& tx, const std::string& refund_id,
                                              const std::string& payment_id) {
    auto rows = tx.exec_params(
        "SELECT id, COALESCE(refund_id, '') AS refund_id, status, amount_cents FROM refunds "
        "WHERE refund_id = $1 OR (payment_id = $2 AND refund_id IS NULL AND status IN ('requested', 'pending')) "
        "ORDER BY (refund_id = $1) DESC NULLS LAST, id LIMIT 1 FOR UPDATE",
        refund_id, payment_id);
    if (rows.empty()) return std::nullopt;
    return RefundState{rows[0]["id"].as<std::uint64_t>(), rows[0]["refund_id"].as<std::string>(),
                       rows[0]["status"].as<std::string>(), rows[0]["amount_cents"].as<std::int64_t>()};
}

std::string Ledger::SettleRefund(pqxx::work& tx, const std::optional<RefundState>& known, const WebhookEvent& event,
                                 const TransactionState& transaction, std::int64_t amount, bool succeeded) {
    const char* status = succeeded ? "succeeded" : "failed";
    if (known) {
        return tx
            .exec_params1("UPDATE refunds SET refund_id = $2, status = $3, amount_cents = CASE WHEN $4 > 0 THEN $4 "
                          "ELSE amount_cents END, updated_at = now() WHERE id = $1 RETURNING requested_by",
                          Bigint(known->id), event.refund_id, status, amount)[0]
            .as<std::string>();
    }
    // A refund made at the provider (its dashboard): recorded like ours.
    tx.exec_params0(
        "INSERT INTO refunds (transaction_id, payment_id, amount_cents, currency, reason, requested_by, status, "
        "refund_id) VALUES ($1, $2, $3, $4, 'made at the provider', 'provider', $5, $6)",
        Bigint(transaction.id), transaction.payment_id, std::max<std::int64_t>(amount, 1), transaction.currency, status,
        event.refund_id);
    return "provider";
}

void Ledger::RecordAnomaly(pqxx::work& tx, const AnomalyRecord& anomaly) {
    std::optional<std::int64_t> order_id;
    if (anomaly.order_id) order_id = Bigint(*anomaly.order_id);
    tx.exec_params0(
        "INSERT INTO payment_anomalies (webhook_id, kind, detail, order_id, payment_id, amount_cents, currency, action) "
        "VALUES (NULLIF($1, ''), $2, $3, $4, NULLIF($5, ''), $6, NULLIF($7, ''), $8)",
        anomaly.webhook_id, anomaly.kind, anomaly.detail.substr(0, 2000), order_id, anomaly.payment_id,
        anomaly.amount_cents, anomaly.currency.substr(0, 8), anomaly.action);
}

std::vector<TransactionRecord> Ledger::TransactionsOfCustomer(const std::string& customer_id, std::size_t limit) {
    return pool_.Autocommit([&](pqxx::nontransaction& tx) {
        std::vector<TransactionRecord> records;
        for (const auto& row : tx.exec_params(std::string("SELECT ") + kRecordColumns +
                                                  " FROM transactions WHERE customer_id = $1 ORDER BY id DESC LIMIT $2",
                                              customer_id, static_cast<std::int64_t>(limit))) {
            records.push_back(RecordFromRow(row));
        }
        return records;
    });
}

std::vector<TransactionRecord> Ledger::PaymentsOfOrders(const std::vector<std::uint64_t>& order_ids) {
    std::vector<std::int64_t> ids;
    for (auto id : order_ids) ids.push_back(Bigint(id));
    if (ids.empty()) return {};
    return pool_.Autocommit([&](pqxx::nontransaction& tx) {
        std::vector<TransactionRecord> records;
        for (const auto& row : tx.exec_params(std::string("SELECT ") + kRecordColumns +
                                                  " FROM transactions WHERE order_id = ANY($1::bigint[]) "
                                                  "AND (status <> 'closed' OR payment_id IS NOT NULL) "
                                                  "ORDER BY order_id, id DESC",
                                              pg::BigintArray(ids))) {
            records.push_back(RecordFromRow(row));
        }
        return records;
    });
}

std::vector<AnomalyRecord> Ledger::Anomalies(std::uint64_t skip, std::uint64_t take) {
    return pool_.Autocommit([&](pqxx::nontransaction& tx) {
        std::vector<AnomalyRecord> anomalies;
        for (const auto& row : tx.exec_params(
                 "SELECT id, COALESCE(webhook_id, '') AS webhook_id, kind, detail, order_id, "
                 "COALESCE(payment_id, '') AS payment_id, amount_cents, COALESCE(currency, '') AS currency, action, "
                 "to_char(received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS received_at "
                 "FROM payment_anomalies ORDER BY id DESC OFFSET $1 LIMIT $2",
                 paging::Skip(skip), paging::Skip(take))) {
            AnomalyRecord anomaly;
            anomaly.id = row["id"].as<std::uint64_t>();
            anomaly.webhook_id = row["webhook_id"].as<std::string>();
            anomaly.kind = row["kind"].as<std::string>();
            anomaly.detail = row["detail"].as<std::string>();
            if (!row["order_id"].is_null()) anomaly.order_id = row["order_id"].as<std::uint64_t>();
            anomaly.payment_id = row["payment_id"].as<std::string>();
            if (!row["amount_cents"].is_null()) anomaly.amount_cents = row["amount_cents"].as<std::int64_t>();
            anomaly.currency = row["currency"].as<std::string>();
            anomaly.action = row["action"].as<std::string>();
            anomaly.received_at = row["received_at"].as<std::string>();
            anomalies.push_back(std::move(anomaly));
        }
        return anomalies;
    });
}

}  // namespace orderstream::payment
