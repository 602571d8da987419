#include "readiness.hpp"

#include <future>
#include <memory>

#include <grpcpp/grpcpp.h>

#include "health.grpc.pb.h"

namespace orderstream::gateway {

Readiness CheckDownstream(const Downstream& downstream) {
    // Every service's health check at once, asynchronously on the gateway's existing channels:
    // a probe costs no connection and no thread of its own.
    struct Probe {
        grpc::ClientContext context;
        grpc::health::v1::HealthCheckRequest request;
        grpc::health::v1::HealthCheckResponse response;
        std::promise<grpc::Status> done;
    };
    std::vector<std::unique_ptr<Probe>> probes;
    std::vector<std::future<grpc::Status>> answers;
    for (const auto& [role, channel] : downstream.channels) {
        auto probe = std::make_unique<Probe>();
        probe->context.set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(800));
        answers.push_back(probe->done.get_future());
        auto* raw = probe.get();
        grpc::health::v1::Health::NewStub(channel)->async()->Check(
            &raw->context, &raw->request, &raw->response, [raw](grpc::Status status) { raw->done.set_value(status); });
        probes.push_back(std::move(probe));
    }
    Readiness readiness;
    std::string states;
    bool ready = true;
    for (std::size_t i = 0; i < probes.size(); ++i) {
        auto status = answers[i].get();
        auto state = status.ok() ? grpc::health::v1::HealthCheckResponse::ServingStatus_Name(probes[i]->response.status())
                                 : std::string("UNREACHABLE");
        ready = ready && state == "SERVING";
        if (i > 0) states += ',';
        states += "\"" + std::string(downstream.channels[i].role) + "\":\"" + state + "\"";
    }
    readiness.status = ready ? 200 : 503;
    readiness.body = "{\"services\":{" + states + "},\"status\":\"" + (ready ? "ready" : "not ready") + "\"}";
    return readiness;
}

}  // namespace orderstream::gateway
