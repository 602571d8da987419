// Black-box tests: the real `orderstream recommender` on a fresh database, fed through the
// test Kafka broker (on topics of its own, so other tests' events cannot move its rankings)
// and called over gRPC as the gateway does.
#include <signal.h>

#include <chrono>
#include <map>
#include <regex>
#include <set>
#include <thread>

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <librdkafka/rdkafkacpp.h>
#include <pqxx/pqxx>

#include "orderstream/events/envelope.hpp"
#include "orderstream/contracts/order_events.hpp"
#include "orderstream/events/topic_admin.hpp"
#include "orderstream/testing/process.hpp"
#include "orderstream/testing/role.hpp"
#include "recommender.grpc.pb.h"

namespace testing_ = orderstream::testing;
namespace events = orderstream::events;
namespace contracts = orderstream::contracts;
using namespace std::chrono_literals;

namespace {

// Publishes envelopes the way the services' outbox relays do.
class Publisher {
public:
    explicit Publisher(const std::string& bootstrap) {
        std::unique_ptr<RdKafka::Conf> conf(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
        std::string error;
        conf->set("bootstrap.servers", bootstrap, error);
        conf->set("enable.idempotence", "true", error);
        producer_.reset(RdKafka::Producer::create(conf.get(), error));
        if (!producer_) throw std::runtime_error("test producer: " + error);
    }
    void Send(const std::string& topic, const std::string& key, const std::string& payload) {
        auto err = producer_->produce(topic, RdKafka::Topic::PARTITION_UA, RdKafka::Producer::RK_MSG_COPY,
                                      const_cast<char*>(payload.data()), payload.size(), key.data(), key.size(), 0,
                                      nullptr);
        if (err != RdKafka::ERR_NO_ERROR) throw std::runtime_error("produce: " + RdKafka::err2str(err));
        producer_->poll(0);
    }
    std::string Event(const std::string& topic, const std::string& key, const std::string& type,
                      const std::string& data) {
        auto payload = events::Serialize(events::Envelope::Make(type, data));
        Send(topic, key, payload);
        return payload;
    }
    void Flush() { ASSERT_EQ(producer_->flush(10'000), RdKafka::ERR_NO_ERROR); }

private:
    std::unique_ptr<RdKafka::Producer> producer_;
};

std::string Unique() {
    return std::to_string(getpid()) + "_" +
           std::to_string(std::chrono::steady_clock::now().time_since_epoch().count() % 1'000'000'000);
}

class RecommenderTest : public ::testing::Test {
protected:
    void SetUp() override {
        tag_ = Unique();
        product_topic_ = "rec_test_products_" + tag_;
        interaction_topic_ = "rec_test_interactions_" + tag_;
        order_topic_ = "rec_test_orders_" + tag_;
        const auto kafka = testing_::TestKafkaBootstrap();
        ASSERT_TRUE(events::CreateTopic(kafka, product_topic_, 2).ok());
        ASSERT_TRUE(events::CreateTopic(kafka, interaction_topic_, 2).ok());
        ASSERT_TRUE(events::CreateTopic(kafka, order_topic_, 2).ok());
        publisher_ = std::make_unique<Publisher>(kafka);
        role_ = std::make_unique<testing_::RoleProcess>(
            "recommender", std::map<std::string, std::string>{
                               {"RECOMMENDER_CONSUMER_GROUP", "recommender_test_" + tag_},
                               {"RECOMMENDER_PRODUCT_TOPIC", product_topic_},
                               {"RECOMMENDER_INTERACTION_TOPIC", interaction_topic_},
                               {"RECOMMENDER_ORDER_TOPIC", order_topic_},
                               {"RECOMMENDER_RETRAIN_MIN_INTERACTIONS", "1"},
                               {"RECOMMENDER_RETRAIN_POLL_MS", "200"},
                               // A small catalog learns slowly at Surprise's defaults.
                               {"RECOMMENDER_FACTORS", "20"},
                               {"RECOMMENDER_EPOCHS", "80"},
                               {"RECOMMENDER_LEARNING_RATE", "0.02"},
                               {"LOG_LEVEL", "info"}});
        ASSERT_TRUE(role_->ready()) << role_->Output();
        Connect();
    }

    void TearDown() override {
        if (HasFailure()) std::fprintf(stderr, "--- recommender log ---\n%s\n", role_->Output().c_str());
        stub_.reset();
        role_.reset();
    }

    void Connect() {
        stub_ = pb::RecommenderService::NewStub(grpc::CreateChannel(role_->address(), grpc::InsecureChannelCredentials()));
    }

    std::string Product(const std::string& name) { return name + "-" + tag_; }

    void CreateProduct(const std::string& name, std::int64_t cents) {
        auto id = Product(name);
        publisher_->Event(product_topic_, id, "product_created",
                          R"({"product_id":")" + id + R"(","name":")" + name + R"(","description":")" + name +
                              R"( described","price":)" + std::to_string(cents / 100.0) + R"(,"price_cents":)" +
                              std::to_string(cents) + R"(,"currency":"USD","accountID":7})");
    }

    // An order of `product` by `user` (a numeric account id text) as the order service announces it.
    std::uint64_t PlaceOrder(const std::string& user, const std::string& product) {
        auto order_id = ++next_order_;
        contracts::OrderCreated created;
        created.order_id = order_id;
        created.account_id = std::stoull(user);
        created.total_cents = 100;
        created.currency = "USD";
        created.lines = {{Product(product), product, 100, 1}};
        created.created_at = "2026-12-04T10:00:00Z";
        publisher_->Event(order_topic_, std::to_string(order_id), std::string(created.Type()), created.ToJson());
        return order_id;
    }

    std::string ChangeOrder(std::uint64_t order_id, const std::string& user, const std::string& from,
                            const std::string& to) {
        contracts::OrderStatusChanged changed{order_id, std::stoull(user), from, to, "test", "2026-12-04T10:00:01Z", ""};
        return publisher_->Event(order_topic_, std::to_string(order_id), std::string(changed.Type()), changed.ToJson());
    }

    // Users are account ids, as order events name them (each test has a database of its own).
    static std::string User(int n) { return std::to_string(1000 + n); }

    void Interact(const std::string& user, const std::string& product, bool purchase) {
        const auto id = Product(product);
        if (purchase) {
            ChangeOrder(PlaceOrder(user, product), user, "pending", "paid");
        } else {
            publisher_->Event(interaction_topic_, user, "product_retrieved",
                              R"({"user_id":")" + user + R"(","product_id":")" + id + R"("})");
        }
    }

    // Clusters a and b of ten products each. Users u0..u39 buy six products of their own
    // cluster and look at three of the other; the test user bought a0..a2 and looked at b0, b1.
    // Returns how many interactions were sent.
    int PublishClusters() {
        for (int k = 0; k < 10; ++k) {
            CreateProduct("a" + std::to_string(k), 1000 + k);
            CreateProduct("b" + std::to_string(k), 2000 + k);
        }
        int sent = 0;
        for (int u = 0; u < 40; ++u) {
            const std::string own = u % 2 == 0 ? "a" : "b";
            const std::string other = own == "a" ? "b" : "a";
            const auto user = User(u);
            for (int k = 0; k < 6; ++k, ++sent) Interact(user, own + std::to_string((u + k) % 10), true);
            for (int k = 0; k < 3; ++k, ++sent) Interact(user, other + std::to_string((u * 3 + k) % 10), false);
        }
        for (const char* p : {"a0", "a1", "a2"}) Interact(TestUser(), p, true), ++sent;
        for (const char* p : {"b0", "b1"}) Interact(TestUser(), p, false), ++sent;
        publisher_->Flush();
        return sent;
    }

    static std::string TestUser() { return "999"; }

    double Metric(const std::string& name) {
        auto reply = testing_::HttpRequest(role_->admin_port(), "GET", "/metrics");
        std::smatch match;
        std::regex line("\n" + name + " ([0-9.eE+-]+)");
        if (!std::regex_search(reply.body, match, line)) return -1;
        return std::stod(match[1]);
    }

    // Waits until the served model was trained on `ratings` interactions.
    bool WaitForModel(int ratings) {
        auto deadline = std::chrono::steady_clock::now() + 60s;
        while (std::chrono::steady_clock::now() < deadline) {
            if (Metric("recommender_model_ratings") == ratings) return true;
            std::this_thread::sleep_for(100ms);
        }
        return false;
    }

    grpc::Status ForUser(const std::string& user, std::uint64_t take, pb::RecommendationResponse& out,
                         std::uint64_t skip = 0) {
        grpc::ClientContext context;
        pb::RecommendationRequestForUserId request;
        request.set_user_id(user);
        request.set_skip(skip);
        request.set_take(take);
        return stub_->GetRecommendations(&context, request, &out);
    }

    grpc::Status ForViewed(const std::vector<std::string>& ids, std::uint64_t take, pb::RecommendationResponse& out) {
        grpc::ClientContext context;
        pb::RecommendationRequestOnViews request;
        for (const auto& id : ids) request.add_ids(id);
        request.set_take(take);
        return stub_->GetRecommendationsBasedOnViewed(&context, request, &out);
    }

    // Product names (without the tag) of a response.
    static std::vector<std::string> Names(const pb::RecommendationResponse& response) {
        std::vector<std::string> names;
        for (const auto& p : response.recommended_products()) names.push_back(p.name());
        return names;
    }

    long Count(const std::string& sql) {
        pqxx::connection conn(role_->database_url());
        pqxx::nontransaction tx(conn);
        return tx.exec1(sql)[0].as<long>();
    }

    std::string tag_, product_topic_, interaction_topic_, order_topic_;
    std::uint64_t next_order_ = 0;
    std::unique_ptr<Publisher> publisher_;
    std::unique_ptr<testing_::RoleProcess> role_;
    std::unique_ptr<pb::RecommenderService::Stub> stub_;
};

TEST_F(RecommenderTest, ABuyerGetsTheUnseenProductsOfTheClusterTheyBoughtFrom) {
    // Before any interaction there is no model; the service is ready and answers anyway.
    pb::RecommendationResponse cold;
    ASSERT_TRUE(ForUser(TestUser(), 5, cold).ok());
    EXPECT_EQ(cold.recommended_products_size(), 0);

    const int sent = PublishClusters();
    ASSERT_TRUE(WaitForModel(sent)) << "model never trained on all " << sent << " interactions";
    EXPECT_GT(Metric("recommender_model_holdout_rmse"), 0);
    EXPECT_EQ(Metric("recommender_model_items"), 20);

    pb::RecommendationResponse mine;
    ASSERT_TRUE(ForUser(TestUser(), 5, mine).ok());
    auto names = Names(mine);
    ASSERT_EQ(names.size(), 5U);
    for (const auto& name : names) {
        EXPECT_EQ(name[0], 'a') << "recommended " << name << " to a buyer of cluster a";
        EXPECT_TRUE(name != "a0" && name != "a1" && name != "a2") << name << " was already bought";
    }
    const auto& first = mine.recommended_products(0);
    EXPECT_EQ(first.id(), Product(first.name()));
    EXPECT_EQ(first.description(), first.name() + " described");
    EXPECT_EQ(first.pricecents(), 1000 + (first.name()[1] - '0'));
    EXPECT_DOUBLE_EQ(first.price(), first.pricecents() / 100.0);
    EXPECT_EQ(first.currency(), "USD");
    EXPECT_EQ(first.accountid(), 7);

    // Pages continue the same ranking; the default page is five.
    pb::RecommendationResponse next, defaulted;
    ASSERT_TRUE(ForUser(TestUser(), 3, next, 2).ok());
    ASSERT_EQ(next.recommended_products_size(), 3);
    EXPECT_EQ(next.recommended_products(0).id(), mine.recommended_products(2).id());
    ASSERT_TRUE(ForUser(TestUser(), 0, defaulted).ok());
    EXPECT_EQ(defaulted.recommended_products_size(), 5);
    // Everything the user has not touched, ranked, when asked for more than there is.
    pb::RecommendationResponse all;
    ASSERT_TRUE(ForUser(TestUser(), 1000, all).ok());
    EXPECT_EQ(all.recommended_products_size(), 15);

    // A user the model does not know gets the most popular products: every a and b product
    // was bought by 12 users, so popularity comes down to the views, then the id.
    pb::RecommendationResponse stranger;
    ASSERT_TRUE(ForUser("nobody-" + tag_, 20, stranger).ok());
    ASSERT_EQ(stranger.recommended_products_size(), 20);
    std::map<std::string, int> score;
    for (int u = 0; u < 40; ++u) {
        const std::string own = u % 2 == 0 ? "a" : "b";
        const std::string other = own == "a" ? "b" : "a";
        for (int k = 0; k < 6; ++k) score[own + std::to_string((u + k) % 10)] += 3;
        for (int k = 0; k < 3; ++k) score[other + std::to_string((u * 3 + k) % 10)] += 1;
    }
    for (const char* p : {"a0", "a1", "a2"}) score[p] += 3;
    for (const char* p : {"b0", "b1"}) score[p] += 1;
    for (int k = 1; k < stranger.recommended_products_size(); ++k) {
        const auto& before = stranger.recommended_products(k - 1);
        const auto& after = stranger.recommended_products(k);
        EXPECT_TRUE(score[before.name()] > score[after.name()] ||
                    (score[before.name()] == score[after.name()] && before.id() < after.id()))
            << before.name() << " (" << score[before.name()] << ") before " << after.name() << " ("
            << score[after.name()] << ")";
    }

    // A product newer than the model is not in its ranking: it follows it, as popular ones do.
    CreateProduct("c0", 3000);
    publisher_->Flush();
    auto deadline = std::chrono::steady_clock::now() + 30s;
    pb::RecommendationResponse more;
    do {
        more.Clear();
        ASSERT_TRUE(ForUser(TestUser(), 1000, more).ok());
    } while (more.recommended_products_size() < 16 && std::chrono::steady_clock::now() < deadline &&
             (std::this_thread::sleep_for(100ms), true));
    ASSERT_EQ(more.recommended_products_size(), 16);
    EXPECT_EQ(more.recommended_products(15).name(), "c0");
    for (int k = 0; k < 15; ++k) EXPECT_EQ(more.recommended_products(k).id(), all.recommended_products(k).id());
}

TEST_F(RecommenderTest, ViewedBasedResultsExcludeTheViewedAndDeletedProductsDisappear) {
    const int sent = PublishClusters();
    ASSERT_TRUE(WaitForModel(sent));

    const std::vector<std::string> viewed = {Product("b3"), Product("b4")};
    pb::RecommendationResponse similar;
    ASSERT_TRUE(ForViewed(viewed, 8, similar).ok());
    auto names = Names(similar);
    ASSERT_EQ(names.size(), 8U);
    std::set<std::string> distinct(names.begin(), names.end());
    EXPECT_EQ(distinct.size(), 8U);
    EXPECT_FALSE(distinct.count("b3") || distinct.count("b4")) << "a viewed product was recommended";
    int from_b = 0;
    for (const auto& name : names) from_b += name[0] == 'b';
    EXPECT_GE(from_b, 7) << "the other products of the viewed cluster should lead";
    for (int k = 0; k < 5; ++k) EXPECT_EQ(names[k][0], 'b') << names[k];
    ASSERT_TRUE(distinct.count("b5"));

    // Unknown ids next to known ones do not matter; only unknown ones: the most popular
    // products. Never a viewed one.
    pb::RecommendationResponse mixed;
    ASSERT_TRUE(ForViewed({Product("a3"), "never-seen-" + tag_}, 20, mixed).ok());
    EXPECT_EQ(mixed.recommended_products_size(), 19);
    for (const auto& name : Names(mixed)) EXPECT_NE(name, "a3");
    EXPECT_EQ(mixed.recommended_products(0).name()[0], 'a');
    pb::RecommendationResponse unknown, stranger;
    ASSERT_TRUE(ForViewed({"never-seen-" + tag_}, 20, unknown).ok());
    ASSERT_TRUE(ForUser("nobody-" + tag_, 20, stranger).ok());
    EXPECT_EQ(unknown.recommended_products_size(), 20);
    EXPECT_EQ(Names(unknown), Names(stranger));

    // Deleting a product takes it out of every answer.
    publisher_->Event(product_topic_, Product("b5"), "product_deleted", R"({"product_id":")" + Product("b5") + R"("})");
    publisher_->Flush();
    auto deadline = std::chrono::steady_clock::now() + 30s;
    bool gone = false;
    while (!gone && std::chrono::steady_clock::now() < deadline) {
        pb::RecommendationResponse now;
        ASSERT_TRUE(ForViewed(viewed, 8, now).ok());
        auto current = Names(now);
        gone = std::find(current.begin(), current.end(), "b5") == current.end();
        if (!gone) std::this_thread::sleep_for(100ms);
    }
    ASSERT_TRUE(gone) << "b5 is still recommended after product_deleted";
    pb::RecommendationResponse after;
    ASSERT_TRUE(ForViewed(viewed, 8, after).ok());
    EXPECT_EQ(after.recommended_products_size(), 8);
    pb::RecommendationResponse everything;
    ASSERT_TRUE(ForUser(User(1), 100, everything).ok());
    for (const auto& name : Names(everything)) EXPECT_NE(name, "b5");
    ASSERT_TRUE(ForUser("nobody-" + tag_, 100, everything).ok());
    EXPECT_EQ(everything.recommended_products_size(), 19);
    for (const auto& name : Names(everything)) EXPECT_NE(name, "b5");
}

TEST_F(RecommenderTest, OnlyPaidOrdersArePurchasesAndARefundTakesThemBack) {
    CreateProduct("solo", 500);
    CreateProduct("other", 700);
    const auto user = User(7);
    // Placed but never paid, and placed then cancelled: no purchase.
    PlaceOrder(user, "other");
    ChangeOrder(PlaceOrder(user, "other"), user, "pending", "cancelled");
    // The seed's purchase message is accepted and changes nothing.
    publisher_->Event(interaction_topic_, user, "purchase",
                      R"({"user_id":")" + user + R"(","product_id":")" + Product("other") + R"(","quantity":1})");
    // Paid: a purchase, applied once however often it arrives.
    auto order = PlaceOrder(user, "solo");
    auto paid = ChangeOrder(order, user, "pending", "paid");
    publisher_->Send(order_topic_, std::to_string(order), paid);  // redelivered: same envelope id
    Interact(user, "solo", false);                                 // a view after the purchase
    publisher_->Flush();
    auto settled = [&](long count) {
        auto deadline = std::chrono::steady_clock::now() + 30s;
        while (Count("SELECT count(*) FROM processed_events") < count && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(100ms);
        }
        return Count("SELECT count(*) FROM processed_events") >= count;
    };
    // 2 products, 3 orders created, cancelled, paid, the seed's purchase, the view.
    ASSERT_TRUE(settled(9)) << Count("SELECT count(*) FROM processed_events");
    EXPECT_EQ(Count("SELECT count(*) FROM interactions WHERE rating IS NOT NULL"), 1);
    EXPECT_EQ(Count("SELECT rating FROM interactions"), 3);
    EXPECT_EQ(Count("SELECT score FROM product_popularity"), 3);
    EXPECT_EQ(Count("SELECT users FROM product_popularity"), 1);

    // Refunded: the purchase no longer counts; the view still does.
    ChangeOrder(order, user, "paid", "refunded");
    publisher_->Flush();
    ASSERT_TRUE(settled(10));
    EXPECT_EQ(Count("SELECT rating FROM interactions WHERE rating IS NOT NULL"), 1);
    EXPECT_EQ(Count("SELECT score FROM product_popularity"), 1);

    // Malformed events go to dead_letters and the consumer moves on.
    publisher_->Event(order_topic_, "9", "order.status_changed", R"({"order_id":9,"to":"shipped"})");
    publisher_->Send(interaction_topic_, user, "not json at all");
    publisher_->Flush();
    auto deadline = std::chrono::steady_clock::now() + 30s;
    while (Count("SELECT count(*) FROM dead_letters") < 2 && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(100ms);
    }
    EXPECT_EQ(Count("SELECT count(*) FROM dead_letters"), 2);
}

TEST_F(RecommenderTest, RestartServesTheStoredModel) {
    const int sent = PublishClusters();
    ASSERT_TRUE(WaitForModel(sent));
    // The model is stored right after the swap.
    auto deadline = std::chrono::steady_clock::now() + 10s;
    while (Count("SELECT count(*) FROM models") == 0 && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(50ms);
    }
    ASSERT_EQ(Count("SELECT count(*) FROM models"), 1);
    pb::RecommendationResponse before;
    ASSERT_TRUE(ForUser(TestUser(), 10, before).ok());
    pb::RecommendationResponse similar_before;
    ASSERT_TRUE(ForViewed({Product("a5")}, 10, similar_before).ok());

    role_->Stop(SIGTERM);
    ASSERT_TRUE(role_->Start()) << role_->Output();
    Connect();
    EXPECT_NE(role_->Output().find("serving the stored model"), std::string::npos);
    EXPECT_EQ(Metric("recommender_model_ratings"), sent);
    EXPECT_EQ(Metric("recommender_training_runs_total"), 0) << "the restarted service retrained";

    pb::RecommendationResponse after;
    ASSERT_TRUE(ForUser(TestUser(), 10, after).ok());
    EXPECT_EQ(Names(after), Names(before));
    pb::RecommendationResponse similar_after;
    ASSERT_TRUE(ForViewed({Product("a5")}, 10, similar_after).ok());
    EXPECT_EQ(Names(similar_after), Names(similar_before));
}

TEST_F(RecommenderTest, BadRequestsAreInvalidArgumentsNamingTheField) {
    pb::RecommendationResponse out;
    auto empty = ForUser("", 5, out);
    EXPECT_EQ(empty.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_NE(empty.error_message().find("user_id"), std::string::npos);
    auto huge_skip = ForUser("u", 5, out, 1'000'000);
    EXPECT_EQ(huge_skip.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_NE(huge_skip.error_message().find("skip"), std::string::npos);
    auto long_user = ForUser(std::string(300, 'x'), 5, out);
    EXPECT_EQ(long_user.error_code(), grpc::StatusCode::INVALID_ARGUMENT);

    auto blank_id = ForViewed({"p1", ""}, 5, out);
    EXPECT_EQ(blank_id.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_NE(blank_id.error_message().find("ids[1]"), std::string::npos);
    std::vector<std::string> many(101, "p");
    auto too_many = ForViewed(many, 5, out);
    EXPECT_EQ(too_many.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_NE(too_many.error_message().find("ids"), std::string::npos);
    // The service is still up.
    EXPECT_TRUE(ForViewed({}, 5, out).ok());
}

}  // namespace
