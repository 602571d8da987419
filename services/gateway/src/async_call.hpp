#pragma once

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "orderstream/core/log.hpp"
#include "orderstream/core/trace_context.hpp"
#include "orderstream/rpc/security.hpp"
#include "request_context.hpp"

namespace orderstream::gateway {

using Metadata = std::vector<std::pair<std::string, std::string>>;

// Starts one asynchronous unary call on behalf of a GraphQL request: the request's deadline,
// request id (x-request-id, traceparent) and the caller's token travel along, `done` runs on a gRPC thread with
// the status and reply, and afterwards the request's batched loads are dispatched (`done`
// may have queued some by completing a field).
//   start(ClientContext*, const Request*, Response*, std::function<void(grpc::Status)>)
template <typename Response, typename Request, typename Start>
void CallDownstream(RequestContext& context, Request request, Start start,
                    std::function<void(const grpc::Status&, Response&)> done, const Metadata& metadata = {}) {
    struct Call {
        grpc::ClientContext client;
        Request request;
        Response response;
        std::shared_ptr<RequestContext> owner;
        std::function<void(const grpc::Status&, Response&)> done;
    };
    auto call = std::make_shared<Call>();
    call->request = std::move(request);
    call->owner = context.shared_from_this();
    call->done = std::move(done);
    call->client.set_deadline(context.deadline);
    call->client.AddMetadata("x-request-id", context.request_id);
    // A W3C traceparent only for an id that is a trace id (a client's x-request-id may not be).
    if (trace::IsTraceId(context.request_id)) {
        call->client.AddMetadata(std::string(trace::kTraceparentHeader),
                                 trace::FormatTraceparent(context.request_id, context.request_id.substr(16)));
    }
    // The services act for the user whose token this is (they verify it), never for an id
    // the request names.
    if (!context.token.empty()) call->client.AddMetadata(std::string(rpc::kUserMetadata), context.token);
    for (const auto& [key, value] : metadata) call->client.AddMetadata(key, value);
    start(&call->client, &call->request, &call->response, [call](grpc::Status status) {
        // Whatever the resolvers log (e.g. a downstream failure) carries the request's id.
        log::RequestScope scope(call->owner->request_id);
        call->done(status, call->response);
        call->owner->DispatchLoaders();
    });
}

}  // namespace orderstream::gateway
