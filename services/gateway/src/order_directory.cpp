#include "order_directory.hpp"

#include "field_errors.hpp"
#include "orderstream/core/log.hpp"

namespace orderstream::gateway {

void GrpcOrderDirectory::GetOrder(std::uint64_t order_id, std::function<void(Reply)> done) {
    struct Call {
        grpc::ClientContext client;
        google::protobuf::UInt64Value request;
        pb::PostOrderResponse response;
        std::function<void(Reply)> done;
    };
    auto call = std::make_shared<Call>();
    call->request.set_value(order_id);
    call->done = std::move(done);
    call->client.set_deadline(std::chrono::system_clock::now() + timeout_);
    call->client.AddMetadata("x-request-id", log::NewRequestId());
    orders_.async()->GetOrder(&call->client, &call->request, &call->response, [call](grpc::Status status) {
        if (!status.ok()) return call->done(FromStatus(status, "GetOrder"));
        call->done(std::move(*call->response.mutable_order()));
    });
}

}  // namespace orderstream::gateway
