#pragma once

#include <cstdint>

#include "key_batch.hpp"

namespace orderstream::gateway {

struct RequestContext;

// Batches Account.Orders: every account id asked for while one round of resolvers runs is
// fetched with a single ListOrders call (DataLoader-style), and repeated ids are served once.
class OrdersLoader {
public:
    explicit OrdersLoader(RequestContext& context) : context_(context) {}

    void Load(std::uint64_t account_id, graphql::Completer completer);
    // Sends one ListOrders for everything queued since the last dispatch.
    void Dispatch();

private:
    RequestContext& context_;
    KeyBatch batch_;
};

// Batches Order.payments the same way: one ListPayments for every order asked for.
class PaymentsLoader {
public:
    explicit PaymentsLoader(RequestContext& context) : context_(context) {}

    void Load(std::uint64_t order_id, graphql::Completer completer) { batch_.Add(order_id, std::move(completer)); }
    void Dispatch();

private:
    RequestContext& context_;
    KeyBatch batch_;
};

}  // namespace orderstream::gateway
