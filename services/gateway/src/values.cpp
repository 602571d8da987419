#include "values.hpp"

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
                             {"products", Value(std::move(products))}});
}

}  // namespace orderstream::gateway
