#pragma once

#include "account.pb.h"
#include "order.pb.h"
#include "payment.pb.h"
#include "orderstream/graphql/value.hpp"
#include "product.pb.h"

namespace orderstream::gateway {

// gRPC replies as GraphQL values shaped like the schema's types, so the engine's default
// resolvers read their fields.
graphql::Value AccountValue(const pb::Account& account);
graphql::Value ProductValue(const pb::Product& product);
graphql::Value OrderValue(const pb::Order& order);
graphql::Value PaymentValue(const pb::Payment& payment);
graphql::Value AnomalyValue(const pb::PaymentAnomaly& anomaly);

}  // namespace orderstream::gateway
