#pragma once

#include "orderstream/rpc/call.hpp"
#include "product.grpc.pb.h"
#include "product_catalog.hpp"
#include "product_search.hpp"
#include "view_recorder.hpp"

namespace orderstream::product {

// pb.ProductService. The owner of a product is the signed-in user whose token the gateway
// forwards (rpc::Caller), never an accountId the request names; a product view is recorded
// for that user too.
class ProductService final : public pb::ProductService::Service {
public:
    ProductService(ProductCatalog& catalog, ProductSearch& search, ViewRecorder& views);

    grpc::Status PostProduct(grpc::ServerContext* context, const pb::CreateProductRequest* request,
                             pb::ProductResponse* response) override;
    grpc::Status GetProduct(grpc::ServerContext* context, const google::protobuf::StringValue* request,
                            pb::ProductResponse* response) override;
    grpc::Status GetProducts(grpc::ServerContext* context, const pb::GetProductsRequest* request,
                             pb::ProductsResponse* response) override;
    grpc::Status UpdateProduct(grpc::ServerContext* context, const pb::UpdateProductRequest* request,
                               pb::ProductResponse* response) override;
    grpc::Status DeleteProduct(grpc::ServerContext* context, const pb::DeleteProductRequest* request,
                               google::protobuf::Empty* response) override;

private:
    ProductCatalog& catalog_;
    ProductSearch& search_;
    ViewRecorder& views_;
    // The gateway (or the operator) changes the catalog, for the signed-in owner; the catalog is
    // public (order and payment read products while serving their callers).
    rpc::Method post_{"pb.ProductService/PostProduct", {{"gateway", "operator"}, rpc::UserCredential::kRequired}};
    rpc::Method get_{"pb.ProductService/GetProduct", {{"gateway", "order", "payment", "operator"}}};
    rpc::Method list_{"pb.ProductService/GetProducts", {{"gateway", "order", "payment", "operator"}}};
    rpc::Method update_{"pb.ProductService/UpdateProduct", {{"gateway", "operator"}, rpc::UserCredential::kRequired}};
    rpc::Method delete_{"pb.ProductService/DeleteProduct", {{"gateway", "operator"}, rpc::UserCredential::kRequired}};
};

}  // namespace orderstream::product
