#include "orderstream/rpc/client.hpp"

#include "orderstream/core/log.hpp"
#include "orderstream/rpc/security.hpp"

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
    // A call made while serving a user's call acts for the same user.
    if (parent != nullptr) {
        const auto& metadata = parent->client_metadata();
        if (auto user = metadata.find(std::string(kUserMetadata)); user != metadata.end()) {
            context->AddMetadata(std::string(kUserMetadata), std::string(user->second.data(), user->second.size()));
        }
    }
    return context;
}

std::shared_ptr<grpc::Channel> ChannelTo(const std::string& address, std::string_view role) {
    grpc::ChannelArguments args;
    const auto& transport = CurrentTransport();
    // The server must hold the certificate of the role we mean to call, whatever the address.
    if (transport.tls()) args.SetSslTargetNameOverride(ServerNameOf(role));
    args.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, 30'000);
    // Every address the name resolves to gets calls in turn (the default, pick_first, sends
    // everything to one instance of a scaled-out role). Servers end connections after a
    // few minutes (ServiceHost), so the name is resolved again and new instances are found.
    args.SetLoadBalancingPolicyName("round_robin");
    return grpc::CreateCustomChannel(address, transport.ChannelCredentials(), args);
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
