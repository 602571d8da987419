#include "downstream.hpp"

#include "orderstream/rpc/client.hpp"

namespace orderstream::gateway {

Downstream ConnectDownstream(const DownstreamAddresses& addresses, std::chrono::milliseconds timeout) {
    Downstream downstream;
    downstream.addresses = addresses;
    downstream.accounts = pb::AccountService::NewStub(rpc::ChannelTo(addresses.account));
    downstream.products = pb::ProductService::NewStub(rpc::ChannelTo(addresses.product));
    downstream.orders = pb::OrderService::NewStub(rpc::ChannelTo(addresses.order));
    downstream.payments = pb::PaymentService::NewStub(rpc::ChannelTo(addresses.payment));
    downstream.recommender = pb::RecommenderService::NewStub(rpc::ChannelTo(addresses.recommender));
    downstream.timeout = timeout;
    return downstream;
}

}  // namespace orderstream::gateway
