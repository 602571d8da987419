// Black-box tests of GraphQL subscriptions: the real gateway (two instances, and more for restarts and
// limits) in front of the real account, product, order and payment roles, with the npm graphql-ws client
// (tests/graphql-ws) speaking to it over WebSocket exactly as a browser application would.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include "order.grpc.pb.h"
#include "orderstream/events/topic_admin.hpp"
#include "orderstream/graphql/value.hpp"
#include "orderstream/core/uuid.hpp"
#include "orderstream/testing/database.hpp"
#include "orderstream/testing/process.hpp"

namespace testing_ = orderstream::testing;
namespace graphql = orderstream::graphql;
namespace events = orderstream::events;

namespace {

const std::string kSecret = "subscriptions-integration-test-secret-0123";
const std::string kScripts = ORDERSTREAM_GRAPHQL_WS_DIR;

// The roles of this suite read and write topics of their own: order ids restart at 1 in every test
// database, so another suite's order_events must not reach these gateways.
const std::string& TopicPrefix() {
    static const std::string prefix = "subscriptions-test-" + orderstream::uuid::NewV7() + ".";
    return prefix;
}

// A role of the real binary on its own database and free ports.
struct Role {
    Role(const std::string& name, std::map<std::string, std::string> env) {
        port = testing_::FreePort();
        admin_port = testing_::FreePort();
        std::string upper;
        for (char c : name) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        env[upper + "_LISTEN"] = "127.0.0.1:" + std::to_string(port);
        env[upper + "_ADMIN_LISTEN"] = "127.0.0.1:" + std::to_string(admin_port);
        db = std::make_unique<testing_::TemporaryDatabase>(name);
        env["DATABASE_URL"] = db->url();
        env["KAFKA_BOOTSTRAP_SERVERS"] = testing_::TestKafkaBootstrap();
        env["KAFKA_TOPIC_PREFIX"] = TopicPrefix();
        env["JWT_SECRET"] = kSecret;
        env["ADMIN_EMAILS"] = "watcher@shop.io";
        process = std::make_unique<testing_::ChildProcess>(std::vector<std::string>{testing_::OrderstreamBinary(), name},
                                                           env);
        ready = testing_::WaitUntilReady(*process, admin_port);
    }
    std::string address() const { return "127.0.0.1:" + std::to_string(port); }

    std::unique_ptr<testing_::TemporaryDatabase> db;
    int port = 0;
    int admin_port = 0;
    std::unique_ptr<testing_::ChildProcess> process;
    bool ready = false;
};

// A gateway instance that can be stopped and started again on the same port.
struct Gateway {
    explicit Gateway(std::map<std::string, std::string> environment) : env(std::move(environment)) {
        port = testing_::FreePort();
        admin_port = testing_::FreePort();
        env["GATEWAY_LISTEN"] = "127.0.0.1:" + std::to_string(port);
        env["GATEWAY_ADMIN_LISTEN"] = "127.0.0.1:" + std::to_string(admin_port);
        env["KAFKA_BOOTSTRAP_SERVERS"] = testing_::TestKafkaBootstrap();
        env["KAFKA_TOPIC_PREFIX"] = TopicPrefix();
        env["JWT_SECRET"] = kSecret;
        env["ADMIN_EMAILS"] = "watcher@shop.io";
        Start();
    }
    bool Start() {
        if (process) log += process->Output();
        process = std::make_unique<testing_::ChildProcess>(
            std::vector<std::string>{testing_::OrderstreamBinary(), "gateway"}, env);
        // /health, not /health/ready: no recommender runs here, and subscriptions do not need one.
        ready = false;
        for (int i = 0; i < 600 && !ready && process->Running(); ++i) {
            ready = testing_::WaitForPort(port, std::chrono::milliseconds(50)) &&
                    testing_::HttpRequest(port, "GET", "/health").status == 200;
        }
        return ready;
    }
    void Stop(int signal) { process->Stop(signal); }
    std::string url() const { return "ws://127.0.0.1:" + std::to_string(port) + "/graphql"; }
    std::string Output() const { return log + process->Output(); }
    // A counter or gauge from /metrics (0 when absent).
    double Metric(const std::string& series) const {
        auto text = testing_::HttpRequest(admin_port, "GET", "/metrics").body;
        auto at = text.find("\n" + series + " ");
        if (at == std::string::npos) return 0;
        return std::stod(text.substr(at + series.size() + 2));
    }
    // Waits until this instance has exactly `count` order-status subscriptions registered.
    bool WaitForSubscriptions(double count) const {
        for (int i = 0; i < 600; ++i) {
            if (Metric("gateway_subscriptions_active") == count) return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        return false;
    }

    std::map<std::string, std::string> env;
    int port = 0;
    int admin_port = 0;  // /metrics
    std::unique_ptr<testing_::ChildProcess> process;
    bool ready = false;
    std::string log;
};

std::string JsonString(const std::string& text) { return graphql::to_json(graphql::Value(text)); }

graphql::Value Json(const std::string& text) {
    graphql::Value value;
    std::string error;
    EXPECT_TRUE(graphql::parse_json(text, value, error)) << error << ": " << text.substr(0, 500);
    return value;
}

std::string ReadFile(const std::string& path) {
    std::ifstream in(path);
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

std::string TemporaryPath(const std::string& name) {
    char path[] = "/tmp/orderstream-ws-XXXXXX";  // a unique name; the file itself is not needed
    int fd = ::mkstemp(path);
    ::close(fd);
    ::unlink(path);
    return std::string(path) + "-" + name;
}

struct User {
    std::string token;
    std::uint64_t account_id = 0;
};

// One graphql-ws client of subscribers.mjs.
struct Subscriber {
    std::string name;
    std::string url;
    std::string token;
    std::string query;
    std::string variables = "{}";
    int expect_events = 0;  // the run ends when every subscriber has this many (0: it should get none)
    bool retry = false;
};

// subscribers.mjs running in the background; Results() waits for it.
class Subscribers {
public:
    Subscribers(const std::vector<Subscriber>& subscribers, int settle_ms = 1000) {
        std::string spec = R"({"timeout_ms":90000,"settle_ms":)" + std::to_string(settle_ms) + R"(,"subscribers":[)";
        for (std::size_t i = 0; i < subscribers.size(); ++i) {
            const auto& s = subscribers[i];
            if (i) spec += ',';
            spec += R"({"name":)" + JsonString(s.name) + R"(,"url":)" + JsonString(s.url) + R"(,"token":)" +
                    JsonString(s.token) + R"(,"query":)" + JsonString(s.query) + R"(,"variables":)" + s.variables +
                    R"(,"expect_events":)" + std::to_string(s.expect_events) + R"(,"retry":)" +
                    (s.retry ? "true" : "false") + "}";
        }
        spec += "]}";
        spec_path_ = TemporaryPath("spec.json");
        result_path_ = TemporaryPath("result.json");
        std::ofstream(spec_path_) << spec;
        process_ = std::make_unique<testing_::ChildProcess>(
            std::vector<std::string>{"/usr/bin/env", "node", kScripts + "/subscribers.mjs", spec_path_, result_path_},
            std::map<std::string, std::string>{});
    }
    ~Subscribers() {
        ::unlink(spec_path_.c_str());
        ::unlink(result_path_.c_str());
    }
    // Name → {"events": [...], "errors": ..., ...}
    std::map<std::string, graphql::Value> Results() {
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
        while (process_->Running() && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        int status = process_->Stop(SIGKILL);
        EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << process_->Output();
        std::map<std::string, graphql::Value> by_name;
        auto results = Json(ReadFile(result_path_));
        if (!results.is_list()) return by_name;
        for (const auto& result : results.as_list()) by_name[result.find("name")->as_string()] = result;
        return by_name;
    }

private:
    std::string spec_path_;
    std::string result_path_;
    std::unique_ptr<testing_::ChildProcess> process_;
};

// (order id, status) of each `next` a subscriber received for orderStatusChanged.
std::vector<std::pair<std::int64_t, std::string>> Changes(const graphql::Value& result) {
    std::vector<std::pair<std::int64_t, std::string>> changes;
    const auto* events = result.is_object() ? result.find("events") : nullptr;
    if (events == nullptr || !events->is_list()) {
        changes.emplace_back(-1, "no events in " + graphql::to_json(result));
        return changes;
    }
    for (const auto& event : events->as_list()) {
        const auto* data = event.find("data");
        const auto* order = data && data->is_object() ? data->find("orderStatusChanged") : nullptr;
        if (order == nullptr || !order->is_object()) {
            changes.emplace_back(-1, graphql::to_json(event));
            continue;
        }
        changes.emplace_back(order->find("id")->as_int(), order->find("status")->as_string());
    }
    return changes;
}

std::string ErrorCode(const graphql::Value& result) {
    const auto* errors = result.is_object() ? result.find("errors") : nullptr;
    if (errors == nullptr || !errors->is_list() || errors->as_list().empty()) return "";
    const auto* extensions = errors->as_list()[0].find("extensions");
    const auto* code = extensions ? extensions->find("code") : nullptr;
    return code && code->is_string() ? code->as_string() : graphql::to_json(*errors);
}

const char* kWatchOne =
    "subscription W($id: Int) { orderStatusChanged(orderId: $id) { id status totalPrice products { id quantity } "
    "payments { status } } }";
const char* kWatchAll = "subscription { orderStatusChanged { id status } }";

class SubscriptionsTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        // The topic as the platform will have it, several partitions, before any gateway starts.
        auto created = events::CreateTopic(testing_::TestKafkaBootstrap(), TopicPrefix() + "order_events", 3);
        ASSERT_TRUE(created.ok()) << created.error().message;
        account_ = new Role("account", {});
        product_ = new Role("product", {});
        order_ = new Role("order", {{"ACCOUNT_URL", account_->address()}, {"PRODUCT_URL", product_->address()}});
        payment_http_port_ = testing_::FreePort();
        payment_ = new Role("payment", {{"ORDER_SERVICE_URL", order_->address()},
                                        {"ACCOUNT_URL", account_->address()},
                                        {"PAYMENT_HTTP_LISTEN", "127.0.0.1:" + std::to_string(payment_http_port_)}});
        first_ = new Gateway(DownstreamEnv());
        second_ = new Gateway(DownstreamEnv());
        orders_ = pb::OrderService::NewStub(grpc::CreateChannel(order_->address(), grpc::InsecureChannelCredentials()))
                      .release();
    }
    static std::map<std::string, std::string> DownstreamEnv() {
        return {{"ACCOUNT_URL", account_->address()},
                {"PRODUCT_URL", product_->address()},
                {"ORDER_URL", order_->address()},
                {"PAYMENT_URL", payment_->address()},
                {"GATEWAY_WS_INIT_TIMEOUT_MS", "500"}};
    }
    static void TearDownTestSuite() {
        delete orders_;
        delete second_;
        delete first_;
        delete payment_;
        delete order_;
        delete product_;
        delete account_;
    }
    void SetUp() override {
        ASSERT_TRUE(account_->ready && product_->ready && order_->ready && payment_->ready && first_->ready &&
                    second_->ready)
            << first_->Output();
        // The previous test's clients are gone.
        ASSERT_TRUE(first_->WaitForSubscriptions(0) && second_->WaitForSubscriptions(0));
    }
    void TearDown() override {
        if (HasFailure()) std::fprintf(stderr, "--- gateway log ---\n%s\n", first_->Output().c_str());
    }

    static testing_::HttpReply Post(const std::string& query, const std::string& token = "") {
        std::vector<std::string> headers = {"Content-Type: application/json"};
        if (!token.empty()) headers.push_back("Authorization: Bearer " + token);
        return testing_::HttpRequest(first_->port, "POST", "/graphql", "{\"query\":" + JsonString(query) + "}", headers);
    }
    // The response's data; an UNAVAILABLE answer (a service slow under the machine's load) is retried.
    static graphql::Value Data(const std::string& query, const std::string& token = "") {
        for (int attempt = 0;; ++attempt) {
            auto reply = Post(query, token);
            auto body = Json(reply.body);
            if (body.find("errors") != nullptr && reply.body.find("\"UNAVAILABLE\"") != std::string::npos && attempt < 5) {
                std::this_thread::sleep_for(std::chrono::milliseconds(500));
                continue;
            }
            EXPECT_EQ(body.find("errors"), nullptr) << reply.body;
            const auto* data = body.find("data");
            return data ? *data : graphql::Value();
        }
    }
    // The member at `path` (a failure, and a null value, when it is not there).
    static graphql::Value At(const graphql::Value& value, std::initializer_list<const char*> path) {
        const graphql::Value* at = &value;
        for (const char* key : path) {
            at = at->is_object() ? at->find(key) : nullptr;
            if (at == nullptr) {
                ADD_FAILURE() << "no " << key << " in " << graphql::to_json(value);
                return graphql::Value();
            }
        }
        return *at;
    }
    static User Register(const std::string& email) {
        User user;
        // On a loaded machine a registration can time out at the gateway and still happen: then log in.
        auto account = "(account: {name: \"Watcher\", email: " + JsonString(email) + ", password: \"securepassword123\"})";
        for (int attempt = 0; attempt < 6 && user.token.empty(); ++attempt) {
            for (const char* mutation : {"register", "login"}) {
                auto reply = Json(Post(std::string("mutation { ") + mutation +
                                       (std::string(mutation) == "login"
                                            ? "(account: {email: " + JsonString(email) + ", password: \"securepassword123\"})"
                                            : account) +
                                       " { token } }")
                                      .body);
                const auto* data = reply.find("data");
                const auto* answer = data && data->is_object() ? data->find(mutation) : nullptr;
                const auto* token = answer && answer->is_object() ? answer->find("token") : nullptr;
                if (token && token->is_string()) {
                    user.token = token->as_string();
                    break;
                }
            }
            if (user.token.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(500));
        }
        EXPECT_FALSE(user.token.empty()) << "could not register " << email;
        if (user.token.empty()) return user;
        auto id = At(Data("{ me { id } }", user.token), {"me", "id"});
        if (id.is_int()) user.account_id = static_cast<std::uint64_t>(id.as_int());
        return user;
    }
    static std::string CreateProduct(const User& owner) {
        auto id = At(Data(R"(mutation { createProduct(product: {name: "Lamp", description: "Desk lamp", price: 12.50}) { id } })",
                          owner.token),
                     {"createProduct", "id"});
        return id.is_string() ? id.as_string() : std::string();
    }
    static std::uint64_t CreateOrder(const User& user, const std::string& product_id, int quantity = 1) {
        auto id = At(Data("mutation { createOrder(order: {products: [{id: " + JsonString(product_id) +
                              ", quantity: " + std::to_string(quantity) + "}]}) { id } }",
                          user.token),
                     {"createOrder", "id"});
        return id.is_int() ? static_cast<std::uint64_t>(id.as_int()) : 0;
    }
    // Changes an order's status as an operator would: the order service commits it and publishes
    // order.status_changed on order_events through its outbox.
    static void ChangeStatus(std::uint64_t order_id, const std::string& to) {
        grpc::ClientContext context;
        pb::UpdateOrderStatusRequest request;
        request.set_orderid(order_id);
        request.set_status(to);
        google::protobuf::Empty empty;
        auto status = orders_->UpdateOrderStatus(&context, request, &empty);
        ASSERT_TRUE(status.ok()) << status.error_message();
    }

    static inline Role* account_ = nullptr;
    static inline Role* product_ = nullptr;
    static inline Role* order_ = nullptr;
    static inline Role* payment_ = nullptr;
    static inline int payment_http_port_ = 0;
    static inline Gateway* first_ = nullptr;
    static inline Gateway* second_ = nullptr;
    static inline pb::OrderService::Stub* orders_ = nullptr;
};

// The seed's checkout, paid on the sandbox's page: the subscriber hears `paid`, with the order as the
// order service has it.
TEST_F(SubscriptionsTest, PayingThroughTheSandboxIsPushedAsPaid) {
    auto buyer = Register("payer@shop.io");
    auto product = CreateProduct(buyer);
    auto order_id = CreateOrder(buyer, product, 2);
    Subscribers clients({{"buyer", first_->url(), buyer.token, kWatchOne,
                          R"({"id":)" + std::to_string(order_id) + "}", 1}});
    ASSERT_TRUE(first_->WaitForSubscriptions(1));

    auto checkout = Data(R"(mutation { createCheckoutSession(details: {accounId: )" + std::to_string(buyer.account_id) +
                             R"(, name: "Watcher", email: "payer@shop.io", redirectUrl: "http://localhost:3000/success", products: [{id: )" +
                             JsonString(product) + R"(, quantity: 2}], orderId: )" + std::to_string(order_id) +
                             "}) { url } }",
                         buyer.token);
    const auto* session = checkout.find("createCheckoutSession");
    ASSERT_TRUE(session != nullptr && session->is_object());
    auto url = session->find("url")->as_string();
    auto prefix = "http://127.0.0.1:" + std::to_string(payment_http_port_);
    ASSERT_TRUE(url.starts_with(prefix + "/sandbox/checkout/")) << url;
    auto paid = testing_::HttpRequest(payment_http_port_, "POST", url.substr(prefix.size()) + "/pay");
    EXPECT_EQ(paid.status, 303) << paid.body;

    auto results = clients.Results();
    auto& buyer_result = results["buyer"];
    ASSERT_EQ(Changes(buyer_result), (std::vector<std::pair<std::int64_t, std::string>>{
                                         {static_cast<std::int64_t>(order_id), "paid"}}));
    const auto* order = buyer_result.find("events")->as_list()[0].find("data")->find("orderStatusChanged");
    EXPECT_EQ(order->find("totalPrice")->as_number(), 25.0);
    EXPECT_EQ(graphql::to_json(*order->find("products")),
              "[{\"id\":" + JsonString(product) + ",\"quantity\":2}]");
    // Fields that call other services resolve for every event too (Order.payments: a batched load).
    EXPECT_EQ(graphql::to_json(*order->find("payments")), R"([{"status":"succeeded"}])");
}

// Another user's order is FORBIDDEN (as is one that does not exist); an admin may watch it.
TEST_F(SubscriptionsTest, OnlyTheOwnerOrAnAdminMayWatchAnOrder) {
    auto owner = Register("owner@shop.io");
    auto stranger = Register("stranger@shop.io");
    auto admin = Register("watcher@shop.io");  // in ADMIN_EMAILS
    auto order_id = CreateOrder(owner, CreateProduct(owner));
    auto variables = R"({"id":)" + std::to_string(order_id) + "}";
    Subscribers clients({{"stranger", first_->url(), stranger.token, kWatchOne, variables, 1},
                         {"nonexistent", first_->url(), stranger.token, kWatchOne, R"({"id":999999})", 1},
                         {"anonymous", first_->url(), "", kWatchOne, variables, 1},
                         {"admin", second_->url(), admin.token, kWatchOne, variables, 1},
                         {"admin's own", second_->url(), admin.token, kWatchAll, "{}", 0}});
    ASSERT_TRUE(second_->WaitForSubscriptions(2));
    ASSERT_TRUE(first_->WaitForSubscriptions(0));  // the refused ones are not registered
    ChangeStatus(order_id, "cancelled");

    auto results = clients.Results();
    EXPECT_EQ(ErrorCode(results["stranger"]), "FORBIDDEN");
    EXPECT_EQ(ErrorCode(results["nonexistent"]), "FORBIDDEN");
    EXPECT_EQ(ErrorCode(results["anonymous"]), "UNAUTHENTICATED");
    EXPECT_TRUE(results["stranger"].find("events")->as_list().empty());
    EXPECT_EQ(Changes(results["admin"]),
              (std::vector<std::pair<std::int64_t, std::string>>{{static_cast<std::int64_t>(order_id), "cancelled"}}));
    // "All of mine" is the admin's own orders, not everybody's.
    EXPECT_TRUE(Changes(results["admin's own"]).empty());
}

// 25 users with two orders each; every user has four subscribers spread over both instances (all my
// orders, and each order on its own); each order changes twice. Each of the 100 subscribers gets every
// change of its own orders once, in order, and nothing else.
TEST_F(SubscriptionsTest, HundredSubscribersOnTwoInstancesGetTheirChangesExactlyOnce) {
    constexpr int kUsers = 25;
    struct Shopper {
        User user;
        std::uint64_t orders[2];
    };
    std::vector<Shopper> shoppers(kUsers);
    std::vector<std::thread> registering;  // a few at a time: each is an argon2id hash
    for (int t = 0; t < 3; ++t) {
        registering.emplace_back([&, t] {
            for (int i = t; i < kUsers; i += 3) shoppers[i].user = Register("crowd" + std::to_string(i) + "@shop.io");
        });
    }
    for (auto& thread : registering) thread.join();
    for (const auto& shopper : shoppers) ASSERT_NE(shopper.user.account_id, 0u);
    auto product = CreateProduct(shoppers[0].user);
    std::vector<Subscriber> subscribers;
    for (int i = 0; i < kUsers; ++i) {
        auto& shopper = shoppers[i];
        shopper.orders[0] = CreateOrder(shopper.user, product, 1);
        shopper.orders[1] = CreateOrder(shopper.user, product, 3);
        auto name = "u" + std::to_string(i);
        subscribers.push_back({name + "-all-1", first_->url(), shopper.user.token, kWatchAll, "{}", 4});
        subscribers.push_back({name + "-all-2", second_->url(), shopper.user.token, kWatchAll, "{}", 4});
        subscribers.push_back({name + "-first", first_->url(), shopper.user.token, kWatchOne,
                               R"({"id":)" + std::to_string(shopper.orders[0]) + "}", 2});
        subscribers.push_back({name + "-second", second_->url(), shopper.user.token, kWatchOne,
                               R"({"id":)" + std::to_string(shopper.orders[1]) + "}", 2});
    }
    ASSERT_EQ(subscribers.size(), 100u);
    Subscribers clients(subscribers, 2000);
    ASSERT_TRUE(first_->WaitForSubscriptions(50)) << first_->Metric("gateway_subscriptions_active");
    ASSERT_TRUE(second_->WaitForSubscriptions(50)) << second_->Metric("gateway_subscriptions_active");
    for (const auto& shopper : shoppers) {
        for (auto order_id : shopper.orders) ChangeStatus(order_id, "failed");
    }
    for (const auto& shopper : shoppers) {
        for (auto order_id : shopper.orders) ChangeStatus(order_id, "paid");
    }

    auto results = clients.Results();
    ASSERT_EQ(results.size(), 100u);
    using Seen = std::vector<std::pair<std::int64_t, std::string>>;
    auto of_order = [](const Seen& seen, std::int64_t order_id) {
        std::vector<std::string> statuses;
        for (const auto& [id, status] : seen) {
            if (id == order_id) statuses.push_back(status);
        }
        return statuses;
    };
    const std::vector<std::string> kBoth = {"failed", "paid"};
    for (int i = 0; i < kUsers; ++i) {
        auto name = "u" + std::to_string(i);
        auto first = static_cast<std::int64_t>(shoppers[i].orders[0]);
        auto second = static_cast<std::int64_t>(shoppers[i].orders[1]);
        for (const char* all : {"-all-1", "-all-2"}) {
            auto seen = Changes(results[name + all]);
            EXPECT_EQ(seen.size(), 4u) << name << all << " " << graphql::to_json(results[name + all]);
            EXPECT_EQ(of_order(seen, first), kBoth) << name << all;  // in order, once each
            EXPECT_EQ(of_order(seen, second), kBoth) << name << all;
        }
        EXPECT_EQ(Changes(results[name + "-first"]), (Seen{{first, "failed"}, {first, "paid"}})) << name;
        EXPECT_EQ(Changes(results[name + "-second"]), (Seen{{second, "failed"}, {second, "paid"}})) << name;
    }
    // Each instance read every change once, whichever instance served its subscribers.
    EXPECT_GE(first_->Metric(R"(gateway_order_events_total{outcome="delivered"})"), 100);
    EXPECT_GE(second_->Metric(R"(gateway_order_events_total{outcome="delivered"})"), 100);
}

// A gateway that goes away (stopped, or killed) and comes back: the graphql-ws client reconnects, sends
// its subscription again and hears the changes made after the restart.
TEST_F(SubscriptionsTest, AfterAGatewayRestartTheClientResubscribes) {
    Gateway restarting(DownstreamEnv());
    ASSERT_TRUE(restarting.ready) << restarting.Output();
    auto buyer = Register("restart@shop.io");
    auto order_id = CreateOrder(buyer, CreateProduct(buyer));
    Subscribers clients({{"client", restarting.url(), buyer.token, kWatchAll, "{}", 2, true}});
    ASSERT_TRUE(restarting.WaitForSubscriptions(1)) << restarting.Output();

    restarting.Stop(SIGTERM);  // open sockets are told 1001 (going away)
    ASSERT_TRUE(restarting.Start()) << restarting.Output();
    ASSERT_TRUE(restarting.WaitForSubscriptions(1)) << restarting.Output();
    ChangeStatus(order_id, "failed");
    // Delivered before the next restart: what is committed while no instance serves a client is not
    // replayed to it later (it queries the current state after reconnecting).
    for (int i = 0; i < 600 && restarting.Metric("gateway_subscription_events_total") < 1; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }

    restarting.Stop(SIGKILL);  // no goodbye at all
    ASSERT_TRUE(restarting.Start()) << restarting.Output();
    ASSERT_TRUE(restarting.WaitForSubscriptions(1)) << restarting.Output();
    ChangeStatus(order_id, "paid");

    auto results = clients.Results();
    auto& client = results["client"];
    EXPECT_EQ(Changes(client), (std::vector<std::pair<std::int64_t, std::string>>{
                                   {static_cast<std::int64_t>(order_id), "failed"},
                                   {static_cast<std::int64_t>(order_id), "paid"}}))
        << graphql::to_json(client);
    EXPECT_EQ(client.find("connected")->as_int(), 3);
    auto closes = graphql::to_json(*client.find("closes"));
    EXPECT_NE(closes.find("1001"), std::string::npos) << closes;
}

// Queries and mutations work over the socket too, through the same pipeline as over HTTP.
TEST_F(SubscriptionsTest, QueriesAndMutationsRunOverTheSocket) {
    auto buyer = Register("socket-shopper@shop.io");
    auto product = CreateProduct(buyer);
    std::string aliases = "{";
    for (int i = 0; i <= 50; ++i) aliases += " a" + std::to_string(i) + ": __typename";
    aliases += " }";
    Subscribers clients(
        {{"query", first_->url(), buyer.token, "{ me { id email } }", "{}", 1},
         {"mutation", second_->url(), buyer.token,
          "mutation M($p: String!) { createOrder(order: {products: [{id: $p, quantity: 4}]}) { totalPrice status } }",
          R"({"p":)" + JsonString(product) + "}", 1},
         {"limited", first_->url(), buyer.token, aliases, "{}", 1},
         {"invalid", first_->url(), buyer.token, "{ me { nope } }", "{}", 1}},
        200);
    auto results = clients.Results();
    EXPECT_EQ(graphql::to_json(*results["query"].find("events")),
              R"([{"data":{"me":{"id":)" + std::to_string(buyer.account_id) + R"(,"email":"socket-shopper@shop.io"}}}])");
    EXPECT_TRUE(results["query"].find("completed")->as_bool());
    EXPECT_EQ(graphql::to_json(*results["mutation"].find("events")),
              R"([{"data":{"createOrder":{"totalPrice":50,"status":"pending"}}}])");
    EXPECT_EQ(ErrorCode(results["limited"]), "BAD_USER_INPUT");  // more than 50 aliases, as over HTTP
    EXPECT_NE(graphql::to_json(*results["invalid"].find("errors")).find("Cannot query field"), std::string::npos);
}

// The playground's GraphiQL runs subscriptions against the same endpoint: the page hands GraphiQL's fetcher
// a WebSocket URL on /graphql, and that fetcher (@graphiql/toolkit, as bundled into the page) subscribes
// with the Authorization header from the Headers tab.
TEST_F(SubscriptionsTest, ThePlaygroundSubscribesOverTheSameEndpoint) {
    auto page = testing_::HttpRequest(first_->port, "GET", "/playground");
    EXPECT_NE(page.body.find("subscriptionUrl: (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + "
                             "'/graphql'"),
              std::string::npos)
        << page.body;
    auto bundle = testing_::HttpRequest(first_->port, "GET", "/playground/graphiql.min.js");
    EXPECT_NE(bundle.body.find("graphql-transport-ws"), std::string::npos);  // graphql-ws's client is bundled

    auto user = Register("playground@shop.io");
    auto order_id = CreateOrder(user, CreateProduct(user));
    auto result_path = TemporaryPath("playground.json");
    testing_::ChildProcess run({"/usr/bin/env", "node", kScripts + "/playground.mjs",
                                "http://127.0.0.1:" + std::to_string(first_->port), user.token,
                                std::to_string(order_id), result_path},
                               {});
    ASSERT_TRUE(first_->WaitForSubscriptions(1)) << run.Output();
    ChangeStatus(order_id, "cancelled");
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (run.Running() && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    int status = run.Stop(SIGKILL);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << run.Output();
    auto result = Json(ReadFile(result_path));
    ::unlink(result_path.c_str());
    EXPECT_EQ(graphql::to_json(*result.find("me")), R"({"data":{"me":{"id":)" + std::to_string(user.account_id) + "}}}");
    EXPECT_EQ(graphql::to_json(*result.find("first")),
              R"({"data":{"orderStatusChanged":{"id":)" + std::to_string(order_id) + R"(,"status":"cancelled"}}})");
}

// What a well-behaved client never sends gets the protocol's close codes.
TEST_F(SubscriptionsTest, ProtocolViolationsGetTheProtocolsCloseCodes) {
    auto user = Register("protocol@shop.io");
    auto result_path = TemporaryPath("protocol.json");
    testing_::ChildProcess run({"/usr/bin/env", "node", kScripts + "/protocol.mjs", first_->url(), user.token, result_path},
                               {});
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (run.Running() && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    int status = run.Stop(SIGKILL);
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << run.Output();
    auto results = Json(ReadFile(result_path));
    ::unlink(result_path.c_str());
    auto code = [&](const char* name) {
        const auto* result = results.is_object() ? results.find(name) : nullptr;
        const auto* closed = result ? result->find("code") : nullptr;
        return closed ? graphql::to_json(*closed) : std::string("missing");
    };
    EXPECT_EQ(code("no_init"), "4408");
    EXPECT_EQ(code("subscribe_before_init"), "4401");
    EXPECT_EQ(code("bad_token"), "4403");
    EXPECT_EQ(code("malformed_authorization"), "4403");
    EXPECT_EQ(code("two_inits"), "4429");
    EXPECT_EQ(code("not_json"), "4400");
    EXPECT_EQ(code("unknown_type"), "4400");
    EXPECT_EQ(code("server_message_from_client"), "4400");
    EXPECT_EQ(code("binary_frame"), "4400");
    EXPECT_EQ(code("subscribe_without_id"), "4400");
    EXPECT_EQ(code("duplicate_id"), "4409");
    EXPECT_EQ(code("oversized_message"), "1009");
    EXPECT_EQ(code("no_subprotocol"), "4406");
    // Answers, not closes: the socket stays usable.
    EXPECT_EQ(code("anonymous_subscription"), "1000");
    EXPECT_NE(graphql::to_json(*results.find("anonymous_subscription")->find("messages")).find("UNAUTHENTICATED"),
              std::string::npos);
    EXPECT_EQ(code("invalid_document"), "1000");
    EXPECT_EQ(code("complete_unknown_id"), "1000");
    auto query = graphql::to_json(*results.find("query_and_ping")->find("messages"));
    EXPECT_NE(query.find(R"({"id":"q","type":"next","payload":{"data":{"me":{"id":)" + std::to_string(user.account_id)),
              std::string::npos)
        << query;
    EXPECT_GE(first_->Metric(R"(gateway_ws_closed_total{reason="init_timeout"})"), 1);
    EXPECT_GE(first_->Metric(R"(gateway_ws_closed_total{reason="bad_message"})"), 5);
}

// Connections per address, a client that stops reading, and an idle connection, on an instance with
// small limits.
TEST_F(SubscriptionsTest, LimitsCapConnectionsDropSlowReadersAndCloseIdleSockets) {
    auto env = DownstreamEnv();
    env["GATEWAY_WS_MAX_CONNECTIONS_PER_ADDRESS"] = "3";
    env["GATEWAY_WS_MAX_BUFFERED_BYTES"] = "65536";
    env["GATEWAY_WS_IDLE_TIMEOUT_SECONDS"] = "1";
    Gateway limited(env);
    ASSERT_TRUE(limited.ready) << limited.Output();
    auto result_path = TemporaryPath("limits.json");
    testing_::ChildProcess run({"/usr/bin/env", "node", kScripts + "/limits.mjs", limited.url(),
                                "http://127.0.0.1:" + std::to_string(limited.admin_port) + "/metrics",
                                ORDERSTREAM_INTROSPECTION_QUERY, result_path},
                               {});
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(90);
    while (run.Running() && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    int status = run.Stop(SIGKILL);
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << run.Output();
    auto results = Json(ReadFile(result_path));
    ::unlink(result_path.c_str());
    EXPECT_EQ(graphql::to_json(*results.find("per_address")), R"({"opened":3,"fourth_status":429,"after_close":"open"})");
    const auto* slow = results.find("slow_reader");
    EXPECT_EQ(graphql::to_json(*slow->find("code")), "1006") << graphql::to_json(*slow);
    EXPECT_LT(slow->find("answers")->as_int(), 400) << graphql::to_json(*slow);
    EXPECT_EQ(limited.Metric(R"(gateway_ws_closed_total{reason="slow_reader"})"), 1);
    EXPECT_EQ(graphql::to_json(*results.find("idle")), R"({"code":1000,"reason":"idle"})");
    EXPECT_GE(limited.Metric(R"(gateway_ws_refused_total{reason="per_address_limit"})"), 1);
    EXPECT_EQ(limited.Metric("gateway_ws_connections"), 0);
}

}  // namespace
