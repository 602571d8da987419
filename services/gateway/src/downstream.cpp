#include "downstream.hpp"

#include "orderstream/rpc/client.hpp"

namespace orderstream::gateway {

Downstream ConnectDownstream(const DownstreamAddresses& addresses, std::chrono::milliseconds timeout) {
    Downstream downstream;
    downstream.addresses = addresses;
    for (const auto& [role, address] : {std::pair{"account", &addresses.account}, std::pair{"product", &addresses.product},
                                        std::pair{"order", &addresses.order}, std::pair{"payment", &addresses.payment},
                                        std::pair{"recommender", &addresses.recommender}}) {
        downstream.channels.push_back({role, rpc::ChannelTo(*address, role)});
    }
    downstream.accounts = pb::AccountService::NewStub(downstream.channels[0].channel);
    downstream.products = pb::ProductService::NewStub(downstream.channels[1].channel);
    downstream.orders = pb::OrderService::NewStub(downstream.channels[2].channel);
    downstream.payments = pb::PaymentService::NewStub(downstream.channels[3].channel);
    downstream.recommender = pb::RecommenderService::NewStub(downstream.channels[4].channel);
    downstream.timeout = timeout;
    return downstream;
}

}  // namespace orderstream::gateway
