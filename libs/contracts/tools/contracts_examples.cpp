// Prints one event of every type, written by the same serializers the services use, as JSON
// lines {"topic", "key", "message"}: tests/asyncapi checks them against docs/asyncapi.yaml.
#include <cstdio>
#include <string>

#include "orderstream/contracts/interaction_events.hpp"
#include "orderstream/contracts/order_events.hpp"
#include "orderstream/contracts/payment_events.hpp"
#include "orderstream/contracts/product_events.hpp"
#include "orderstream/events/envelope.hpp"

namespace contracts = orderstream::contracts;
namespace events = orderstream::events;

namespace {

std::string Quoted(const std::string& text) {
    std::string out = "\"";
    for (char c : text) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

template <typename E>
void Print(const E& event) {
    auto envelope = events::Envelope::Make(std::string(event.Type()), event.ToJson());
    std::printf("{\"topic\":%s,\"key\":%s,\"message\":%s}\n", Quoted(std::string(E::kTopic)).c_str(),
                Quoted(event.Key()).c_str(), events::Serialize(envelope).c_str());
}

}  // namespace

int main() {
    const auto now = events::NowRfc3339();
    for (auto kind : {contracts::ProductEvent::Kind::kCreated, contracts::ProductEvent::Kind::kUpdated,
                      contracts::ProductEvent::Kind::kDeleted}) {
        contracts::ProductEvent product;
        product.kind = kind;
        product.product_id = "01a23f2e-cf27-74e0-8f13-26382f128525";
        product.name = "Wireless Headphones";
        product.description = "Bluetooth, \"noise\" cancelling";
        product.price_cents = 14999;
        product.account_id = 7;
        Print(product);
    }
    Print(contracts::ProductViewed{"7", "01a23f2e-cf27-74e0-8f13-26382f128525"});
    Print(contracts::PurchaseMade{"7", "01a23f2e-cf27-74e0-8f13-26382f128525", 2, 42});
    contracts::OrderCreated created;
    created.order_id = 42;
    created.account_id = 7;
    created.total_cents = 31997;
    created.currency = "USD";
    created.lines = {{"01a23f2e-cf27-74e0-8f13-26382f128525", "Wireless Headphones", 14999, 2},
                     {"01a23f2e-cf29-79ac-afda-68c1b23d6807", "USB Cable", 1999, 1}};
    created.created_at = now;
    Print(created);
    Print(contracts::OrderStatusChanged{42, 7, "pending", "paid", "payment pay_1 succeeded", now, "pay_1"});
    Print(contracts::OrderStatusChanged{42, 7, "pending", "cancelled", "cancelled by the buyer", now, ""});
    Print(contracts::OrderPaymentRefused{42, 7, "pay_2", "paid", "the order is already paid by payment pay_1", now});
    Print(contracts::OrderPaymentRefused{99, 7, "pay_3", "", "there is no order 99", now});
    Print(contracts::PaymentSucceeded{42, 7, 3, "pay_1", "cks_1", 31997, "USD", now});
    Print(contracts::PaymentFailed{42, 7, 3, "pay_0", "The sandbox card was declined", now});
    Print(contracts::PaymentRefunded{42, 7, 3, "pay_1", "ref_1", 31997, 31997, 31997, "USD", true, now});
    return 0;
}
