#include "order_service.hpp"

#include <spdlog/spdlog.h>

#include "orderstream/core/money.hpp"
#include "orderstream/core/paging.hpp"
#include "orderstream/rpc/client.hpp"

namespace orderstream::order {
namespace {

constexpr std::size_t kMaxAccountsPerList = 100;
constexpr std::size_t kMaxIdempotencyKeyBytes = 200;

void Fill(pb::Order* out, const OrderRecord& order) {
    out->set_id(order.id);
    out->set_createdat(order.created_at);
    out->set_accountid(order.account_id);
    out->set_totalprice(money::ToMajorUnits(order.total_cents));
    out->set_totalpricecents(order.total_cents);
    out->set_currency(order.currency);
    out->set_status(order.status);
    for (const auto& line : order.lines) {
        auto* product = out->add_products();
        product->set_id(line.product_id);
        product->set_name(line.name);
        product->set_description(line.description);
        product->set_price(money::ToMajorUnits(line.unit_price_cents));
        product->set_pricecents(line.unit_price_cents);
        product->set_quantity(line.quantity);
    }
}

}  // namespace

OrderService::OrderService(OrderBook& book, std::shared_ptr<grpc::Channel> accounts,
                           std::shared_ptr<grpc::Channel> products, std::chrono::milliseconds downstream_timeout)
    : book_(book),
      accounts_(pb::AccountService::NewStub(std::move(accounts))),
      products_(pb::ProductService::NewStub(std::move(products))),
      downstream_timeout_(downstream_timeout) {}

Status OrderService::CheckAccountExists(grpc::ServerContext* context, std::uint64_t account_id) {
    auto call = rpc::ClientContextFor(context, downstream_timeout_);
    google::protobuf::UInt64Value id;
    id.set_value(account_id);
    pb::AccountResponse account;
    auto status = accounts_->GetAccount(call.get(), id, &account);
    if (status.ok()) return Status::Ok();
    return rpc::FromDownstream(status, "account");
}

Result<std::map<std::string, CatalogEntry>> OrderService::FetchCatalog(grpc::ServerContext* context,
                                                                       const std::vector<CartLine>& lines) {
    auto call = rpc::ClientContextFor(context, downstream_timeout_);
    pb::GetProductsRequest request;
    for (const auto& line : lines) request.add_ids(line.product_id);
    request.set_take(kMaxLines);
    pb::ProductsResponse response;
    auto status = products_->GetProducts(call.get(), request, &response);
    if (!status.ok()) return rpc::FromDownstream(status, "product");
    std::map<std::string, CatalogEntry> catalog;
    for (const auto& product : response.products()) {
        catalog[product.id()] = {product.name(), product.description(), product.pricecents(), product.accountid()};
    }
    return catalog;
}

grpc::Status OrderService::PostOrder(grpc::ServerContext* context, const pb::PostOrderRequest* request,
                                     pb::PostOrderResponse* response) {
    return rpc::Handle(context, post_metrics_, "PostOrder", [&] {
        if (request->accountid() == 0) {
            return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "accountId must be a positive account id");
        }
        if (request->idempotencykey().size() > kMaxIdempotencyKeyBytes) {
            return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "idempotencyKey must be at most 200 bytes");
        }
        std::vector<CartLine> lines;
        for (const auto& product : request->products()) lines.push_back({product.id(), product.quantity()});
        if (auto valid = ValidateCart(lines); !valid.ok()) return rpc::ToGrpc(valid.error());

        NewOrder order;
        order.account_id = request->accountid();
        order.idempotency_key = request->idempotencykey();
        order.fingerprint = CartFingerprint(lines);
        if (!order.idempotency_key.empty()) {
            auto existing = book_.FindByKey(order.account_id, order.idempotency_key, order.fingerprint);
            if (!existing.ok()) return rpc::ToGrpc(existing.error());
            if (existing->has_value()) {
                Fill(response->mutable_order(), **existing);
                return grpc::Status::OK;
            }
        }
        if (auto account = CheckAccountExists(context, order.account_id); !account.ok()) {
            if (account.error().code == ErrorCode::kNotFound) {
                return grpc::Status(grpc::StatusCode::NOT_FOUND,
                                    "account " + std::to_string(order.account_id) + " not found");
            }
            return rpc::ToGrpc(account.error());
        }
        auto catalog = FetchCatalog(context, lines);
        if (!catalog.ok()) return rpc::ToGrpc(catalog.error());
        auto priced = PriceCart(lines, *catalog);
        if (!priced.ok()) return rpc::ToGrpc(priced.error());
        order.priced = std::move(priced).value();
        auto created = book_.Create(order);
        if (!created.ok()) return rpc::ToGrpc(created.error());
        spdlog::info("order {} placed by account {}: {} lines, total {}", created->id, created->account_id,
                     created->lines.size(), money::FormatMajorUnits(created->total_cents));
        Fill(response->mutable_order(), *created);
        return grpc::Status::OK;
    });
}

grpc::Status OrderService::GetOrdersForAccount(grpc::ServerContext* context,
                                               const google::protobuf::UInt64Value* request,
                                               pb::GetOrdersForAccountResponse* response) {
    return rpc::Handle(context, for_account_metrics_, "GetOrdersForAccount", [&] {
        for (const auto& order : book_.ForAccounts({request->value()}, 0, paging::kMaxTake)) {
            Fill(response->add_orders(), order);
        }
        return grpc::Status::OK;
    });
}

grpc::Status OrderService::ListOrders(grpc::ServerContext* context, const pb::ListOrdersRequest* request,
                                      pb::GetOrdersForAccountResponse* response) {
    return rpc::Handle(context, list_metrics_, "ListOrders", [&] {
        if (static_cast<std::size_t>(request->accountids_size()) > kMaxAccountsPerList) {
            return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "accountIds must list at most 100 accounts");
        }
        std::vector<std::uint64_t> ids(request->accountids().begin(), request->accountids().end());
        for (const auto& order : book_.ForAccounts(ids, request->skip(), paging::Take(request->take()))) {
            Fill(response->add_orders(), order);
        }
        return grpc::Status::OK;
    });
}

grpc::Status OrderService::UpdateOrderStatus(grpc::ServerContext* context, const pb::UpdateOrderStatusRequest* request,
                                             google::protobuf::Empty* /*response*/) {
    return rpc::Handle(context, status_metrics_, "UpdateOrderStatus", [&] {
        auto status = ParseStatus(request->status());
        if (!status.ok()) return rpc::ToGrpc(status.error());
        auto updated = book_.UpdateStatus(request->orderid(), *status, "set by an operator");
        if (!updated.ok()) return rpc::ToGrpc(updated.error());
        spdlog::info("order {} is {}", request->orderid(), request->status());
        return grpc::Status::OK;
    });
}

grpc::Status OrderService::GetOrder(grpc::ServerContext* context, const google::protobuf::UInt64Value* request,
                                    pb::PostOrderResponse* response) {
    return rpc::Handle(context, get_metrics_, "GetOrder", [&] {
        auto order = book_.Find(request->value());
        if (!order) {
            return grpc::Status(grpc::StatusCode::NOT_FOUND, "order " + std::to_string(request->value()) + " not found");
        }
        Fill(response->mutable_order(), *order);
        return grpc::Status::OK;
    });
}

grpc::Status OrderService::CancelOrder(grpc::ServerContext* context, const pb::CancelOrderRequest* request,
                                      pb::PostOrderResponse* response) {
    return rpc::Handle(context, cancel_metrics_, "CancelOrder", [&] {
        if (request->accountid() == 0) {
            return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "accountId must be a positive account id");
        }
        auto cancelled = book_.Cancel(request->orderid(), request->accountid());
        if (!cancelled.ok()) return rpc::ToGrpc(cancelled.error());
        spdlog::info("order {} cancelled by account {}", request->orderid(), request->accountid());
        Fill(response->mutable_order(), *cancelled);
        return grpc::Status::OK;
    });
}

grpc::Status OrderService::ListAllOrders(grpc::ServerContext* context, const pb::ListAllOrdersRequest* request,
                                         pb::GetOrdersForAccountResponse* response) {
    return rpc::Handle(context, all_metrics_, "ListAllOrders", [&] {
        for (const auto& order : book_.Newest(request->skip(), paging::Take(request->take()))) {
            Fill(response->add_orders(), order);
        }
        return grpc::Status::OK;
    });
}

grpc::Status OrderService::ListSales(grpc::ServerContext* context, const pb::ListSalesRequest* request,
                                     pb::GetOrdersForAccountResponse* response) {
    return rpc::Handle(context, sales_metrics_, "ListSales", [&] {
        if (request->selleraccountid() == 0) {
            return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "sellerAccountId must be a positive account id");
        }
        for (const auto& order : book_.Sales(request->selleraccountid(), request->skip(), paging::Take(request->take()))) {
            Fill(response->add_orders(), order);
        }
        return grpc::Status::OK;
    });
}

}  // namespace orderstream::order
