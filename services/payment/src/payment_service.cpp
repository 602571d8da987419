#include "payment_service.hpp"

#include <map>

#include <spdlog/spdlog.h>

#include "orderstream/core/money.hpp"
#include "orderstream/core/paging.hpp"
#include "orderstream/rpc/client.hpp"

namespace orderstream::payment {
namespace {

constexpr std::size_t kMaxOrdersPerList = 100;

}  // namespace

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

Status CheckPayable(const pb::Order& order) {
    if (order.status() != "pending" && order.status() != "failed") {
        return Error::FailedPrecondition("order " + std::to_string(order.id()) + " is " + order.status() +
                                         "; only pending or failed orders can be paid");
    }
    if (order.totalpricecents() <= 0) {
        return Error::FailedPrecondition("order " + std::to_string(order.id()) + " totals 0.00 " + order.currency() +
                                         ": there is nothing to pay");
    }
    std::int64_t lines = 0;
    for (const auto& line : order.products()) lines += line.pricecents() * line.quantity();
    if (lines != order.totalpricecents()) {
        // The order service never stores such an order; refusing keeps a bug from charging.
        return Error::Internal("order " + std::to_string(order.id()) + " lines do not add up to its total");
    }
    return Status::Ok();
}

std::string PaymentStatusOf(const std::string& status) {
    if (status == "pending" || status == "processing") return "pending";
    if (status == "succeeded" || status == "refunded" || status == "partially_refunded") return status;
    return "failed";  // failed, or a checkout closed after an attempt
}

PaymentService::PaymentService(PaymentServiceDeps deps)
    : deps_(std::move(deps)),
      orders_(pb::OrderService::NewStub(deps_.orders)),
      accounts_(pb::AccountService::NewStub(deps_.accounts)) {}

Result<pb::Order> PaymentService::FetchOrder(grpc::ServerContext* context, std::uint64_t order_id) {
    auto call = rpc::ClientContextFor(context, deps_.downstream_timeout);
    google::protobuf::UInt64Value id;
    id.set_value(order_id);
    pb::PostOrderResponse response;
    auto status = orders_->GetOrder(call.get(), id, &response);
    if (!status.ok()) return rpc::FromDownstream(status, "order");
    return response.order();
}

Result<CustomerRequest> PaymentService::BillingIdentity(grpc::ServerContext* context, std::uint64_t account_id) {
    auto call = rpc::ClientContextFor(context, deps_.downstream_timeout);
    google::protobuf::UInt64Value id;
    id.set_value(account_id);
    pb::AccountResponse response;
    auto status = accounts_->GetAccount(call.get(), id, &response);
    if (!status.ok()) return rpc::FromDownstream(status, "account");
    return CustomerRequest{account_id, response.account().email(), response.account().name()};
}

Result<std::string> PaymentService::OpenCheckout(const pb::Order& order, const std::string& customer_id,
                                                 const std::string& return_url) {
    auto product = deps_.order_products.ProductFor(order.currency());
    if (!product.ok()) return product.error();
    // The order's lock is held across the provider call: concurrent requests for one order
    // (ten browser tabs, a double click) wait here and then get the session the first created.
    return deps_.pool.Transact([&](pqxx::work& tx) -> Result<std::string> {
        Ledger::LockOrder(tx, order.id());
        if (auto open = Ledger::LockOpenCheckout(tx, order.id())) {
            if (open->fresh && open->transaction.amount_cents == order.totalpricecents() &&
                open->transaction.currency == order.currency() && !open->url.empty()) {
                return open->url;
            }
            Ledger::CloseOpenCheckouts(tx, order.id(), "replaced by a new checkout");
            (void)deps_.provider.ExpireCheckout(open->transaction.checkout_session_id);
        }
        CheckoutRequest checkout;
        checkout.customer_id = customer_id;
        checkout.order_product_id = *product;
        checkout.amount_cents = order.totalpricecents();
        checkout.currency = order.currency();
        checkout.return_url = return_url;
        checkout.metadata = {{"order_id", std::to_string(order.id())}, {"user_id", std::to_string(order.accountid())}};
        for (const auto& line : order.products()) checkout.lines.push_back({line.name(), line.quantity(), line.pricecents()});
        auto session = deps_.provider.CreateCheckout(checkout);
        if (!session.ok()) return session.error();
        auto transaction_id = Ledger::InsertCheckout(
            tx, {order.id(), order.accountid(), customer_id, session->session_id, session->url, order.totalpricecents(),
                 order.currency()});
        spdlog::info("checkout {} for order {} ({} {}), transaction {}", session->session_id, order.id(),
                     money::FormatMajorUnits(order.totalpricecents()), order.currency(), transaction_id);
        return session->url;
    });
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
        if (auto valid = deps_.return_urls.Check(request->redirecturl(), "redirectURL"); !valid.ok()) {
            return rpc::ToGrpc(valid.error());
        }
        auto order = FetchOrder(context, request->orderid());
        if (!order.ok()) return rpc::ToGrpc(order.error());
        if (order->accountid() != request->userid()) {
            return grpc::Status(grpc::StatusCode::PERMISSION_DENIED,
                                "order " + std::to_string(order->id()) + " belongs to another account");
        }
        if (auto payable = CheckPayable(*order); !payable.ok()) return rpc::ToGrpc(payable.error());
        if (auto matches = CheckCartMatchesOrder(*request, *order); !matches.ok()) return rpc::ToGrpc(matches.error());
        auto identity = BillingIdentity(context, request->userid());
        if (!identity.ok()) return rpc::ToGrpc(identity.error());
        auto customer = deps_.customers.FindOrCreate(*identity);
        if (!customer.ok()) return rpc::ToGrpc(customer.error());
        auto url = OpenCheckout(*order, *customer, request->redirecturl());
        if (!url.ok()) return rpc::ToGrpc(url.error());
        response->set_value(*url);
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
            if (auto valid = deps_.return_urls.Check(request->returnurl(), "returnURL"); !valid.ok()) {
                return rpc::ToGrpc(valid.error());
            }
        }
        auto identity = BillingIdentity(context, request->userid());
        if (!identity.ok()) return rpc::ToGrpc(identity.error());
        auto customer = deps_.customers.FindOrCreate(*identity);
        if (!customer.ok()) return rpc::ToGrpc(customer.error());
        auto link = deps_.provider.CreatePortalSession(*customer, request->returnurl());
        if (!link.ok()) return rpc::ToGrpc(link.error());
        response->set_value(*link);
        return grpc::Status::OK;
    });
}

grpc::Status PaymentService::ListPayments(grpc::ServerContext* context, const pb::ListPaymentsRequest* request,
                                          pb::ListPaymentsResponse* response) {
    return rpc::Handle(context, list_metrics_, "ListPayments", [&] {
        if (static_cast<std::size_t>(request->orderids_size()) > kMaxOrdersPerList) {
            return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "orderIds must list at most 100 orders");
        }
        std::vector<std::uint64_t> ids(request->orderids().begin(), request->orderids().end());
        for (const auto& record : deps_.ledger.PaymentsOfOrders(ids)) {
            auto* payment = response->add_payments();
            payment->set_id(record.checkout_session_id.empty() ? record.payment_id : record.checkout_session_id);
            payment->set_orderid(record.order_id);
            payment->set_status(PaymentStatusOf(record.status));
            payment->set_amountcents(record.amount_cents);
            payment->set_refundedcents(record.refunded_cents);
            payment->set_currency(record.currency);
            payment->set_createdat(record.created_at);
            payment->set_paymentid(record.payment_id);
        }
        return grpc::Status::OK;
    });
}

grpc::Status PaymentService::RefundOrder(grpc::ServerContext* context, const pb::RefundOrderRequest* request,
                                         pb::RefundOrderResponse* response) {
    return rpc::Handle(context, refund_metrics_, "RefundOrder", [&] {
        if (request->orderid() == 0) {
            return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "orderId must be a positive order id");
        }
        if (request->requestedby() == 0) {
            return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "requestedBy must name the admin's account");
        }
        if (request->reason().size() > 1000) {
            return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "reason must be at most 1,000 bytes");
        }
        auto requested = deps_.pool.Transact([&](pqxx::work& tx) -> Status {
            Ledger::LockOrder(tx, request->orderid());
            auto payment = Ledger::RefundablePayment(tx, request->orderid());
            if (!payment) {
                return Error::FailedPrecondition("order " + std::to_string(request->orderid()) +
                                                 " has no payment left to refund");
            }
            auto reason = request->reason().empty() ? std::string("refunded by an admin") : request->reason();
            if (Ledger::RequestRefund(tx, *payment, reason, "admin " + std::to_string(request->requestedby()))) {
                spdlog::info("refund of order {} (payment {}) requested by admin {}", request->orderid(),
                             payment->payment_id, request->requestedby());
            }
            return Status::Ok();
        });
        if (!requested.ok()) return rpc::ToGrpc(requested.error());
        deps_.refunds.Nudge();
        response->set_status("requested");
        return grpc::Status::OK;
    });
}

grpc::Status PaymentService::ListAnomalies(grpc::ServerContext* context, const pb::ListAnomaliesRequest* request,
                                           pb::ListAnomaliesResponse* response) {
    return rpc::Handle(context, anomalies_metrics_, "ListAnomalies", [&] {
        for (const auto& record : deps_.ledger.Anomalies(request->skip(), paging::Take(request->take()))) {
            auto* anomaly = response->add_anomalies();
            anomaly->set_id(record.id);
            anomaly->set_receivedat(record.received_at);
            anomaly->set_kind(record.kind);
            anomaly->set_detail(record.detail);
            anomaly->set_orderid(record.order_id.value_or(0));
            anomaly->set_paymentid(record.payment_id);
            anomaly->set_hasamount(record.amount_cents.has_value());
            anomaly->set_amountcents(record.amount_cents.value_or(0));
            anomaly->set_currency(record.currency);
            anomaly->set_action(record.action);
        }
        return grpc::Status::OK;
    });
}

}  // namespace orderstream::payment
