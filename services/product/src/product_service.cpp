#include "product_service.hpp"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "orderstream/core/money.hpp"
#include "orderstream/core/paging.hpp"
#include "orderstream/core/text.hpp"

namespace orderstream::product {
namespace {

constexpr std::size_t kMaxIds = 100;

void Fill(pb::Product* out, const ProductRecord& record) {
    out->set_id(record.id);
    out->set_name(record.name);
    out->set_description(record.description);
    out->set_price(money::ToMajorUnits(record.price_cents));
    out->set_accountid(record.account_id);
    out->set_pricecents(record.price_cents);
    out->set_currency(record.currency);
}

}  // namespace

ProductService::ProductService(ProductCatalog& catalog, ProductSearch& search, ViewRecorder& views)
    : catalog_(catalog), search_(search), views_(views) {}

grpc::Status ProductService::PostProduct(grpc::ServerContext* context, const pb::CreateProductRequest* request,
                                         pb::ProductResponse* response) {
    return rpc::Handle(context, post_, [&](const rpc::Caller& caller) {
        auto owner = caller.Account(static_cast<std::uint64_t>(std::max<std::int64_t>(request->accountid(), 0)),
                                    "accountId");
        if (!owner.ok()) return rpc::ToGrpc(owner.error());
        auto draft = ValidateDraft(request->name(), request->description(), request->price(),
                                   static_cast<std::int64_t>(*owner));
        if (!draft.ok()) return rpc::ToGrpc(draft.error());
        auto product = catalog_.Create(*draft);
        spdlog::info("product {} created by account {}", product.id, product.account_id);
        Fill(response->mutable_product(), product);
        return grpc::Status::OK;
    });
}

grpc::Status ProductService::GetProduct(grpc::ServerContext* context, const google::protobuf::StringValue* request,
                                        pb::ProductResponse* response) {
    return rpc::Handle(context, get_, [&](const rpc::Caller& caller) {
        auto id = text::Trim(request->value());
        if (auto valid = ValidateProductId(id, "id"); !valid.ok()) return rpc::ToGrpc(valid.error());
        auto product = catalog_.Find(id);
        if (!product) return grpc::Status(grpc::StatusCode::NOT_FOUND, "product " + id + " not found");
        if (caller.user()) views_.Record(static_cast<std::int64_t>(caller.user()->account_id), product->id);
        Fill(response->mutable_product(), *product);
        return grpc::Status::OK;
    });
}

grpc::Status ProductService::GetProducts(grpc::ServerContext* context, const pb::GetProductsRequest* request,
                                         pb::ProductsResponse* response) {
    return rpc::Handle(context, list_, [&](const rpc::Caller&) {
        auto take = paging::Take(request->take());
        std::vector<ProductRecord> products;
        if (request->ids_size() > 0) {
            if (static_cast<std::size_t>(request->ids_size()) > kMaxIds) {
                return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "ids must list at most 100 products");
            }
            std::vector<std::string> ids(request->ids().begin(), request->ids().end());
            products = catalog_.FindMany(ids);
        } else if (auto query = text::Trim(request->query()); !query.empty()) {
            auto length = text::Utf8Length(query);
            if (!length) return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "query must be valid UTF-8");
            if (*length > kMaxQueryChars) {
                return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "query must be at most 200 characters");
            }
            products = search_.Search(query, request->skip(), take);
        } else if (request->owneraccountid() > 0) {
            products = catalog_.OfOwner(request->owneraccountid(), request->skip(), take);
        } else {
            products = catalog_.List(request->skip(), take);
        }
        for (const auto& product : products) Fill(response->add_products(), product);
        return grpc::Status::OK;
    });
}

grpc::Status ProductService::UpdateProduct(grpc::ServerContext* context, const pb::UpdateProductRequest* request,
                                           pb::ProductResponse* response) {
    return rpc::Handle(context, update_, [&](const rpc::Caller& caller) {
        auto id = text::Trim(request->id());
        if (auto valid = ValidateProductId(id, "id"); !valid.ok()) return rpc::ToGrpc(valid.error());
        auto owner = caller.Account(static_cast<std::uint64_t>(std::max<std::int64_t>(request->accountid(), 0)),
                                    "accountId");
        if (!owner.ok()) return rpc::ToGrpc(owner.error());
        auto draft = ValidateDraft(request->name(), request->description(), request->price(),
                                   static_cast<std::int64_t>(*owner));
        if (!draft.ok()) return rpc::ToGrpc(draft.error());
        auto product = catalog_.Update(id, *draft);
        if (!product.ok()) return rpc::ToGrpc(product.error());
        Fill(response->mutable_product(), *product);
        return grpc::Status::OK;
    });
}

grpc::Status ProductService::DeleteProduct(grpc::ServerContext* context, const pb::DeleteProductRequest* request,
                                           google::protobuf::Empty* /*response*/) {
    return rpc::Handle(context, delete_, [&](const rpc::Caller& caller) {
        auto id = text::Trim(request->productid());
        if (auto valid = ValidateProductId(id, "productId"); !valid.ok()) return rpc::ToGrpc(valid.error());
        auto owner = caller.Account(static_cast<std::uint64_t>(std::max<std::int64_t>(request->accountid(), 0)),
                                    "accountId");
        if (!owner.ok()) return rpc::ToGrpc(owner.error());
        if (*owner == 0) {
            return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "accountId must be a positive account id");
        }
        auto deleted = catalog_.Delete(id, static_cast<std::int64_t>(*owner));
        if (!deleted.ok()) return rpc::ToGrpc(deleted.error());
        spdlog::info("product {} deleted by account {}", id, *owner);
        return grpc::Status::OK;
    });
}

}  // namespace orderstream::product
