#include "product_service.hpp"

#include <charconv>

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

// The signed-in caller the gateway names in x-account-id metadata, or 0.
std::int64_t CallerOf(const grpc::ServerContext& context) {
    auto it = context.client_metadata().find("x-account-id");
    if (it == context.client_metadata().end()) return 0;
    std::int64_t id = 0;
    auto [ptr, ec] = std::from_chars(it->second.data(), it->second.data() + it->second.size(), id);
    return ec == std::errc() && ptr == it->second.data() + it->second.size() && id > 0 ? id : 0;
}

}  // namespace

ProductService::ProductService(ProductCatalog& catalog, ProductSearch& search, ViewRecorder& views)
    : catalog_(catalog), search_(search), views_(views) {}

grpc::Status ProductService::PostProduct(grpc::ServerContext* context, const pb::CreateProductRequest* request,
                                         pb::ProductResponse* response) {
    return rpc::Handle(context, post_metrics_, "PostProduct", [&] {
        auto draft = ValidateDraft(request->name(), request->description(), request->price(), request->accountid());
        if (!draft.ok()) return rpc::ToGrpc(draft.error());
        auto product = catalog_.Create(*draft);
        spdlog::info("product {} created by account {}", product.id, product.account_id);
        Fill(response->mutable_product(), product);
        return grpc::Status::OK;
    });
}

grpc::Status ProductService::GetProduct(grpc::ServerContext* context, const google::protobuf::StringValue* request,
                                        pb::ProductResponse* response) {
    return rpc::Handle(context, get_metrics_, "GetProduct", [&] {
        auto id = text::Trim(request->value());
        if (auto valid = ValidateProductId(id, "id"); !valid.ok()) return rpc::ToGrpc(valid.error());
        auto product = catalog_.Find(id);
        if (!product) return grpc::Status(grpc::StatusCode::NOT_FOUND, "product " + id + " not found");
        if (auto caller = CallerOf(*context); caller > 0) views_.Record(caller, product->id);
        Fill(response->mutable_product(), *product);
        return grpc::Status::OK;
    });
}

grpc::Status ProductService::GetProducts(grpc::ServerContext* context, const pb::GetProductsRequest* request,
                                         pb::ProductsResponse* response) {
    return rpc::Handle(context, list_metrics_, "GetProducts", [&] {
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
    return rpc::Handle(context, update_metrics_, "UpdateProduct", [&] {
        auto id = text::Trim(request->id());
        if (auto valid = ValidateProductId(id, "id"); !valid.ok()) return rpc::ToGrpc(valid.error());
        auto draft = ValidateDraft(request->name(), request->description(), request->price(), request->accountid());
        if (!draft.ok()) return rpc::ToGrpc(draft.error());
        auto product = catalog_.Update(id, *draft);
        if (!product.ok()) return rpc::ToGrpc(product.error());
        Fill(response->mutable_product(), *product);
        return grpc::Status::OK;
    });
}

grpc::Status ProductService::DeleteProduct(grpc::ServerContext* context, const pb::DeleteProductRequest* request,
                                           google::protobuf::Empty* /*response*/) {
    return rpc::Handle(context, delete_metrics_, "DeleteProduct", [&] {
        auto id = text::Trim(request->productid());
        if (auto valid = ValidateProductId(id, "productId"); !valid.ok()) return rpc::ToGrpc(valid.error());
        if (request->accountid() <= 0) {
            return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "accountId must be a positive account id");
        }
        auto deleted = catalog_.Delete(id, request->accountid());
        if (!deleted.ok()) return rpc::ToGrpc(deleted.error());
        spdlog::info("product {} deleted by account {}", id, request->accountid());
        return grpc::Status::OK;
    });
}

}  // namespace orderstream::product
