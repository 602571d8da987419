#include "orderstream/contracts/payment_events.hpp"

#include "json_fields.hpp"

namespace orderstream::contracts {

std::string PaymentSucceeded::ToJson() const {
    detail::FieldWriter out;
    out.Id("order_id", order_id)
        .Id("account_id", account_id)
        .Id("transaction_id", transaction_id)
        .String("payment_id", payment_id)
        .String("checkout_session_id", checkout_session_id)
        .Integer("amount_cents", amount_cents)
        .String("currency", currency)
        .String("at", at);
    return out.Finish();
}

Result<PaymentSucceeded> PaymentSucceeded::Parse(std::string_view type, std::string_view data_json) {
    detail::FieldReader in(type, data_json);
    PaymentSucceeded event;
    event.order_id = in.Id("order_id");
    event.account_id = in.Id("account_id");
    event.transaction_id = in.Id("transaction_id");
    event.payment_id = in.String("payment_id", 200);
    event.checkout_session_id = in.OptionalString("checkout_session_id", "", 200);
    event.amount_cents = in.Amount("amount_cents");
    event.currency = in.Currency("currency");
    event.at = in.Timestamp("at");
    if (!in.ok()) return in.error();
    return event;
}

std::string PaymentFailed::ToJson() const {
    detail::FieldWriter out;
    out.Id("order_id", order_id)
        .Id("account_id", account_id)
        .Id("transaction_id", transaction_id)
        .String("payment_id", payment_id)
        .String("reason", reason)
        .String("at", at);
    return out.Finish();
}

Result<PaymentFailed> PaymentFailed::Parse(std::string_view type, std::string_view data_json) {
    detail::FieldReader in(type, data_json);
    PaymentFailed event;
    event.order_id = in.Id("order_id");
    event.account_id = in.Id("account_id");
    event.transaction_id = in.Id("transaction_id");
    event.payment_id = in.OptionalString("payment_id", "", 200);
    event.reason = in.OptionalString("reason", "", 1000);
    event.at = in.Timestamp("at");
    if (!in.ok()) return in.error();
    return event;
}

std::string PaymentRefunded::ToJson() const {
    detail::FieldWriter out;
    out.Id("order_id", order_id)
        .Id("account_id", account_id)
        .Id("transaction_id", transaction_id)
        .String("payment_id", payment_id)
        .String("refund_id", refund_id)
        .Integer("amount_cents", amount_cents)
        .Integer("refunded_total_cents", refunded_total_cents)
        .Integer("payment_amount_cents", payment_amount_cents)
        .String("currency", currency)
        .Bool("fully_refunded", fully_refunded)
        .String("at", at);
    return out.Finish();
}

Result<PaymentRefunded> PaymentRefunded::Parse(std::string_view type, std::string_view data_json) {
    detail::FieldReader in(type, data_json);
    PaymentRefunded event;
    event.order_id = in.Id("order_id");
    event.account_id = in.Id("account_id");
    event.transaction_id = in.Id("transaction_id");
    event.payment_id = in.String("payment_id", 200);
    event.refund_id = in.String("refund_id", 200);
    event.amount_cents = in.Amount("amount_cents");
    event.refunded_total_cents = in.Amount("refunded_total_cents");
    event.payment_amount_cents = in.Amount("payment_amount_cents");
    event.currency = in.Currency("currency");
    event.fully_refunded = in.Bool("fully_refunded");
    event.at = in.Timestamp("at");
    if (in.ok() && event.refunded_total_cents > event.payment_amount_cents) {
        in.Fail("data.refunded_total_cents must not exceed data.payment_amount_cents");
    }
    if (!in.ok()) return in.error();
    return event;
}

}  // namespace orderstream::contracts
