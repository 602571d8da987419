#pragma once

#include "orderstream/rpc/call.hpp"
#include "product.grpc.pb.h"
#include "product_catalog.hpp"
#include "product_search.hpp"
#include "view_recorder.hpp"

namespace orderstream::product {

// pb.ProductService. Ownership is enforced here from the accountId the gateway passes
// (taken from the caller's token there); who the caller is for view events comes from the
// x-account-id metadata.
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
    rpc::MethodMetrics post_metrics_{"pb.ProductService/PostProduct"};
    rpc::MethodMetrics get_metrics_{"pb.ProductService/GetProduct"};
    rpc::MethodMetrics list_metrics_{"pb.ProductService/GetProducts"};
    rpc::MethodMetrics update_metrics_{"pb.ProductService/UpdateProduct"};
    rpc::MethodMetrics delete_metrics_{"pb.ProductService/DeleteProduct"};
};

}  // namespace orderstream::product
