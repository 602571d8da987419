#include "payment_service.hpp"

#include <map>

#include <spdlog/spdlog.h>

#include "orderstream/rpc/client.hpp"

namespace orderstream::payment {

Status ValidateReturnUrl(const std::string& url, const char* field) {
    bool scheme = url.starts_with("http://") || url.starts_with("https://");
    auto host_start = url.find("//") + 2;
    if (!scheme || url.size() > 2000 || url.size() <= host_start || url[host_start] == '/' ||
        url.find_first_of(" \t\r\n\"<>") != std::string::npos) {
        return Error::InvalidArgument(std::string(field) + " must be an absolute http or https URL");
    }
    return Status::Ok();
}

Status CheckCartMatchesOrder(const pb::CheckoutRequest& request, const pb::Order& order) {
    if (request.products().empty()) return Status::Ok();
    std::map<std::string, std::uint64_t> asked;
    for (const auto& item : request.products()) asked[item.productid()] += item.quantity();
    std::map<std::string, std::uint64_t> ordered;
    for (const auto& line : order.products()) ordered[line.id()] += line.quantity();
    if (asked != ordered) {
        return Error::InvalidArgument("products do not match order " + std::to_string(order.id()) +
                                      " (leave products out to pay the order as it is)");
    }
    return Status::Ok();
}

PaymentService::PaymentService(PaymentProvider& provider, CustomerDirectory& customers, ProductMirror& mirror,
                               Ledger& ledger, std::shared_ptr<grpc::Channel> orders,
                               std::chrono::milliseconds downstream_timeout)
    : provider_(provider),
      customers_(customers),
      mirror_(mirror),
      ledger_(ledger),
      orders_(pb::OrderService::NewStub(std::move(orders))),
      downstream_timeout_(downstream_timeout) {}

Result<pb::Order> PaymentService::FetchOrder(grpc::ServerContext* context, std::uint64_t order_id) {
    auto call = rpc::ClientContextFor(context, downstream_timeout_);
    google::protobuf::UInt64Value id;
    id.set_value(order_id);
    pb::PostOrderResponse response;
    auto status = orders_->GetOrder(call.get(), id, &response);
    if (!status.ok()) return rpc::FromDownstream(status, "order");
    return response.order();
}

grpc::Status PaymentService::CreateCheckoutSession(grpc::ServerContext* context, const pb::CheckoutRequest* request,
                                                   google::protobuf::StringValue* response) {
    return rpc::Handle(context, checkout_metrics_, "CreateCheckoutSession", [&] {
        if (request->userid() == 0) {
            return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "userId must be a positive account id");
        }
        if (request->orderid() == 0) {
            return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "orderId must be a positive order id");
        }
        if (auto valid = ValidateReturnUrl(request->redirecturl(), "redirectURL"); !valid.ok()) {
            return rpc::ToGrpc(valid.error());
        }
        auto order = FetchOrder(context, request->orderid());
        if (!order.ok()) return rpc::ToGrpc(order.error());
        if (order->accountid() != request->userid()) {
            return grpc::Status(grpc::StatusCode::PERMISSION_DENIED,
                                "order " + std::to_string(order->id()) + " belongs to another account");
        }
        if (order->status() != "pending" && order->status() != "failed") {
            return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                                "order " + std::to_string(order->id()) + " is " + order->status() +
                                    "; only pending or failed orders can be paid");
        }
        if (auto matches = CheckCartMatchesOrder(*request, *order); !matches.ok()) return rpc::ToGrpc(matches.error());

        auto customer = customers_.FindOrCreate({request->userid(), request->email(), request->name()});
        if (!customer.ok()) return rpc::ToGrpc(customer.error());

        CheckoutRequest checkout;
        checkout.customer_id = *customer;
        checkout.return_url = request->redirecturl();
        checkout.metadata = {{"order_id", std::to_string(order->id())}, {"user_id", std::to_string(request->userid())}};
        for (const auto& line : order->products()) {
            auto provider_id = mirror_.ProviderIdFor(
                line.id(), ProviderSpec(line.id(), line.name(), line.description(), line.pricecents(), order->currency()));
            if (!provider_id.ok()) return rpc::ToGrpc(provider_id.error());
            checkout.cart.push_back({*provider_id, line.quantity()});
        }
        auto session = provider_.CreateCheckout(checkout);
        if (!session.ok()) return rpc::ToGrpc(session.error());

        // Recorded before the URL leaves: a webhook for this session always finds its transaction.
        auto transaction_id = ledger_.RecordCheckout({order->id(), request->userid(), *customer, session->session_id,
                                                      order->totalpricecents(), order->currency()});
        spdlog::info("checkout {} for order {} ({} {} cents), transaction {}", session->session_id, order->id(),
                     order->totalpricecents(), order->currency(), transaction_id);
        response->set_value(session->url);
        return grpc::Status::OK;
    });
}

grpc::Status PaymentService::CreateCustomerPortalSession(grpc::ServerContext* context,
                                                         const pb::CustomerPortalRequest* request,
                                                         google::protobuf::StringValue* response) {
    return rpc::Handle(context, portal_metrics_, "CreateCustomerPortalSession", [&] {
        if (request->userid() == 0) {
            return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "userId must be a positive account id");
        }
        if (!request->returnurl().empty()) {
            if (auto valid = ValidateReturnUrl(request->returnurl(), "returnURL"); !valid.ok()) {
                return rpc::ToGrpc(valid.error());
            }
        }
        auto customer = customers_.FindOrCreate({request->userid(), request->email(), request->name()});
        if (!customer.ok()) return rpc::ToGrpc(customer.error());
        auto link = provider_.CreatePortalSession(*customer, request->returnurl());
        if (!link.ok()) return rpc::ToGrpc(link.error());
        response->set_value(*link);
        return grpc::Status::OK;
    });
}

}  // namespace orderstream::payment
