// Black-box tests: the real gateway in front of the real account, product and order roles,
// each on its own fresh database, driven over HTTP exactly as a client would.
#include <signal.h>
#include <sys/wait.h>

#include <atomic>
#include <fstream>
#include <thread>
#include <regex>
#include <sstream>

#include <gtest/gtest.h>

#include "orderstream/core/uuid.hpp"
#include "orderstream/testing/database.hpp"
#include "orderstream/testing/process.hpp"

namespace testing_ = orderstream::testing;

namespace {

const std::string kSecret = "gateway-integration-test-secret-0123456789";

struct Role {
    Role(const std::string& name, std::map<std::string, std::string> env, bool with_database = true) : name(name) {
        port = testing_::FreePort();
        admin_port = testing_::FreePort();
        std::string upper;
        for (char c : name) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        env[upper + "_LISTEN"] = "127.0.0.1:" + std::to_string(port);
        env[upper + "_ADMIN_LISTEN"] = "127.0.0.1:" + std::to_string(admin_port);
        if (with_database) {
            db = std::make_unique<testing_::TemporaryDatabase>(name);
            env["DATABASE_URL"] = db->url();
        }
        env["KAFKA_BOOTSTRAP_SERVERS"] = testing_::TestKafkaBootstrap();
        // The roles of this suite read and write topics of their own (order ids restart at 1
        // in every test database, so other tests' events must not reach them).
        static const std::string prefix = "gateway-test-" + orderstream::uuid::NewV7() + ".";
        env["KAFKA_TOPIC_PREFIX"] = prefix;
        env["JWT_SECRET"] = kSecret;
        env["ADMIN_EMAILS"] = "admin@shop.io, batch-admin@shop.io";
        process = std::make_unique<testing_::ChildProcess>(
            std::vector<std::string>{testing_::OrderstreamBinary(), name}, env);
        ready = testing_::WaitUntilReady(*process, admin_port);
    }
    std::string address() const { return "127.0.0.1:" + std::to_string(port); }

    std::string name;
    std::unique_ptr<testing_::TemporaryDatabase> db;
    int port = 0;
    int admin_port = 0;
    std::unique_ptr<testing_::ChildProcess> process;
    bool ready = false;
};

std::string JsonString(const std::string& text) {
    std::string out = "\"";
    for (char c : text) {
        if (c == '"' || c == '\\') out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out += c;
    }
    return out + "\"";
}

// The first "key":"value" string in a JSON text.
std::string StringField(const std::string& json, const std::string& key) {
    std::smatch match;
    if (std::regex_search(json, match, std::regex("\"" + key + "\":\"([^\"]*)\""))) return match[1];
    return {};
}

// The first "key":123 number in a JSON text, as text.
std::string IntField(const std::string& json, const std::string& key) {
    std::smatch match;
    if (std::regex_search(json, match, std::regex("\"" + key + "\":(\\d+)"))) return match[1];
    return {};
}

class GatewayTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        account_ = new Role("account", {});
        product_ = new Role("product", {});
        order_ = new Role("order", {{"ACCOUNT_URL", account_->address()}, {"PRODUCT_URL", product_->address()}});
        payment_http_port_ = testing_::FreePort();
        // The sandbox provider (no DODO_API_KEY): checkout pages on the payment HTTP port.
        payment_ = new Role("payment", {{"ORDER_SERVICE_URL", order_->address()},
                                        {"ACCOUNT_URL", account_->address()},
                                        {"PAYMENT_HTTP_LISTEN", "127.0.0.1:" + std::to_string(payment_http_port_)}});
        recommender_ = new Role("recommender", {{"RECOMMENDER_RETRAIN_MIN_INTERACTIONS", "1"},
                                                {"RECOMMENDER_RETRAIN_POLL_MS", "200"}});
        gateway_ = new Role("gateway", DownstreamEnv(), false);
    }
    static std::map<std::string, std::string> DownstreamEnv() {
        return {{"ACCOUNT_URL", account_->address()},
                {"PRODUCT_URL", product_->address()},
                {"ORDER_URL", order_->address()},
                {"PAYMENT_URL", payment_->address()},
                {"RECOMMENDER_URL", recommender_->address()}};
    }
    static void TearDownTestSuite() {
        delete gateway_;
        delete recommender_;
        delete payment_;
        delete order_;
        delete product_;
        delete account_;
    }
    void SetUp() override {
        ASSERT_TRUE(account_->ready && product_->ready && order_->ready && payment_->ready && recommender_->ready &&
                    gateway_->ready)
            << payment_->process->Output() << gateway_->process->Output();
    }
    void TearDown() override {
        if (HasFailure()) std::fprintf(stderr, "--- gateway log ---\n%s\n", gateway_->process->Output().c_str());
    }

    static testing_::HttpReply Post(const std::string& query, const std::string& token = "",
                                    const std::vector<std::string>& extra = {}) {
        std::vector<std::string> headers = {"Content-Type: application/json",
                                            "Accept: application/graphql-response+json"};
        if (!token.empty()) headers.push_back("Authorization: Bearer " + token);
        headers.insert(headers.end(), extra.begin(), extra.end());
        return testing_::HttpRequest(gateway_->port, "POST", "/graphql", "{\"query\":" + JsonString(query) + "}",
                                     headers);
    }

    static std::string Register(const std::string& name, const std::string& email) {
        auto reply = Post("mutation {\n  register(account: {\n    name: " + JsonString(name) + "\n    email: " +
                          JsonString(email) + "\n    password: \"securepassword123\"\n  }) {\n    token\n  }\n}");
        EXPECT_EQ(reply.status, 200) << reply.body;
        return StringField(reply.body, "token");
    }

    // Pays `order_id` through the sandbox's checkout page as a browser would; true once paid.
    static bool PayThroughTheSandbox(const std::string& token, const std::string& order_id) {
        auto me = IntField(Post("{ me { id } }", token).body, "id");
        auto checkout = Post("mutation { createCheckoutSession(details: {accounId: " + me +
                                 ", name: \"\", email: \"\", redirectUrl: \"http://localhost:3000/done\", "
                                 "products: [], orderId: " + order_id + "}) { url } }",
                             token);
        auto url = StringField(checkout.body, "url");
        auto prefix = "http://127.0.0.1:" + std::to_string(payment_http_port_);
        if (!url.starts_with(prefix)) {
            ADD_FAILURE() << checkout.body;
            return false;
        }
        auto paid = testing_::HttpRequest(payment_http_port_, "POST", url.substr(prefix.size()) + "/pay");
        if (paid.status != 303) {
            ADD_FAILURE() << paid.status << " " << paid.body;
            return false;
        }
        for (int i = 0; i < 200; ++i) {
            auto orders = Post("{ me { Orders { id status } } }", token);
            if (orders.body.find("{\"id\":" + order_id + ",\"status\":\"paid\"}") != std::string::npos) return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        return false;
    }

    static inline Role* account_ = nullptr;
    static inline Role* product_ = nullptr;
    static inline Role* order_ = nullptr;
    static inline Role* payment_ = nullptr;
    static inline Role* recommender_ = nullptr;
    static inline int payment_http_port_ = 0;
    static inline Role* gateway_ = nullptr;
};

TEST_F(GatewayTest, SeedWalkthroughVerbatim) {
    // The seed README's operations, as written there (only ids substituted).
    auto registered = Post(R"(mutation {
  register(account: {
    name: "John Doe"
    email: "john@example.com"
    password: "securepassword123"
  }) {
    token
  }
})");
    ASSERT_EQ(registered.status, 200) << registered.body;
    auto token = StringField(registered.body, "token");
    ASSERT_FALSE(token.empty()) << registered.body;
    EXPECT_NE(registered.headers.find("Set-Cookie: token=" + token + "; Path=/; HttpOnly; SameSite=Lax; Max-Age="),
              std::string::npos)
        << registered.headers;

    auto login = Post(R"(mutation {
  login(account: {
    email: "john@example.com"
    password: "securepassword123"
  }) {
    token
  }
})");
    ASSERT_EQ(login.status, 200);
    EXPECT_FALSE(StringField(login.body, "token").empty()) << login.body;

    auto created = Post(R"(mutation {
  createProduct(product: {
    name: "Wireless Headphones"
    description: "High-quality Bluetooth headphones with noise cancellation"
    price: 149.99
  }) {
    id
    name
    description
    price
  }
})",
                        token);
    ASSERT_EQ(created.status, 200) << created.body;
    EXPECT_NE(created.body.find("\"price\":149.99"), std::string::npos) << created.body;
    auto product_id = StringField(created.body, "id");
    auto second = Post(R"(mutation { createProduct(product: {name: "Mug", description: "Ceramic", price: 0.10}) { id } })",
                       token);
    auto mug_id = StringField(second.body, "id");

    auto listed = Post(R"(query {
  product(pagination: {skip: 0, take: 10}) {
    id
    name
    description
    price
  }
})");
    EXPECT_NE(listed.body.find("Wireless Headphones"), std::string::npos) << listed.body;
    auto searched = Post(R"(query {
  product(pagination: {skip: 0, take: 10}, query: "headphones") {
    id
    name
    description
    price
  }
})");
    EXPECT_NE(searched.body.find(product_id), std::string::npos) << searched.body;
    EXPECT_EQ(searched.body.find("Mug"), std::string::npos) << searched.body;

    auto updated = Post(R"(mutation {
  updateProduct(product: {
    id: ")" + product_id + R"("
    name: "Updated Headphones"
    description: "Updated description"
    price: 129.99
  }) {
    id
    name
    description
    price
  }
})",
                        token);
    EXPECT_NE(updated.body.find("\"name\":\"Updated Headphones\",\"description\":\"Updated description\",\"price\":129.99"),
              std::string::npos)
        << updated.body;

    auto ordered = Post(R"(mutation {
  createOrder(order: {
    products: [
      {id: ")" + product_id + R"(", quantity: 2}
      {id: ")" + mug_id + R"(", quantity: 3}
    ]
  }) {
    id
    totalPrice
    createdAt
    products {
      id
      name
      price
      quantity
    }
  }
})",
                        token);
    ASSERT_EQ(ordered.status, 200) << ordered.body;
    EXPECT_NE(ordered.body.find("\"totalPrice\":260.28"), std::string::npos) << ordered.body;  // 2*129.99 + 3*0.10

    auto me = Post("{ me { id } }", token);
    std::smatch id_match;
    ASSERT_TRUE(std::regex_search(me.body, id_match, std::regex("\"id\":(\\d+)"))) << me.body;
    auto account_with_orders = Post(R"(query {
  accounts(id: )" + std::string(id_match[1]) + R"() {
    id
    name
    email
    Orders {
      id
      totalPrice
      createdAt
      products {
        id
        name
        price
        quantity
      }
    }
  }
})",
                                    token);
    EXPECT_EQ(account_with_orders.status, 200);
    EXPECT_NE(account_with_orders.body.find("\"Orders\":[{\"id\":"), std::string::npos) << account_with_orders.body;
    EXPECT_NE(account_with_orders.body.find("\"totalPrice\":260.28"), std::string::npos);
    EXPECT_EQ(account_with_orders.body.find("errors"), std::string::npos) << account_with_orders.body;

    auto deleted = Post("mutation {\n  deleteProduct(id: \"" + mug_id + "\")\n}", token);
    EXPECT_EQ(deleted.body, R"({"data":{"deleteProduct":true}})");
}

// The seed's payment operations, verbatim apart from the ids, then the sandbox's Pay button
// pressed over HTTP as a browser would: the order becomes paid.
TEST_F(GatewayTest, SeedCheckoutThroughTheSandboxPaysTheOrder) {
    // The seed registers john@example.com in the walkthrough above; the checkout input still names him.
    auto token = Register("John Doe", "john.payer@example.com");
    auto me = Post("{ me { id } }", token);
    std::smatch id_match;
    ASSERT_TRUE(std::regex_search(me.body, id_match, std::regex("\"id\":(\\d+)"))) << me.body;
    std::string account_id = id_match[1];
    auto created = Post(R"(mutation { createProduct(product: {name: "Notebook", description: "A5", price: 4.50}) { id } })",
                        token);
    auto product_id = StringField(created.body, "id");
    auto ordered = Post("mutation { createOrder(order: {products: [{id: \"" + product_id +
                            "\", quantity: 2}]}) { id } }",
                        token);
    std::smatch order_match;
    ASSERT_TRUE(std::regex_search(ordered.body, order_match, std::regex("\"id\":(\\d+)"))) << ordered.body;
    std::string order_id = order_match[1];

    auto portal = Post(R"(mutation {
  createCustomerPortalSession(credentials: {
    accounntId: )" + account_id + R"(
    email: "john@example.com"
    name: "John Doe"
  }) {
    url
  }
})",
                       token);
    EXPECT_NE(portal.body.find("\"url\":\"http://127.0.0.1:" + std::to_string(payment_http_port_) + "/sandbox/portal/"),
              std::string::npos)
        << portal.body;

    auto checkout = Post(R"(mutation {
  createCheckoutSession(details: {
    accounId: )" + account_id + R"(
    name: "John Doe"
    email: "john@example.com"
    redirectUrl: "http://localhost:3000/success"
    products: [
      {id: ")" + product_id + R"(", quantity: 2}
    ]
    orderId: )" + order_id + R"(
  }) {
    url
  }
})",
                         token);
    auto url = StringField(checkout.body, "url");
    auto prefix = "http://127.0.0.1:" + std::to_string(payment_http_port_);
    ASSERT_TRUE(url.starts_with(prefix + "/sandbox/checkout/")) << checkout.body;
    auto page = testing_::HttpRequest(payment_http_port_, "GET", url.substr(prefix.size()));
    EXPECT_NE(page.body.find("9.00 USD"), std::string::npos) << page.body;
    auto paid = testing_::HttpRequest(payment_http_port_, "POST", url.substr(prefix.size()) + "/pay");
    EXPECT_EQ(paid.status, 303) << paid.body;
    EXPECT_NE(paid.headers.find("Location: http://localhost:3000/success?payment_id="), std::string::npos);

    std::string status;
    for (int i = 0; i < 200 && status != "paid"; ++i) {
        auto orders = Post("{ accounts(id: " + account_id + ") { Orders { id status } } }", token);
        status = StringField(orders.body, "status");
        if (status != "paid") std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    EXPECT_EQ(status, "paid");

    // Sessions are for the caller only.
    auto other = Register("Eve", "eve@example.com");
    auto forbidden = Post("mutation { createCheckoutSession(details: {accounId: " + account_id +
                              ", name: \"Eve\", email: \"eve@example.com\", redirectUrl: \"http://localhost:3000/success\", "
                              "products: [], orderId: " + order_id + "}) { url } }",
                          other);
    EXPECT_NE(forbidden.body.find("\"code\":\"FORBIDDEN\""), std::string::npos) << forbidden.body;
    auto anonymous = Post("mutation { createCustomerPortalSession(credentials: {accounntId: 1, email: \"a@b.c\", "
                          "name: \"A\"}) { url } }");
    EXPECT_NE(anonymous.body.find("\"code\":\"UNAUTHENTICATED\""), std::string::npos) << anonymous.body;
}

// product(viewedProductsIds:) and product(byAccountId: true) through the recommender, fed by the
// product and order services' events.
TEST_F(GatewayTest, RecommendationsComeFromTheRecommender) {
    auto anonymous = Post("{ product(byAccountId: true) { id } }");
    EXPECT_NE(anonymous.body.find("\"code\":\"UNAUTHENTICATED\""), std::string::npos) << anonymous.body;

    auto token = Register("Reco Buyer", "reco@example.com");
    std::vector<std::string> ids;
    for (const char* name : {"Reco Kettle", "Reco Teapot", "Reco Cup"}) {
        auto created = Post(std::string(R"(mutation { createProduct(product: {name: ")") + name +
                                R"(", description: "Kitchen", price: 12.50}) { id } })",
                            token);
        ids.push_back(StringField(created.body, "id"));
        ASSERT_FALSE(ids.back().empty()) << created.body;
    }
    auto ordered = Post("mutation { createOrder(order: {products: [{id: \"" + ids[0] + "\", quantity: 1}, {id: \"" +
                            ids[1] + "\", quantity: 2}]}) { id } }",
                        token);
    ASSERT_EQ(ordered.body.find("errors"), std::string::npos) << ordered.body;
    // Only a paid order counts as a purchase.
    ASSERT_TRUE(PayThroughTheSandbox(token, IntField(ordered.body, "id")));

    // Bought together: once the events are in and a model is trained, the teapot is what goes
    // with a viewed kettle (until then the answer is the most popular products).
    const std::string viewed = "{ product(viewedProductsIds: [\"" + ids[0] +
                               "\"], pagination: {skip: 0, take: 100}) { id name description price } }";
    const std::string teapot_first =
        R"({"data":{"product":[{"id":")" + ids[1] + R"(","name":"Reco Teapot","description":"Kitchen","price":12.5})";
    testing_::HttpReply similar;
    for (int i = 0; i < 300; ++i) {
        similar = Post(viewed);
        if (similar.body.starts_with(teapot_first)) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    EXPECT_TRUE(similar.body.starts_with(teapot_first)) << similar.body;
    EXPECT_EQ(similar.body.find(ids[0]), std::string::npos) << "the viewed product was recommended: " << similar.body;

    // The caller's own recommendations never repeat what they bought.
    auto mine = Post("{ product(byAccountId: true, pagination: {skip: 0, take: 100}) { id name } }", token);
    EXPECT_EQ(mine.body.find("errors"), std::string::npos) << mine.body;
    EXPECT_NE(mine.body.find(R"({"data":{"product":[)"), std::string::npos) << mine.body;
    EXPECT_EQ(mine.body.find(ids[0]), std::string::npos) << mine.body;
    EXPECT_EQ(mine.body.find(ids[1]), std::string::npos) << mine.body;
}

TEST_F(GatewayTest, CookieAuthenticatesLikeTheBearerHeader) {
    auto token = Register("Cookie", "cookie@shop.io");
    auto me = Post("{ me { email } }", "", {"Cookie: token=" + token});
    EXPECT_EQ(me.body, R"({"data":{"me":{"email":"cookie@shop.io"}}})");
}

TEST_F(GatewayTest, MissingOrBadTokensAreUnauthenticated) {
    auto anonymous = Post("{ me { id } }");
    EXPECT_NE(anonymous.body.find("\"code\":\"UNAUTHENTICATED\""), std::string::npos) << anonymous.body;
    auto garbage = Post("{ me { id } }", "not-a-token");
    EXPECT_NE(garbage.body.find("\"code\":\"UNAUTHENTICATED\""), std::string::npos) << garbage.body;
    EXPECT_NE(garbage.body.find("invalid token"), std::string::npos) << garbage.body;
    auto basic = Post("{ me { id } }", "", {"Authorization: Basic abc"});
    EXPECT_NE(basic.body.find("\"code\":\"UNAUTHENTICATED\""), std::string::npos) << basic.body;
    auto create = Post(R"(mutation { createProduct(product: {name: "x", description: "y", price: 1}) { id } })");
    EXPECT_NE(create.body.find("\"code\":\"UNAUTHENTICATED\""), std::string::npos) << create.body;
    EXPECT_NE(create.body.find("\"createProduct\":null"), std::string::npos) << create.body;
}

TEST_F(GatewayTest, UsersStayOutOfEachOthersData) {
    auto alice = Register("Alice", "alice@shop.io");
    auto bob = Register("Bob", "bob@shop.io");
    auto bob_me = Post("{ me { id } }", bob);
    std::smatch id;
    ASSERT_TRUE(std::regex_search(bob_me.body, id, std::regex("\"id\":(\\d+)")));
    auto peek = Post("{ accounts(id: " + std::string(id[1]) + ") { id email } }", alice);
    EXPECT_NE(peek.body.find("\"code\":\"FORBIDDEN\""), std::string::npos) << peek.body;
    EXPECT_EQ(peek.body.find("bob@shop.io"), std::string::npos);
    auto list = Post("{ accounts(pagination: {skip: 0, take: 10}) { id email } }", alice);
    EXPECT_NE(list.body.find("\"code\":\"FORBIDDEN\""), std::string::npos) << list.body;

    auto admin = Register("Admin", "admin@shop.io");
    auto all = Post(R"(query {
  accounts(pagination: {skip: 0, take: 10}) {
    id
    name
    email
  }
})",
                    admin);
    EXPECT_NE(all.body.find("bob@shop.io"), std::string::npos) << all.body;
    EXPECT_NE(all.body.find("alice@shop.io"), std::string::npos);
    auto admin_reads_bob = Post("{ accounts(id: " + std::string(id[1]) + ") { email Orders { id } } }", admin);
    EXPECT_EQ(admin_reads_bob.body, R"({"data":{"accounts":[{"email":"bob@shop.io","Orders":[]}]}})");

    // Only the owner changes a product, whatever the request says.
    auto created = Post(R"(mutation { createProduct(product: {name: "Alice's", description: "", price: 5}) { id } })",
                        alice);
    auto product_id = StringField(created.body, "id");
    auto hijack = Post(R"(mutation { updateProduct(product: {id: ")" + product_id +
                           R"(", name: "Bob's", description: "", price: 1}) { id } })",
                       bob);
    EXPECT_NE(hijack.body.find("\"code\":\"FORBIDDEN\""), std::string::npos) << hijack.body;
    auto erase = Post("mutation { deleteProduct(id: \"" + product_id + "\") }", bob);
    EXPECT_NE(erase.body.find("\"code\":\"FORBIDDEN\""), std::string::npos) << erase.body;
}

// The schema's additions for money: an order's currency and payments for its buyer, one order
// by id, cancelling, an admin's refund and the anomalies list, a seller's products and sales.
TEST_F(GatewayTest, OrdersShowTheirMoneyToTheirBuyerAndAdmins) {
    auto seller = Register("Seller", "seller@shop.io");
    auto buyer = Register("Buyer Money", "buyer.money@shop.io");
    auto other = Register("Other Buyer", "other.buyer@shop.io");
    auto admin = Post(R"(mutation { login(account: {email: "admin@shop.io", password: "securepassword123"}) { token } })");
    auto admin_token = StringField(admin.body, "token");
    if (admin_token.empty()) admin_token = Register("Admin", "admin@shop.io");
    auto created = Post(R"(mutation { createProduct(product: {name: "Teapot", description: "Iron", price: 30}) { id currency } })",
                        seller);
    EXPECT_NE(created.body.find("\"currency\":\"USD\""), std::string::npos) << created.body;
    auto teapot = StringField(created.body, "id");
    auto mine = Post("{ myProducts(pagination: {skip: 0, take: 10}) { id name } }", seller);
    EXPECT_EQ(mine.body, R"({"data":{"myProducts":[{"id":")" + teapot + R"(","name":"Teapot"}]}})");

    auto placed = Post("mutation { createOrder(order: {products: [{id: \"" + teapot + "\", quantity: 2}]}) { id currency } }",
                       buyer);
    auto order_id = IntField(placed.body, "id");
    ASSERT_FALSE(order_id.empty()) << placed.body;
    EXPECT_NE(placed.body.find("\"currency\":\"USD\""), std::string::npos) << placed.body;
    const std::string show = "{ order(id: " + order_id + ") { id status totalPrice currency payments { status amount refundedAmount currency } } }";
    EXPECT_EQ(Post(show, buyer).body, R"({"data":{"order":{"id":)" + order_id +
                                          R"(,"status":"pending","totalPrice":60,"currency":"USD","payments":[]}}})");
    auto peek = Post(show, other);
    EXPECT_NE(peek.body.find("order " + order_id + " is not yours"), std::string::npos) << peek.body;
    EXPECT_NE(peek.body.find("\"code\":\"FORBIDDEN\""), std::string::npos);
    EXPECT_NE(Post("{ order(id: 987654) { id } }", buyer).body.find("\"code\":\"NOT_FOUND\""), std::string::npos);

    // The seller sees the sale (their lines only) but not the buyer's payments.
    auto sales = Post("{ sales(pagination: {skip: 0, take: 10}) { id totalPrice products { name quantity } } }", seller);
    EXPECT_EQ(sales.body, R"({"data":{"sales":[{"id":)" + order_id +
                              R"(,"totalPrice":60,"products":[{"name":"Teapot","quantity":2}]}]}})");
    auto seller_payments = Post("{ sales { payments { status } } }", seller);
    EXPECT_NE(seller_payments.body.find("only the buyer sees an order's payments"), std::string::npos)
        << seller_payments.body;

    ASSERT_TRUE(PayThroughTheSandbox(buyer, order_id));
    auto paid = Post(show, buyer).body;
    EXPECT_NE(paid.find(R"("status":"paid")"), std::string::npos) << paid;
    EXPECT_NE(paid.find(R"("payments":[{"status":"succeeded","amount":60,"refundedAmount":0,"currency":"USD"}])"),
              std::string::npos)
        << paid;
    auto too_late = Post("mutation { cancelOrder(id: " + order_id + ") { status } }", buyer).body;
    EXPECT_NE(too_late.find("is paid; only a pending or failed order can be cancelled"), std::string::npos) << too_late;
    EXPECT_NE(too_late.find("\"code\":\"BAD_USER_INPUT\""), std::string::npos);

    // Only an admin refunds; the order becomes refunded when the sandbox confirms.
    auto refused = Post("mutation { refundOrder(id: " + order_id + ") { status } }", buyer);
    EXPECT_NE(refused.body.find("\"code\":\"FORBIDDEN\""), std::string::npos) << refused.body;
    auto refund = Post("mutation { refundOrder(id: " + order_id + ", reason: \"cracked lid\") { id status } }", admin_token);
    EXPECT_EQ(refund.body.find("errors"), std::string::npos) << refund.body;
    std::string status;
    for (int i = 0; i < 200 && status != "refunded"; ++i) {
        status = StringField(Post(show, buyer).body, "status");
        if (status != "refunded") std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    EXPECT_EQ(status, "refunded");
    EXPECT_NE(Post(show, admin_token).body.find(R"("refundedAmount":60)"), std::string::npos);
    auto everything = Post("{ orders(pagination: {skip: 0, take: 100}) { id } }", admin_token);
    EXPECT_NE(everything.body.find("{\"id\":" + order_id + "}"), std::string::npos) << everything.body;
    EXPECT_NE(Post("{ orders { id } }", buyer).body.find("\"code\":\"FORBIDDEN\""), std::string::npos);

    // A buyer cancels their own pending order, nobody else's.
    auto second = IntField(
        Post("mutation { createOrder(order: {products: [{id: \"" + teapot + "\", quantity: 1}]}) { id } }", buyer).body,
        "id");
    auto theirs = Post("mutation { cancelOrder(id: " + second + ") { status } }", other);
    EXPECT_NE(theirs.body.find("\"code\":\"NOT_FOUND\""), std::string::npos) << theirs.body;
    EXPECT_EQ(Post("mutation { cancelOrder(id: " + second + ") { status } }", buyer).body,
              R"({"data":{"cancelOrder":{"status":"cancelled"}}})");

    auto anomalies = Post("{ paymentAnomalies(pagination: {skip: 0, take: 10}) { kind action } }", admin_token);
    EXPECT_EQ(anomalies.body, R"({"data":{"paymentAnomalies":[]}})");
    EXPECT_NE(Post("{ paymentAnomalies { kind } }", buyer).body.find("\"code\":\"FORBIDDEN\""), std::string::npos);
}

TEST_F(GatewayTest, BadInputIsBadUserInput) {
    auto token = Register("Input", "input@shop.io");
    auto price = Post(R"(mutation { createProduct(product: {name: "x", description: "", price: 1.005}) { id } })", token);
    EXPECT_NE(price.body.find("price must have at most two decimals"), std::string::npos) << price.body;
    EXPECT_NE(price.body.find("\"code\":\"BAD_USER_INPUT\""), std::string::npos);
    auto negative = Post(R"(mutation { createProduct(product: {name: "x", description: "", price: -1}) { id } })", token);
    EXPECT_NE(negative.body.find("\"code\":\"BAD_USER_INPUT\""), std::string::npos) << negative.body;
    auto order = Post(R"(mutation { createOrder(order: {products: [{id: "0190c3e0-7b1a-7000-8000-000000000000", quantity: 1}]}) { id } })",
                      token);
    EXPECT_NE(order.body.find("\"code\":\"NOT_FOUND\""), std::string::npos) << order.body;
    auto duplicate = Post(R"(mutation { register(account: {name: "Again", email: "INPUT@shop.io", password: "securepassword123"}) { token } })");
    EXPECT_NE(duplicate.body.find("\"code\":\"BAD_USER_INPUT\""), std::string::npos) << duplicate.body;
}

TEST_F(GatewayTest, HttpErrors) {
    auto post = [](const std::string& body, const std::vector<std::string>& headers) {
        return testing_::HttpRequest(gateway_->port, "POST", "/graphql", body, headers);
    };
    EXPECT_EQ(post("{not json", {"Content-Type: application/json"}).status, 400);
    EXPECT_EQ(post(R"({"variables":{}})", {"Content-Type: application/json"}).status, 400);
    EXPECT_EQ(post(R"({"query":"{ me { id } }"})", {"Content-Type: text/plain"}).status, 415);
    EXPECT_EQ(post(std::string(1 << 20 | 1, ' '), {"Content-Type: application/json"}).status, 413);
    EXPECT_EQ(post(R"({"query":"{ me { id } }"})", {"Content-Type: application/json", "Accept: text/html"}).status, 406);
    auto get_mutation = testing_::HttpRequest(gateway_->port, "GET",
                                              "/graphql?query=mutation%7BdeleteProduct(id%3A%22x%22)%7D");
    EXPECT_EQ(get_mutation.status, 405);
    EXPECT_NE(get_mutation.headers.find("Allow: POST"), std::string::npos);
    auto get_query = testing_::HttpRequest(gateway_->port, "GET", "/graphql?query=%7B__typename%7D");
    EXPECT_EQ(get_query.status, 200);
    EXPECT_EQ(get_query.body, R"({"data":{"__typename":"Query"}})");
    auto invalid = post(R"({"query":"{ nope }"})",
                        {"Content-Type: application/json", "Accept: application/graphql-response+json"});
    EXPECT_EQ(invalid.status, 400);
    auto legacy = post(R"({"query":"{ nope }"})", {"Content-Type: application/json", "Accept: application/json"});
    EXPECT_EQ(legacy.status, 200);
    EXPECT_NE(legacy.body.find("Cannot query field"), std::string::npos) << legacy.body;
}

TEST_F(GatewayTest, LimitsAreClearErrors) {
    std::string deep = "{ accounts { Orders { products { id } } } }";
    auto shallow = Post(deep);
    EXPECT_EQ(shallow.body.find("nested"), std::string::npos);
    std::string aliases = "{";
    for (int i = 0; i < 51; ++i) aliases += " a" + std::to_string(i) + ": __typename";
    aliases += " }";
    auto too_many = Post(aliases);
    EXPECT_EQ(too_many.status, 400);
    EXPECT_NE(too_many.body.find("query uses 51 aliases; the limit is 50"), std::string::npos) << too_many.body;
    std::string tokens = "{";
    for (int i = 0; i < 10001; ++i) tokens += " __typename";
    tokens += " }";
    auto long_document = Post(tokens);
    EXPECT_EQ(long_document.status, 400);
    EXPECT_NE(long_document.body.find("errors"), std::string::npos);
    std::string nested = "{ __typename " + std::string(13, ' ') + "}";
    auto costly = Post("{ accounts(pagination: {skip: 0, take: 100}) { Orders { products { id name price quantity } } } }");
    EXPECT_NE(costly.body.find("query costs"), std::string::npos) << costly.body;
}

TEST_F(GatewayTest, AFragmentBombIsRefusedAtOnce) {
    // Each fragment spreads the next twice: 2^40 fields once expanded.
    std::string bomb = "query Bomb { ...F0 }\n";
    for (int i = 0; i < 40; ++i) {
        bomb += "fragment F" + std::to_string(i) + " on Query { ...F" + std::to_string(i + 1) + " ...F" +
                std::to_string(i + 1) + " }\n";
    }
    bomb += "fragment F40 on Query { me { id } }";
    auto refused = Post(bomb);
    EXPECT_EQ(refused.status, 400);
    EXPECT_NE(refused.body.find("query costs more than 5000, the limit"), std::string::npos) << refused.body;
}

TEST_F(GatewayTest, AFloodOfCostlyDocumentsNeverHoldsUpHealth) {
    // Distinct documents (no cache hit) of ~2,000 mergeable fields: within every limit, and
    // each takes the validator tens of milliseconds. They wait for the GraphQL workers while
    // the HTTP threads keep answering /health: no GraphQL reply has to finish before a
    // /health probe is answered, so hardly any finish while one is in flight.
    constexpr int kFlood = 48;
    std::atomic<int> answered{0};
    std::atomic<int> unexpected{0};
    std::vector<std::thread> flood;
    for (int i = 0; i < kFlood; ++i) {
        flood.emplace_back([&, i] {
            std::string query = "{";
            for (int k = 0; k < 1990; ++k) query += " me { id }";
            query += " me { id }" + std::string(static_cast<std::size_t>(i), ' ') + " }";
            auto reply = Post(query);
            if (reply.status != 200 && reply.status != 503) unexpected.fetch_add(1);
            answered.fetch_add(1);
        });
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));  // the flood is on its way
    int finished_during_probes = 0;
    int probes = 0;
    while (answered.load() < kFlood * 3 / 4 && probes < 20) {
        int before = answered.load();
        auto health = testing_::HttpRequest(gateway_->port, "GET", "/health");
        finished_during_probes += answered.load() - before;
        EXPECT_EQ(health.status, 200);
        ++probes;
        std::this_thread::sleep_for(std::chrono::milliseconds(30));
    }
    for (auto& thread : flood) thread.join();
    EXPECT_GE(probes, 3);
    EXPECT_LE(finished_during_probes, 3) << probes << " /health probes waited for GraphQL work";
    EXPECT_EQ(unexpected.load(), 0);
}

TEST_F(GatewayTest, ClientsCannotMintMetricLabels) {
    // Operation names of documents that did not validate never become label values.
    for (int i = 0; i < 20; ++i) {
        auto body = "{\"query\":\"query { nope }\",\"operationName\":\"Minted" + std::to_string(i) + "\"}";
        testing_::HttpRequest(gateway_->port, "POST", "/graphql", body, {"Content-Type: application/json"});
        Post("query Minted" + std::to_string(i) + " { {");
    }
    auto metrics = testing_::HttpRequest(gateway_->admin_port, "GET", "/metrics").body;
    EXPECT_EQ(metrics.find("Minted"), std::string::npos);
    EXPECT_NE(metrics.find("graphql_requests_total{operation=\"other\",outcome=\"parse_error\"}"), std::string::npos);
    EXPECT_NE(metrics.find("graphql_requests_total{operation=\"other\",outcome=\"invalid\"}"), std::string::npos);
}

TEST_F(GatewayTest, GraphiqlIntrospectionAndPlayground) {
    // GraphiQL's own introspection query, as the GraphQL benchmark also uses it.
    std::ifstream in(ORDERSTREAM_INTROSPECTION_QUERY);
    std::stringstream query;
    query << in.rdbuf();
    auto introspection = Post(query.str());
    EXPECT_EQ(introspection.status, 200);
    EXPECT_EQ(introspection.body.find("\"errors\""), std::string::npos) << introspection.body.substr(0, 500);
    EXPECT_NE(introspection.body.find("\"name\":\"accounntId\""), std::string::npos);
    EXPECT_NE(introspection.body.find("\"name\":\"Time\""), std::string::npos);

    auto page = testing_::HttpRequest(gateway_->port, "GET", "/playground");
    EXPECT_EQ(page.status, 200);
    EXPECT_NE(page.body.find("/playground/graphiql.min.js"), std::string::npos);
    auto script = testing_::HttpRequest(gateway_->port, "GET", "/playground/graphiql.min.js");
    EXPECT_EQ(script.status, 200);
    EXPECT_GT(script.body.size(), 100'000U);
    EXPECT_EQ(testing_::HttpRequest(gateway_->port, "GET", "/playground/react.production.min.js").status, 200);
}

TEST_F(GatewayTest, HealthReadinessAndMetrics) {
    EXPECT_EQ(testing_::HttpRequest(gateway_->port, "GET", "/health").status, 200);
    // Operators' endpoints are on the admin address only, never on the port the Ingress routes.
    EXPECT_EQ(testing_::HttpRequest(gateway_->port, "GET", "/metrics").status, 404);
    EXPECT_EQ(testing_::HttpRequest(gateway_->port, "GET", "/health/ready").status, 404);
    EXPECT_EQ(testing_::HttpRequest(gateway_->admin_port, "GET", "/health").status, 200);
    auto ready = testing_::HttpRequest(gateway_->admin_port, "GET", "/health/ready");
    EXPECT_EQ(ready.status, 200);
    EXPECT_EQ(ready.body,
              R"({"services":{"account":"SERVING","product":"SERVING","order":"SERVING","payment":"SERVING",)"
              R"("recommender":"SERVING"},"status":"ready"})");
    Post("query Named { __typename }");
    auto metrics = testing_::HttpRequest(gateway_->admin_port, "GET", "/metrics");
    EXPECT_NE(metrics.body.find("graphql_requests_total{operation=\"Named\",outcome=\"ok\"} 1"), std::string::npos)
        << metrics.body.substr(metrics.body.find("graphql_requests_total"), 1500);
    EXPECT_NE(metrics.body.find("graphql_request_duration_seconds_count"), std::string::npos);
}

TEST_F(GatewayTest, IntrospectionCanBeSwitchedOff) {
    auto env = DownstreamEnv();
    env["GRAPHQL_INTROSPECTION"] = "false";
    Role closed("gateway", env, false);
    ASSERT_TRUE(closed.ready) << closed.process->Output();
    auto ask = [&](const std::string& query) {
        return testing_::HttpRequest(closed.port, "POST", "/graphql", "{\"query\":" + JsonString(query) + "}",
                                     {"Content-Type: application/json"});
    };
    auto schema = ask("{ __schema { types { name } } }");
    EXPECT_NE(schema.body.find("introspection is disabled"), std::string::npos) << schema.body;
    EXPECT_EQ(schema.body.find("\"types\""), std::string::npos);
    auto hidden = ask("query { ...F } fragment F on Query { __type(name: \"Account\") { name } }");
    EXPECT_NE(hidden.body.find("introspection is disabled"), std::string::npos) << hidden.body;
    EXPECT_EQ(ask("{ __typename }").body, R"({"data":{"__typename":"Query"}})");
}

TEST_F(GatewayTest, GraphQLOverHttpAuditHasNoFailures) {
    testing_::ChildProcess audit({"/usr/bin/env", "node", ORDERSTREAM_AUDIT_SCRIPT,
                                  "http://127.0.0.1:" + std::to_string(gateway_->port) + "/graphql"},
                                 {});
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (audit.Running() && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    int status = audit.Stop(SIGKILL);
    auto output = audit.Output();
    ASSERT_TRUE(WIFEXITED(status)) << output;
    EXPECT_EQ(WEXITSTATUS(status), 0) << output;
    EXPECT_NE(output.find("0 warn (SHOULD), 0 error (MUST)"), std::string::npos) << output;
}

TEST_F(GatewayTest, AccountOrdersAreFetchedInOneBatch) {
    auto admin = Register("Batch Admin", "batch-admin@shop.io");
    for (int i = 0; i < 3; ++i) Register("Batch " + std::to_string(i), "batch" + std::to_string(i) + "@shop.io");
    auto list_orders_calls = [] {
        auto metrics = testing_::HttpRequest(order_->admin_port, "GET", "/metrics").body;
        std::smatch match;
        std::regex pattern(R"(grpc_server_handled_total\{method="pb.OrderService/ListOrders",code="OK"\} (\d+))");
        return std::regex_search(metrics, match, pattern) ? std::stol(match[1]) : -1L;
    };
    auto before = list_orders_calls();
    auto all = Post("{ accounts(pagination: {skip: 0, take: 50}) { email Orders { id } } }", admin);
    EXPECT_EQ(all.body.find("errors"), std::string::npos) << all.body;
    EXPECT_NE(all.body.find("batch2@shop.io"), std::string::npos);
    EXPECT_EQ(list_orders_calls(), before + 1);
}

}  // namespace
