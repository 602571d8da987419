#include "orderstream/rpc/client.hpp"

#include "orderstream/core/log.hpp"

namespace orderstream::rpc {

std::unique_ptr<grpc::ClientContext> ClientContextFor(const grpc::ServerContext* parent,
                                                      std::chrono::milliseconds timeout) {
    std::unique_ptr<grpc::ClientContext> context;
    auto fallback_deadline = std::chrono::system_clock::now() + timeout;
    if (parent != nullptr) {
        context = grpc::ClientContext::FromServerContext(*parent);
        if (context->deadline() > fallback_deadline) context->set_deadline(fallback_deadline);
    } else {
        context = std::make_unique<grpc::ClientContext>();
        context->set_deadline(fallback_deadline);
    }
    if (const auto& request_id = log::CurrentRequestId(); !request_id.empty()) {
        context->AddMetadata("x-request-id", request_id);
    }
    return context;
}

std::shared_ptr<grpc::Channel> ChannelTo(const std::string& address) {
    grpc::ChannelArguments args;
    args.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, 30'000);
    // Every address the name resolves to gets calls in turn (the default, pick_first, sends
    // everything to one instance of a scaled-out role). Servers end connections after a
    // few minutes (ServiceHost), so the name is resolved again and new instances are found.
    args.SetLoadBalancingPolicyName("round_robin");
    return grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(), args);
}

Error FromDownstream(const grpc::Status& status, const std::string& dependency) {
    switch (status.error_code()) {
        case grpc::StatusCode::NOT_FOUND: return Error::NotFound(status.error_message());
        case grpc::StatusCode::INVALID_ARGUMENT: return Error::InvalidArgument(status.error_message());
        default:
            return Error::Unavailable(dependency + " service unavailable: " + status.error_message());
    }
}

}  // namespace orderstream::rpc
