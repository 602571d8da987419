// Searches answered from the result cache never hide a change whose writer has answered,
// also when the write went through another instance of the product role on the same
// database (two real `orderstream product` processes, one PostgreSQL).
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include "orderstream/testing/kafka.hpp"
#include "orderstream/testing/process.hpp"
#include "orderstream/testing/role.hpp"
#include "product.grpc.pb.h"

namespace testing_ = orderstream::testing;

namespace {

class SearchFreshnessTest : public ::testing::Test {
protected:
    void SetUp() override {
        first_ = std::make_unique<testing_::RoleProcess>("product", std::map<std::string, std::string>{});
        ASSERT_TRUE(first_->ready()) << first_->Output();
        second_grpc_ = testing_::FreePort();
        second_admin_ = testing_::FreePort();
        second_ = std::make_unique<testing_::ChildProcess>(
            std::vector<std::string>{testing_::OrderstreamBinary(), "product"},
            std::map<std::string, std::string>{
                {"PRODUCT_LISTEN", "127.0.0.1:" + std::to_string(second_grpc_)},
                {"PRODUCT_ADMIN_LISTEN", "127.0.0.1:" + std::to_string(second_admin_)},
                {"DATABASE_URL", first_->database_url()},
                {"KAFKA_BOOTSTRAP_SERVERS", testing_::TestKafkaBootstrap()}});
        ASSERT_TRUE(testing_::WaitUntilReady(*second_, second_admin_)) << second_->Output();
        writer_ = pb::ProductService::NewStub(grpc::CreateChannel(first_->address(), grpc::InsecureChannelCredentials()));
        reader_ = pb::ProductService::NewStub(
            grpc::CreateChannel("127.0.0.1:" + std::to_string(second_grpc_), grpc::InsecureChannelCredentials()));
    }

    void TearDown() override {
        if (HasFailure()) {
            std::fprintf(stderr, "--- writer log ---\n%s\n--- reader log ---\n%s\n", first_->Output().c_str(),
                         second_->Output().c_str());
        }
    }

    pb::Product Post(const std::string& name, const std::string& description) {
        grpc::ClientContext context;
        pb::CreateProductRequest request;
        request.set_name(name);
        request.set_description(description);
        request.set_price(5);
        request.set_accountid(3);
        pb::ProductResponse response;
        auto status = writer_->PostProduct(&context, request, &response);
        EXPECT_TRUE(status.ok()) << status.error_message();
        return response.product();
    }

    std::vector<std::string> Search(const std::string& query) {
        grpc::ClientContext context;
        pb::GetProductsRequest request;
        request.set_query(query);
        request.set_take(10);
        pb::ProductsResponse response;
        auto status = reader_->GetProducts(&context, request, &response);
        EXPECT_TRUE(status.ok()) << status.error_message();
        std::vector<std::string> names;
        for (const auto& product : response.products()) names.push_back(product.name());
        return names;
    }

    // product_search_cache_total{outcome="..."} on the reader's /metrics.
    long CacheCount(const std::string& outcome) {
        auto reply = testing_::HttpRequest(second_admin_, "GET", "/metrics");
        auto needle = "product_search_cache_total{outcome=\"" + outcome + "\"} ";
        auto at = reply.body.find(needle);
        if (at == std::string::npos) return 0;
        return std::stol(reply.body.substr(at + needle.size()));
    }

    std::unique_ptr<testing_::RoleProcess> first_;
    std::unique_ptr<testing_::ChildProcess> second_;
    int second_grpc_ = 0;
    int second_admin_ = 0;
    std::unique_ptr<pb::ProductService::Stub> writer_;
    std::unique_ptr<pb::ProductService::Stub> reader_;
};

TEST_F(SearchFreshnessTest, RepeatedSearchesComeFromTheCacheUntilTheCatalogChanges) {
    Post("Ceramic Mug", "Holds coffee");
    EXPECT_EQ(Search("mug"), (std::vector<std::string>{"Ceramic Mug"}));
    auto misses = CacheCount("miss");
    auto hits = CacheCount("hit");
    EXPECT_EQ(Search("mug"), (std::vector<std::string>{"Ceramic Mug"}));
    EXPECT_EQ(Search("mug"), (std::vector<std::string>{"Ceramic Mug"}));
    EXPECT_EQ(CacheCount("hit"), hits + 2);
    EXPECT_EQ(CacheCount("miss"), misses);

    Post("Travel Mug", "Keeps tea hot");
    auto after_change = Search("mug");
    EXPECT_EQ(after_change.size(), 2U) << "a cached page hid a product created through the other instance";
    EXPECT_EQ(CacheCount("miss"), misses + 1);
}

TEST_F(SearchFreshnessTest, UpdatesAndDeletesThroughAnotherInstanceShowAtOnce) {
    auto lamp = Post("Desk Lamp", "Warm light");
    ASSERT_EQ(Search("lamp"), (std::vector<std::string>{"Desk Lamp"}));

    grpc::ClientContext update_context;
    pb::UpdateProductRequest update;
    update.set_id(lamp.id());
    update.set_name("Floor Lamp");
    update.set_description("Warm light");
    update.set_price(7);
    update.set_accountid(3);
    pb::ProductResponse updated;
    ASSERT_TRUE(writer_->UpdateProduct(&update_context, update, &updated).ok());
    EXPECT_EQ(Search("lamp"), (std::vector<std::string>{"Floor Lamp"}));

    grpc::ClientContext refused_context;
    update.set_accountid(4);  // not the owner: refused, nothing changes
    ASSERT_EQ(writer_->UpdateProduct(&refused_context, update, &updated).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
    EXPECT_EQ(Search("lamp"), (std::vector<std::string>{"Floor Lamp"}));

    grpc::ClientContext delete_context;
    pb::DeleteProductRequest removal;
    removal.set_productid(lamp.id());
    removal.set_accountid(3);
    google::protobuf::Empty empty;
    ASSERT_TRUE(writer_->DeleteProduct(&delete_context, removal, &empty).ok());
    EXPECT_TRUE(Search("lamp").empty()) << "a deleted product was still found";
}

}  // namespace
