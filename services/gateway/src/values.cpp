#include "values.hpp"

#include "orderstream/core/money.hpp"

namespace orderstream::gateway {

using graphql::Value;
using graphql::ValueList;
using graphql::ValueObject;

Value AccountValue(const pb::Account& account) {
    return Value(ValueObject{{"id", Value(static_cast<std::int64_t>(account.id()))},
                             {"name", Value(account.name())},
                             {"email", Value(account.email())}});
}

Value ProductValue(const pb::Product& product) {
    return Value(ValueObject{{"id", Value(product.id())},
                             {"name", Value(product.name())},
                             {"description", Value(product.description())},
                             {"price", Value(product.price())},
                             {"currency", Value(product.currency())},
                             {"accountId", Value(static_cast<std::int64_t>(product.accountid()))}});
}

Value OrderValue(const pb::Order& order) {
    ValueList products;
    for (const auto& line : order.products()) {
        products.emplace_back(ValueObject{{"id", Value(line.id())},
                                          {"name", Value(line.name())},
                                          {"description", Value(line.description())},
                                          {"price", Value(line.price())},
                                          {"quantity", Value(static_cast<std::int64_t>(line.quantity()))}});
    }
    return Value(ValueObject{{"id", Value(static_cast<std::int64_t>(order.id()))},
                             {"createdAt", Value(order.createdat())},
                             {"totalPrice", Value(order.totalprice())},
                             {"status", Value(order.status())},
                             {"currency", Value(order.currency())},
                             // Not a schema field: who may see the order's payments.
                             {"buyerId", Value(static_cast<std::int64_t>(order.accountid()))},
                             {"products", Value(std::move(products))}});
}

Value PaymentValue(const pb::Payment& payment) {
    return Value(ValueObject{{"id", Value(payment.id())},
                             {"status", Value(payment.status())},
                             {"amount", Value(money::ToMajorUnits(payment.amountcents()))},
                             {"refundedAmount", Value(money::ToMajorUnits(payment.refundedcents()))},
                             {"currency", Value(payment.currency())},
                             {"createdAt", Value(payment.createdat())}});
}

Value AnomalyValue(const pb::PaymentAnomaly& anomaly) {
    return Value(ValueObject{
        {"id", Value(static_cast<std::int64_t>(anomaly.id()))},
        {"receivedAt", Value(anomaly.receivedat())},
        {"kind", Value(anomaly.kind())},
        {"detail", Value(anomaly.detail())},
        {"orderId", anomaly.orderid() == 0 ? Value() : Value(static_cast<std::int64_t>(anomaly.orderid()))},
        {"paymentId", anomaly.paymentid().empty() ? Value() : Value(anomaly.paymentid())},
        {"amount", anomaly.hasamount() ? Value(money::ToMajorUnits(anomaly.amountcents())) : Value()},
        {"currency", anomaly.currency().empty() ? Value() : Value(anomaly.currency())},
        {"action", Value(anomaly.action())}});
}

}  // namespace orderstream::gateway
