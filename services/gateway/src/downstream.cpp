#include "downstream.hpp"

#include "orderstream/rpc/client.hpp"

namespace orderstream::gateway {

Downstream ConnectDownstream(const std::string& account, const std::string& product, const std::string& order,
                             std::chrono::milliseconds timeout) {
    Downstream downstream;
    downstream.account_address = account;
    downstream.product_address = product;
    downstream.order_address = order;
    downstream.accounts = pb::AccountService::NewStub(rpc::ChannelTo(account));
    downstream.products = pb::ProductService::NewStub(rpc::ChannelTo(product));
    downstream.orders = pb::OrderService::NewStub(rpc::ChannelTo(order));
    downstream.timeout = timeout;
    return downstream;
}

}  // namespace orderstream::gateway
