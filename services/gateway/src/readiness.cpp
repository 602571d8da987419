#include "readiness.hpp"

#include <future>

#include "health.grpc.pb.h"
#include "orderstream/rpc/client.hpp"

namespace orderstream::gateway {
namespace {

std::string Probe(const std::string& address) {
    auto stub = grpc::health::v1::Health::NewStub(rpc::ChannelTo(address));
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(800));
    grpc::health::v1::HealthCheckRequest request;
    grpc::health::v1::HealthCheckResponse response;
    auto status = stub->Check(&context, request, &response);
    if (!status.ok()) return "UNREACHABLE";
    return grpc::health::v1::HealthCheckResponse::ServingStatus_Name(response.status());
}

}  // namespace

Readiness CheckDownstream(const Downstream& downstream) {
    const std::pair<const char*, std::string> services[] = {{"account", downstream.addresses.account},
                                                            {"product", downstream.addresses.product},
                                                            {"order", downstream.addresses.order},
                                                            {"payment", downstream.addresses.payment},
                                                            {"recommender", downstream.addresses.recommender}};
    std::vector<std::future<std::string>> probes;
    for (const auto& [name, address] : services) probes.push_back(std::async(std::launch::async, Probe, address));
    Readiness readiness;
    std::string states;
    bool ready = true;
    for (std::size_t i = 0; i < probes.size(); ++i) {
        auto state = probes[i].get();
        ready = ready && state == "SERVING";
        if (i > 0) states += ',';
        states += "\"" + std::string(services[i].first) + "\":\"" + state + "\"";
    }
    readiness.status = ready ? 200 : 503;
    readiness.body = "{\"services\":{" + states + "},\"status\":\"" + (ready ? "ready" : "not ready") + "\"}";
    return readiness;
}

}  // namespace orderstream::gateway
