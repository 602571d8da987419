#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <pqxx/pqxx>

#include "orderstream/pg/pool.hpp"
#include "payment_decisions.hpp"

namespace orderstream::payment {

// One transaction as the API and the portal list it.
struct TransactionRecord {
    std::uint64_t id = 0;
    std::uint64_t order_id = 0;
    std::string checkout_session_id;
    std::string payment_id;
    std::string status;
    std::int64_t amount_cents = 0;
    std::int64_t refunded_cents = 0;
    std::string currency;
    std::string created_at;  // RFC 3339, UTC
};

struct AnomalyRecord {
    std::uint64_t id = 0;
    std::string webhook_id;
    std::string kind;
    std::string detail;
    std::optional<std::uint64_t> order_id;
    std::string payment_id;
    std::optional<std::int64_t> amount_cents;
    std::string currency;
    std::string action;  // "refund requested", "none: ..."
    std::string received_at;
};

// payment_db's record of money: transactions (one per checkout session), refunds, anomalies.
// The statements that decide nothing live here; what a delivery means is payment_decisions.
// Functions taking a pqxx::work run in the caller's transaction on any connection (the pool's
// or an event consumer's), so they use plain statements.
class Ledger {
public:
    explicit Ledger(pg::Pool& pool);

    // Serialises everything that may change which payment pays an order (checkouts, deliveries,
    // refunds, the order's own events) for the rest of `tx`.
    static void LockOrder(pqxx::work& tx, std::uint64_t order_id);
    static std::optional<TransactionState> LockBySession(pqxx::work& tx, const std::string& session_id);
    static std::optional<TransactionState> LockByPayment(pqxx::work& tx, const std::string& payment_id);
    // The open (pending) checkout of an order, locked, with its URL and age.
    struct OpenCheckout {
        TransactionState transaction;
        std::string url;
        bool fresh = false;  // young enough to be paid before the provider expires it
    };
    static std::optional<OpenCheckout> LockOpenCheckout(pqxx::work& tx, std::uint64_t order_id);
    // The payment id of a transaction of the order, other than `except`, that counts as its payment.
    static std::optional<std::string> OrderPaidBy(pqxx::work& tx, std::uint64_t order_id, std::uint64_t except);
    // The order's payment that can still be refunded (accepted, money taken, not all given back).
    static std::optional<TransactionState> RefundablePayment(pqxx::work& tx, std::uint64_t order_id);

    struct NewCheckout {
        std::uint64_t order_id = 0;
        std::uint64_t account_id = 0;
        std::string customer_id;
        std::string session_id;
        std::string url;
        std::int64_t amount_cents = 0;
        std::string currency;
    };
    static std::uint64_t InsertCheckout(pqxx::work& tx, const NewCheckout& checkout);
    // Makes an order's pending checkouts unpayable; returns their session ids.
    static std::vector<std::string> CloseOpenCheckouts(pqxx::work& tx, std::uint64_t order_id, const std::string& why);

    // The provider's payment on the transaction: succeeded with `taken` (accepted: the order's).
    static void RecordPayment(pqxx::work& tx, std::uint64_t transaction_id, const WebhookEvent& event, bool accepted);
    static void RecordFailure(pqxx::work& tx, std::uint64_t transaction_id, const std::string& payment_id);
    static void Unaccept(pqxx::work& tx, std::uint64_t transaction_id);
    // A payment that took money but has no checkout to hang on (unknown, or a second one on a
    // session already paid): a transaction of its own, never the order's payment.
    static TransactionState InsertStrayPayment(pqxx::work& tx, const WebhookEvent& event, const std::string& why);
    // Adds a confirmed refund; returns the transaction as it is afterwards.
    static TransactionState AddRefund(pqxx::work& tx, const TransactionState& transaction, std::int64_t amount);

    // Asks for a full refund of what is left of the payment (the refund worker sends it); false
    // when one is already open.
    static bool RequestRefund(pqxx::work& tx, const TransactionState& transaction, const std::string& reason,
                              const std::string& requested_by);
    // Our record of a refund: by the provider's id, else the open request of the payment.
    static std::optional<RefundState> FindRefund(pqxx::work& tx, const std::string& refund_id,
                                                 const std::string& payment_id);
    // Settles our record of a refund the provider reported (creating it for one made elsewhere).
    // Returns who had asked for it ("automatic", "admin <id>", "provider").
    static std::string SettleRefund(pqxx::work& tx, const std::optional<RefundState>& known, const WebhookEvent& event,
                                    const TransactionState& transaction, std::int64_t amount, bool succeeded);

    static void RecordAnomaly(pqxx::work& tx, const AnomalyRecord& anomaly);

    std::vector<TransactionRecord> TransactionsOfCustomer(const std::string& customer_id, std::size_t limit);
    // Each order's payments newest first, by order; checkouts that were never paid and can no
    // longer be are left out.
    std::vector<TransactionRecord> PaymentsOfOrders(const std::vector<std::uint64_t>& order_ids);
    std::vector<AnomalyRecord> Anomalies(std::uint64_t skip, std::uint64_t take);

private:
    pg::Pool& pool_;
};

}  // namespace orderstream::payment
