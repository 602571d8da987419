// Black-box tests: the real `orderstream product` binary on a fresh database and the test
// Kafka broker, called over gRPC like the gateway does.
#include <algorithm>
#include <set>

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include "orderstream/auth/jwt.hpp"
#include "orderstream/testing/database.hpp"
#include "orderstream/testing/kafka.hpp"
#include "orderstream/testing/process.hpp"
#include "product.grpc.pb.h"
#include "search_relevance_cases.hpp"

namespace testing_ = orderstream::testing;
using orderstream::product::testing::ExpectSearchRelevance;
using orderstream::product::testing::ExpectStableSearchPages;

namespace {

const std::string kJwtSecret = "product-integration-test-secret-0123456789";

class ProductServiceTest : public ::testing::Test {
protected:
    void SetUp() override {
        db_ = std::make_unique<testing_::TemporaryDatabase>("product");
        int grpc_port = testing_::FreePort();
        admin_port_ = testing_::FreePort();
        process_ = std::make_unique<testing_::ChildProcess>(
            std::vector<std::string>{testing_::OrderstreamBinary(), "product"},
            std::map<std::string, std::string>{{"PRODUCT_LISTEN", "127.0.0.1:" + std::to_string(grpc_port)},
                                               {"PRODUCT_ADMIN_LISTEN", "127.0.0.1:" + std::to_string(admin_port_)},
                                               {"DATABASE_URL", db_->url()},
                                               {"JWT_SECRET", kJwtSecret},
                                               {"KAFKA_BOOTSTRAP_SERVERS", testing_::TestKafkaBootstrap()}});
        ASSERT_TRUE(testing_::WaitUntilReady(*process_, admin_port_)) << process_->Output();
        stub_ = pb::ProductService::NewStub(
            grpc::CreateChannel("127.0.0.1:" + std::to_string(grpc_port), grpc::InsecureChannelCredentials()));
    }

    void TearDown() override {
        if (HasFailure()) std::fprintf(stderr, "--- service log ---\n%s\n", process_->Output().c_str());
        stub_.reset();
        process_.reset();
        db_.reset();
    }

    grpc::Status Post(const std::string& name, const std::string& description, double price, std::int64_t account,
                      pb::Product* out = nullptr) {
        grpc::ClientContext context;
        pb::CreateProductRequest request;
        request.set_name(name);
        request.set_description(description);
        request.set_price(price);
        request.set_accountid(account);
        pb::ProductResponse response;
        auto status = stub_->PostProduct(&context, request, &response);
        if (out != nullptr) *out = response.product();
        return status;
    }

    pb::Product MustPost(const std::string& name, const std::string& description, double price = 10,
                         std::int64_t account = 1) {
        pb::Product product;
        auto status = Post(name, description, price, account, &product);
        EXPECT_TRUE(status.ok()) << status.error_message();
        return product;
    }

    // `viewer_token`: the signed-in user's token, as the gateway forwards it.
    grpc::Status Get(const std::string& id, pb::Product* out = nullptr, const std::string& viewer_token = "") {
        grpc::ClientContext context;
        if (!viewer_token.empty()) context.AddMetadata("x-orderstream-user", viewer_token);
        google::protobuf::StringValue request;
        request.set_value(id);
        pb::ProductResponse response;
        auto status = stub_->GetProduct(&context, request, &response);
        if (out != nullptr) *out = response.product();
        return status;
    }

    std::vector<std::string> Names(const pb::GetProductsRequest& request) {
        grpc::ClientContext context;
        pb::ProductsResponse response;
        auto status = stub_->GetProducts(&context, request, &response);
        EXPECT_TRUE(status.ok()) << status.error_message();
        std::vector<std::string> names;
        for (const auto& p : response.products()) names.push_back(p.name());
        return names;
    }

    std::vector<std::string> Search(const std::string& query, std::uint64_t skip = 0, std::uint64_t take = 10) {
        pb::GetProductsRequest request;
        request.set_query(query);
        request.set_skip(skip);
        request.set_take(take);
        return Names(request);
    }

    // PostgreSQL search sees a committed product at once: nothing to wait for.
    orderstream::product::testing::SearchSubject Subject() {
        return {
            .post = [this](const std::string& name, const std::string& description) { MustPost(name, description); },
            .await_searchable = [] {},
            .search = [this](const std::string& query, std::uint64_t skip,
                             std::uint64_t take) { return Search(query, skip, take); },
            .search_status =
                [this](const std::string& query) {
                    pb::GetProductsRequest request;
                    request.set_query(query);
                    grpc::ClientContext context;
                    pb::ProductsResponse response;
                    return stub_->GetProducts(&context, request, &response);
                },
        };
    }

    long Count(const std::string& sql) {
        pqxx::connection conn(db_->url());
        pqxx::nontransaction tx(conn);
        return tx.exec1(sql)[0].as<long>();
    }

    std::unique_ptr<testing_::TemporaryDatabase> db_;
    std::unique_ptr<testing_::ChildProcess> process_;
    std::unique_ptr<pb::ProductService::Stub> stub_;
    int admin_port_ = 0;
};

bool Contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

TEST_F(ProductServiceTest, CrudEmitsProductEventsKeyedByProductId) {
    auto created = MustPost("Wireless Headphones", "High-quality Bluetooth headphones", 149.99, 7);
    EXPECT_EQ(created.id().size(), 36U);
    EXPECT_EQ(created.price(), 149.99);
    EXPECT_EQ(created.accountid(), 7);

    pb::Product fetched;
    ASSERT_TRUE(Get(created.id(), &fetched).ok());
    EXPECT_EQ(fetched.name(), "Wireless Headphones");

    grpc::ClientContext update_context;
    pb::UpdateProductRequest update;
    update.set_id(created.id());
    update.set_name("Updated Headphones");
    update.set_description("Updated description");
    update.set_price(129.99);
    update.set_accountid(7);
    pb::ProductResponse updated;
    ASSERT_TRUE(stub_->UpdateProduct(&update_context, update, &updated).ok());
    EXPECT_EQ(updated.product().name(), "Updated Headphones");
    EXPECT_EQ(updated.product().price(), 129.99);

    grpc::ClientContext delete_context;
    pb::DeleteProductRequest removal;
    removal.set_productid(created.id());
    removal.set_accountid(7);
    google::protobuf::Empty empty;
    ASSERT_TRUE(stub_->DeleteProduct(&delete_context, removal, &empty).ok());
    EXPECT_EQ(Get(created.id()).error_code(), grpc::StatusCode::NOT_FOUND);
    EXPECT_TRUE(Names(pb::GetProductsRequest()).empty());
    EXPECT_TRUE(Search("headphones").empty());
    EXPECT_EQ(Count("SELECT count(*) FROM products WHERE deleted_at IS NOT NULL"), 1);

    auto mine = [&](const std::vector<testing_::KafkaRecord>& records) {
        std::vector<testing_::KafkaRecord> out;
        for (const auto& r : records) {
            if (r.key == created.id()) out.push_back(r);
        }
        return out;
    };
    auto records = testing_::ReadTopic(testing_::TestKafkaBootstrap(), "product_events",
                                       [&](const auto& all) { return mine(all).size() >= 3; });
    auto events = mine(records);
    ASSERT_EQ(events.size(), 3U);
    EXPECT_TRUE(Contains(events[0].value, R"("type":"product_created")")) << events[0].value;
    EXPECT_TRUE(Contains(events[0].value, R"("price":149.99,"price_cents":14999,"currency":"USD","accountID":7)"))
        << events[0].value;
    EXPECT_TRUE(Contains(events[0].value, R"("product_id":")" + created.id())) << events[0].value;
    EXPECT_TRUE(Contains(events[0].value, R"("occurred_at":")")) << events[0].value;
    EXPECT_TRUE(Contains(events[1].value, R"("type":"product_updated")"));
    EXPECT_TRUE(Contains(events[1].value, R"("name":"Updated Headphones")"));
    EXPECT_TRUE(Contains(events[2].value, R"("type":"product_deleted")"));
}

TEST_F(ProductServiceTest, OnlyTheOwnerMayChangeAProduct) {
    auto product = MustPost("Mug", "Ceramic", 9.5, 1);
    grpc::ClientContext update_context;
    pb::UpdateProductRequest update;
    update.set_id(product.id());
    update.set_name("Stolen");
    update.set_price(1);
    update.set_accountid(2);
    pb::ProductResponse response;
    EXPECT_EQ(stub_->UpdateProduct(&update_context, update, &response).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);

    grpc::ClientContext delete_context;
    pb::DeleteProductRequest removal;
    removal.set_productid(product.id());
    removal.set_accountid(2);
    google::protobuf::Empty empty;
    EXPECT_EQ(stub_->DeleteProduct(&delete_context, removal, &empty).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);

    pb::Product unchanged;
    ASSERT_TRUE(Get(product.id(), &unchanged).ok());
    EXPECT_EQ(unchanged.name(), "Mug");
    EXPECT_EQ(Count("SELECT count(*) FROM outbox"), 1);  // only product_created

    grpc::ClientContext missing_context;
    update.set_id("0190c3e0-7b1a-7000-8000-000000000000");
    update.set_accountid(1);
    EXPECT_EQ(stub_->UpdateProduct(&missing_context, update, &response).error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(ProductServiceTest, InvalidInputStoresNothingAndEmitsNothing) {
    struct Case {
        std::string name, description;
        double price;
        std::int64_t account;
        std::string message;
    };
    std::vector<Case> cases = {
        {"", "d", 1, 1, "name must not be empty"},
        {std::string(201, 'x'), "d", 1, 1, "name must be at most 200 characters"},
        {"n", std::string(5001, 'd'), 1, 1, "description must be at most 5000 characters"},
        {"n", "d", -0.5, 1, "price must not be negative"},
        {"n", "d", std::nan(""), 1, "price must be a number, got NaN"},
        {"n", "d", INFINITY, 1, "price must be finite"},
        {"n", "d", 1e9 + 1, 1, "price must be at most 1000000000"},
        {"n", "d", 0.125, 1, "price must have at most two decimals"},
        {"n", "d", 1, 0, "accountId must be a positive account id"},
    };
    for (const auto& c : cases) {
        auto status = Post(c.name, c.description, c.price, c.account);
        EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << c.message;
        EXPECT_EQ(status.error_message(), c.message);
    }
    EXPECT_EQ(Count("SELECT count(*) FROM products"), 0);
    EXPECT_EQ(Count("SELECT count(*) FROM outbox"), 0);

    pb::GetProductsRequest long_query;
    long_query.set_query(std::string(201, 'q'));
    grpc::ClientContext context;
    pb::ProductsResponse response;
    EXPECT_EQ(stub_->GetProducts(&context, long_query, &response).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_EQ(Get("").error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_EQ(Get("not-a-uuid").error_code(), grpc::StatusCode::NOT_FOUND);
}

// The same cases run against the search engine backend (opensearch_integration_test.cpp).
TEST_F(ProductServiceTest, SearchRanksStemsPhrasesExclusionsAndTypos) {
    ExpectSearchRelevance(Subject());
    EXPECT_EQ(Count("SELECT count(*) FROM products"), 5);
}

TEST_F(ProductServiceTest, PagesAreNewestFirstAndStable) {
    for (int i = 0; i < 25; ++i) MustPost("Widget " + std::to_string(i), "A widget", 1 + i);
    std::vector<std::string> seen;
    for (std::uint64_t skip = 0; skip < 30; skip += 10) {
        pb::GetProductsRequest request;
        request.set_skip(skip);
        request.set_take(10);
        auto page = Names(request);
        seen.insert(seen.end(), page.begin(), page.end());
    }
    ASSERT_EQ(seen.size(), 25U);
    EXPECT_EQ(seen.front(), "Widget 24");
    EXPECT_EQ(seen.back(), "Widget 0");
    EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), 25U);

    ExpectStableSearchPages(Subject(), "widget", 25, 7);

    pb::GetProductsRequest capped;
    capped.set_take(1000);
    EXPECT_EQ(Names(capped).size(), 25U);
}

TEST_F(ProductServiceTest, IdsReturnExactlyThoseInTheOrderAsked) {
    auto a = MustPost("A", "");
    auto b = MustPost("B", "");
    auto c = MustPost("C", "");
    pb::GetProductsRequest request;
    request.add_ids(c.id());
    request.add_ids("0190c3e0-7b1a-7000-8000-000000000000");
    request.add_ids(a.id());
    request.add_ids("junk\"{,}");
    request.add_ids(b.id());
    EXPECT_EQ(Names(request), (std::vector<std::string>{"C", "A", "B"}));
}

TEST_F(ProductServiceTest, SignedInViewsEmitProductRetrieved) {
    auto product = MustPost("Lamp", "Desk lamp");
    auto viewer = static_cast<std::uint64_t>(9000 + (::getpid() % 1000));
    orderstream::auth::JwtCodec platform(kJwtSecret, std::chrono::hours(1));
    ASSERT_TRUE(Get(product.id(), nullptr, platform.Issue(viewer, orderstream::auth::Role::kCustomer)).ok());
    ASSERT_TRUE(Get(product.id()).ok());  // anonymous: no event
    // A token the platform did not sign names nobody: refused, and no view is recorded for it.
    orderstream::auth::JwtCodec forger("someone-elses-secret-0123456789abcdefgh", std::chrono::hours(1));
    auto forged = Get(product.id(), nullptr, forger.Issue(viewer + 1, orderstream::auth::Role::kCustomer));
    EXPECT_EQ(forged.error_code(), grpc::StatusCode::UNAUTHENTICATED);
    auto records = testing_::ReadTopic(testing_::TestKafkaBootstrap(), "interaction_events", [&](const auto& all) {
        return std::any_of(all.begin(), all.end(),
                           [&](const auto& r) { return Contains(r.value, product.id()); });
    });
    std::vector<testing_::KafkaRecord> views;
    for (const auto& r : records) {
        if (Contains(r.value, product.id())) views.push_back(r);
    }
    ASSERT_EQ(views.size(), 1U);
    EXPECT_EQ(views[0].key, std::to_string(viewer));
    EXPECT_TRUE(Contains(views[0].value, R"("type":"product_retrieved")"));
    EXPECT_TRUE(Contains(views[0].value, R"("user_id":")" + std::to_string(viewer) + "\""));
}

}  // namespace
