#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <vector>

#include "orderstream/graphql/execution/resolver.hpp"

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
    std::mutex mutex_;
    std::map<std::uint64_t, std::vector<graphql::Completer>> pending_;
};

}  // namespace orderstream::gateway
