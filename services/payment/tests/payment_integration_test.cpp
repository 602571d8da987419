// Black-box tests of the payment role: the real account, product, order and payment
// processes on fresh databases with the test Kafka broker; Dodo Payments is the local fake
// (FakeDodo) or the built-in sandbox. Webhooks are signed exactly as Dodo signs them.
#include <signal.h>

#include <chrono>
#include <future>
#include <thread>

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include "account.grpc.pb.h"
#include "fake_dodo.hpp"
#include "order.grpc.pb.h"
#include "orderstream/testing/process.hpp"
#include "orderstream/testing/role.hpp"
#include "orderstream/testing/service_calls.hpp"
#include "payment.grpc.pb.h"
#include "product.grpc.pb.h"
#include "webhook_signature.hpp"

namespace {

using orderstream::payment::SignatureVerifier;
using orderstream::payment::testing::FakeDodo;
using orderstream::testing::HttpRequest;
using orderstream::testing::RoleProcess;
using namespace std::chrono_literals;

const std::string kWebhookSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

template <typename Predicate>
bool Eventually(Predicate&& done, std::chrono::milliseconds timeout = 20s) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (done()) return true;
        std::this_thread::sleep_for(50ms);
    }
    return done();
}

std::int64_t NowSeconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// The platform a payment test needs; `dodo` selects Dodo mode (against the fake) over the sandbox.
class Platform {
public:
    explicit Platform(FakeDodo* dodo) {
        account_ = std::make_unique<RoleProcess>("account", std::map<std::string, std::string>{});
        product_ = std::make_unique<RoleProcess>("product", std::map<std::string, std::string>{});
        order_ = std::make_unique<RoleProcess>(
            "order", std::map<std::string, std::string>{{"ACCOUNT_URL", account_->address()},
                                                         {"PRODUCT_URL", product_->address()}});
        http_port_ = orderstream::testing::FreePort();
        std::map<std::string, std::string> env{
            {"ORDER_SERVICE_URL", order_->address()},
            {"PAYMENT_HTTP_LISTEN", "127.0.0.1:" + std::to_string(http_port_)},
            {"DODO_WEBHOOK_SECRET", kWebhookSecret}};
        if (dodo != nullptr) {
            env["DODO_API_KEY"] = dodo->api_key();
            env["DODO_PAYMENTS_BASE_URL"] = dodo->base_url();
        }
        payment_ = std::make_unique<RoleProcess>("payment", env);
        auto channel = [](const RoleProcess& role) {
            return grpc::CreateChannel(role.address(), grpc::InsecureChannelCredentials());
        };
        accounts = pb::AccountService::NewStub(channel(*account_));
        products = pb::ProductService::NewStub(channel(*product_));
        orders = pb::OrderService::NewStub(channel(*order_));
        payments = pb::PaymentService::NewStub(channel(*payment_));
    }

    bool ready() const { return account_->ready() && product_->ready() && order_->ready() && payment_->ready(); }
    std::string Logs() const { return order_->Output() + payment_->Output(); }
    RoleProcess& order_role() { return *order_; }
    int http_port() const { return http_port_; }

    std::uint64_t Register(const std::string& email) { return orderstream::testing::RegisterAccount(*accounts, email); }

    std::string NewProduct(const std::string& name, double price) {
        return orderstream::testing::CreateProduct(*products, name, price);
    }

    pb::Order Place(std::uint64_t account, const std::vector<std::pair<std::string, std::uint32_t>>& lines) {
        grpc::ClientContext context;
        pb::PostOrderRequest request;
        request.set_accountid(account);
        for (const auto& [id, quantity] : lines) {
            auto* line = request.add_products();
            line->set_id(id);
            line->set_quantity(quantity);
        }
        pb::PostOrderResponse response;
        auto status = orders->PostOrder(&context, request, &response);
        EXPECT_TRUE(status.ok()) << status.error_message();
        return response.order();
    }

    std::string OrderStatus(std::uint64_t order_id) {
        grpc::ClientContext context;
        google::protobuf::UInt64Value id;
        id.set_value(order_id);
        pb::PostOrderResponse response;
        if (!orders->GetOrder(&context, id, &response).ok()) return "?";
        return response.order().status();
    }

    grpc::Status Checkout(std::uint64_t account, std::uint64_t order_id, std::string* url,
                          const std::string& redirect = "http://localhost:3000/success") {
        grpc::ClientContext context;
        pb::CheckoutRequest request;
        request.set_userid(account);
        request.set_orderid(order_id);
        request.set_name("Buyer");
        request.set_email("buyer@shop.io");
        request.set_redirecturl(redirect);
        google::protobuf::StringValue response;
        auto status = payments->CreateCheckoutSession(&context, request, &response);
        if (url != nullptr) *url = response.value();
        return status;
    }

    grpc::Status Portal(std::uint64_t account, std::string* url, const std::string& email = "buyer@shop.io") {
        grpc::ClientContext context;
        pb::CustomerPortalRequest request;
        request.set_userid(account);
        request.set_name("Buyer");
        request.set_email(email);
        google::protobuf::StringValue response;
        auto status = payments->CreateCustomerPortalSession(&context, request, &response);
        if (url != nullptr) *url = response.value();
        return status;
    }

    long Count(const std::string& sql) {
        pqxx::connection conn(payment_->database_url());
        pqxx::nontransaction tx(conn);
        return tx.exec1(sql)[0].as<long>();
    }

    std::string Text(const std::string& sql) {
        pqxx::connection conn(payment_->database_url());
        pqxx::nontransaction tx(conn);
        auto field = tx.exec1(sql)[0];
        return field.is_null() ? "NULL" : field.as<std::string>();
    }

    // Posts a webhook delivery signed with `secret` at `timestamp`.
    orderstream::testing::HttpReply Deliver(const std::string& id, const std::string& body,
                                            std::int64_t timestamp = NowSeconds(),
                                            const std::string& secret = kWebhookSecret) {
        auto signer = SignatureVerifier::FromSecret(secret);
        EXPECT_TRUE(signer.ok());
        return HttpRequest(http_port_, "POST", "/webhooks/dodo", body,
                           {"Content-Type: application/json", "webhook-id: " + id,
                            "webhook-timestamp: " + std::to_string(timestamp),
                            "webhook-signature: " + signer->Sign(id, timestamp, body)});
    }

    std::unique_ptr<pb::AccountService::Stub> accounts;
    std::unique_ptr<pb::ProductService::Stub> products;
    std::unique_ptr<pb::OrderService::Stub> orders;
    std::unique_ptr<pb::PaymentService::Stub> payments;

private:
    std::unique_ptr<RoleProcess> account_, product_, order_, payment_;
    int http_port_ = 0;
};

std::string PaymentEvent(const std::string& type, const std::string& session, std::uint64_t order_id,
                         std::int64_t amount, const std::string& payment_id = "pay_test_1") {
    return R"({"business_id":"bus_1","type":")" + type + R"(","timestamp":"2026-12-01T10:00:00Z","data":{)" +
           R"("payload_type":"Payment","payment_id":")" + payment_id + R"(","status":"succeeded","currency":"USD",)" +
           R"("total_amount":)" + std::to_string(amount) + R"(,"settlement_amount":)" + std::to_string(amount - 30) +
           R"(,"settlement_currency":"USD","checkout_session_id":")" + session +
           R"(","metadata":{"order_id":")" + std::to_string(order_id) + R"(","user_id":"1"}}})";
}

class DodoPaymentTest : public ::testing::Test {
protected:
    void SetUp() override {
        dodo_ = std::make_unique<FakeDodo>();
        platform_ = std::make_unique<Platform>(dodo_.get());
        ASSERT_TRUE(platform_->ready()) << platform_->Logs();
    }
    void TearDown() override {
        if (HasFailure()) std::fprintf(stderr, "--- logs ---\n%s\n", platform_->Logs().c_str());
    }

    // The fake's product registered for our product id, once the mirror has synced it.
    std::optional<orderstream::payment::testing::FakeProduct> Mirrored(const std::string& product_id) {
        for (const auto& product : dodo_->products()) {
            auto it = product.metadata.find("product_id");
            if (it != product.metadata.end() && it->second == product_id) return product;
        }
        return std::nullopt;
    }

    std::unique_ptr<FakeDodo> dodo_;
    std::unique_ptr<Platform> platform_;
};

TEST_F(DodoPaymentTest, ProductEventsAreMirroredToTheProviderWithItsIds) {
    auto lamp = platform_->NewProduct("Desk Lamp", 25.99);
    ASSERT_TRUE(Eventually([&] { return Mirrored(lamp).has_value(); }));
    auto mirrored = *Mirrored(lamp);
    auto created = dodo_->requests("POST", "/products");
    auto ours = std::find_if(created.begin(), created.end(),
                             [&](const auto& r) { return r.body.find(lamp) != std::string::npos; });
    ASSERT_NE(ours, created.end());
    EXPECT_EQ(ours->Header("authorization"), "Bearer " + dodo_->api_key());
    EXPECT_TRUE(ours->JsonEquals(R"({"name":"Desk Lamp","description":"Desk Lamp description",
        "tax_category":"digital_products","price":{"type":"one_time_price","price":2599,"currency":"USD",
        "discount":0,"purchasing_power_parity":false,"tax_inclusive":false},"metadata":{"product_id":")" +
                                 lamp + R"("}})"))
        << ours->body;

    grpc::ClientContext context;
    pb::UpdateProductRequest update;
    update.set_id(lamp);
    update.set_name("Desk Lamp XL");
    update.set_description("Bigger");
    update.set_price(31.50);
    update.set_accountid(99);
    pb::ProductResponse updated;
    ASSERT_TRUE(platform_->products->UpdateProduct(&context, update, &updated).ok());
    ASSERT_TRUE(Eventually([&] { return dodo_->product(mirrored.id)->price == 3150; }));
    auto patches = dodo_->requests("PATCH", "/products/" + mirrored.id);
    ASSERT_EQ(patches.size(), 1U);
    EXPECT_EQ(dodo_->product(mirrored.id)->name, "Desk Lamp XL");

    grpc::ClientContext delete_context;
    pb::DeleteProductRequest remove;
    remove.set_productid(lamp);
    remove.set_accountid(99);
    google::protobuf::Empty empty;
    ASSERT_TRUE(platform_->products->DeleteProduct(&delete_context, remove, &empty).ok());
    ASSERT_TRUE(Eventually([&] { return dodo_->product(mirrored.id)->archived; }));
    EXPECT_EQ(dodo_->requests("DELETE", "/products/" + mirrored.id).size(), 1U);
    // Exactly one provider product for ours, however many events it took.
    EXPECT_EQ(std::count_if(created.begin(), created.end(),
                            [&](const auto& r) { return r.body.find(lamp) != std::string::npos; }),
              1);
}

TEST_F(DodoPaymentTest, CheckoutThenASignedWebhookPaysTheOrderExactlyOnce) {
    auto buyer = platform_->Register("buyer@shop.io");
    auto lamp = platform_->NewProduct("Lamp", 12.99);
    auto order = platform_->Place(buyer, {{lamp, 2}});
    std::string url;
    auto status = platform_->Checkout(buyer, order.id(), &url);
    ASSERT_TRUE(status.ok()) << status.error_message();
    auto checkouts = dodo_->checkouts();
    ASSERT_EQ(checkouts.size(), 1U);
    const auto& checkout = checkouts[0];
    EXPECT_EQ(url, dodo_->base_url() + "/session/" + checkout.id);

    auto customers = dodo_->requests("POST", "/customers");
    ASSERT_EQ(customers.size(), 1U);
    EXPECT_EQ(customers[0].path, "/customers");
    EXPECT_TRUE(customers[0].JsonEquals(R"({"email":"buyer@shop.io","name":"Buyer","metadata":{"user_id":")" +
                                        std::to_string(buyer) + R"("}})"))
        << customers[0].body;
    auto provider_lamp = Mirrored(lamp);
    ASSERT_TRUE(provider_lamp.has_value());
    auto sent = dodo_->requests("POST", "/checkouts");
    ASSERT_EQ(sent.size(), 1U);
    EXPECT_TRUE(sent[0].JsonEquals(R"({"product_cart":[{"product_id":")" + provider_lamp->id +
                                   R"(","quantity":2}],"customer":{"customer_id":")" + checkout.customer_id +
                                   R"("},"return_url":"http://localhost:3000/success","metadata":{"order_id":")" +
                                   std::to_string(order.id()) + R"(","user_id":")" + std::to_string(buyer) + R"("}})"))
        << sent[0].body;
    EXPECT_EQ(platform_->Text("SELECT status || ' ' || amount_cents || ' ' || currency FROM transactions"),
              "pending 2598 USD");

    auto body = PaymentEvent("payment.succeeded", checkout.id, order.id(), 2598);
    auto reply = platform_->Deliver("msg_paid_1", body);
    EXPECT_EQ(reply.status, 200) << reply.body;
    EXPECT_NE(reply.body.find("applied"), std::string::npos);
    EXPECT_TRUE(Eventually([&] { return platform_->OrderStatus(order.id()) == "paid"; }));
    EXPECT_EQ(platform_->Text("SELECT payment_id || ' ' || status || ' ' || total_amount_cents || ' ' || "
                              "settlement_amount_cents FROM transactions"),
              "pay_test_1 succeeded 2598 2568");

    // The same delivery again (Dodo retries): acknowledged, no second effect.
    reply = platform_->Deliver("msg_paid_1", body);
    EXPECT_EQ(reply.status, 200);
    EXPECT_NE(reply.body.find("duplicate"), std::string::npos);
    EXPECT_EQ(platform_->Count("SELECT count(*) FROM order_status_changes"), 1);
    EXPECT_EQ(platform_->Count("SELECT count(*) FROM webhook_events"), 1);

    // A paid order cannot be checked out again.
    status = platform_->Checkout(buyer, order.id(), nullptr);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << status.error_message();

    // A late "processing" does not move the transaction back; a refund moves the order on.
    reply = platform_->Deliver("msg_late", PaymentEvent("payment.processing", checkout.id, order.id(), 2598));
    EXPECT_EQ(reply.status, 200);
    EXPECT_EQ(platform_->Text("SELECT status FROM transactions"), "succeeded");
    reply = platform_->Deliver("msg_refund_1", R"({"type":"refund.succeeded","data":{"refund_id":"rfn_1",)"
                                               R"("payment_id":"pay_test_1","status":"succeeded","amount":2598}})");
    EXPECT_EQ(reply.status, 200) << reply.body;
    EXPECT_TRUE(Eventually([&] { return platform_->OrderStatus(order.id()) == "refunded"; }));
    EXPECT_EQ(platform_->Text("SELECT status || ' ' || total_amount_cents FROM transactions"), "refunded 2598");
}

TEST_F(DodoPaymentTest, ForgedStaleAndMalformedDeliveriesAreRejectedAndNothingIsStored) {
    auto body = PaymentEvent("payment.succeeded", "cks_x", 1, 100);
    auto forged = platform_->Deliver("msg_forged", body, NowSeconds(), "whsec_" + std::string("QUJDREVGR0hJSktMTU5PUFFSU1RVVldY"));
    EXPECT_EQ(forged.status, 401);
    auto stale = platform_->Deliver("msg_stale", body, NowSeconds() - 301);
    EXPECT_EQ(stale.status, 401);
    EXPECT_NE(stale.body.find("timestamp"), std::string::npos) << stale.body;
    auto future = platform_->Deliver("msg_future", body, NowSeconds() + 301);
    EXPECT_EQ(future.status, 401);
    auto unsigned_delivery = HttpRequest(platform_->http_port(), "POST", "/webhooks/dodo", body,
                                         {"Content-Type: application/json", "webhook-id: msg_u",
                                          "webhook-timestamp: " + std::to_string(NowSeconds())});
    EXPECT_EQ(unsigned_delivery.status, 401);
    EXPECT_NE(unsigned_delivery.body.find("webhook-signature"), std::string::npos) << unsigned_delivery.body;
    // Signed by the provider but not readable: 400 and not stored.
    auto malformed = platform_->Deliver("msg_bad", R"({"type":"payment.succeeded","data":{"payment_id":"p","total_amount":"9"}})");
    EXPECT_EQ(malformed.status, 400);
    EXPECT_NE(malformed.body.find("total_amount"), std::string::npos) << malformed.body;
    EXPECT_EQ(HttpRequest(platform_->http_port(), "GET", "/webhooks/dodo").status, 405);
    EXPECT_EQ(platform_->Count("SELECT count(*) FROM webhook_events"), 0);

    // Types we do not act on are stored and acknowledged.
    auto dispute = platform_->Deliver("msg_dispute", R"({"type":"dispute.opened","data":{"dispute_id":"dsp_1"}})");
    EXPECT_EQ(dispute.status, 200);
    EXPECT_EQ(platform_->Text("SELECT type FROM webhook_events"), "dispute.opened");
    EXPECT_EQ(platform_->Count("SELECT count(*) FROM order_status_changes"), 0);
}

TEST_F(DodoPaymentTest, OnlyTheOwnerMayPayAnOrderAndBadRequestsStoreNothing) {
    auto buyer = platform_->Register("buyer@shop.io");
    auto other = platform_->Register("other@shop.io");
    auto lamp = platform_->NewProduct("Lamp", 5.00);
    auto order = platform_->Place(buyer, {{lamp, 1}});
    auto status = platform_->Checkout(other, order.id(), nullptr);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED) << status.error_message();
    status = platform_->Checkout(buyer, 987654, nullptr);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND) << status.error_message();
    status = platform_->Checkout(buyer, order.id(), nullptr, "localhost:3000/success");
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_EQ(status.error_message(), "redirectURL must be an absolute http or https URL");
    status = platform_->Checkout(0, order.id(), nullptr);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);

    grpc::ClientContext context;
    pb::CheckoutRequest mismatched;
    mismatched.set_userid(buyer);
    mismatched.set_orderid(order.id());
    mismatched.set_name("Buyer");
    mismatched.set_email("buyer@shop.io");
    mismatched.set_redirecturl("https://shop.example/done");
    auto* item = mismatched.add_products();
    item->set_productid(lamp);
    item->set_quantity(5);
    google::protobuf::StringValue url;
    status = platform_->payments->CreateCheckoutSession(&context, mismatched, &url);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);

    status = platform_->Portal(buyer, nullptr, "not-an-email");
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_EQ(status.error_message(), "email must be an email address");

    EXPECT_EQ(platform_->Count("SELECT count(*) FROM transactions"), 0);
    EXPECT_EQ(platform_->Count("SELECT count(*) FROM customers"), 0);
    EXPECT_TRUE(dodo_->requests("POST", "/checkouts").empty());
    EXPECT_TRUE(dodo_->requests("", "/customers").empty());
}

TEST_F(DodoPaymentTest, ConcurrentFirstRequestsCreateOneProviderCustomer) {
    auto buyer = platform_->Register("racer@shop.io");
    std::vector<std::future<std::pair<grpc::Status, std::string>>> calls;
    for (int i = 0; i < 8; ++i) {
        calls.push_back(std::async(std::launch::async, [&] {
            std::string url;
            auto status = platform_->Portal(buyer, &url, "racer@shop.io");
            return std::make_pair(status, url);
        }));
    }
    for (auto& call : calls) {
        auto [status, url] = call.get();
        EXPECT_TRUE(status.ok()) << status.error_message();
        EXPECT_TRUE(url.starts_with(dodo_->base_url() + "/portal/")) << url;
    }
    auto requests = dodo_->requests("POST", "/customers");
    EXPECT_EQ(std::count_if(requests.begin(), requests.end(), [](const auto& r) { return r.path == "/customers"; }), 1);
    EXPECT_EQ(dodo_->customers().size(), 1U);
    EXPECT_EQ(platform_->Count("SELECT count(*) FROM customers"), 1);
    auto portal = dodo_->requests("POST", "/customers/" + dodo_->customers()[0].id + "/customer-portal/session");
    EXPECT_EQ(portal.size(), 8U);
}

TEST_F(DodoPaymentTest, ProviderThrottlingIsRetriedAndOutagesStoreNothing) {
    auto buyer = platform_->Register("buyer@shop.io");
    auto lamp = platform_->NewProduct("Lamp", 7.00);
    auto order = platform_->Place(buyer, {{lamp, 1}});
    dodo_->FailNext("/checkouts", 429, 1, std::chrono::seconds(1));
    std::string url;
    auto status = platform_->Checkout(buyer, order.id(), &url);
    ASSERT_TRUE(status.ok()) << status.error_message();
    auto attempts = dodo_->requests("POST", "/checkouts");
    ASSERT_EQ(attempts.size(), 2U);
    EXPECT_EQ(attempts[0].status, 429);
    EXPECT_GE(attempts[1].received_at - attempts[0].received_at, std::chrono::milliseconds(900));
    EXPECT_EQ(platform_->Count("SELECT count(*) FROM transactions"), 1);

    dodo_->FailNext("/checkouts", 500, 10);
    status = platform_->Checkout(buyer, order.id(), &url);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE) << status.error_message();
    EXPECT_EQ(platform_->Count("SELECT count(*) FROM transactions"), 1);
}

TEST_F(DodoPaymentTest, AWebhookWhileTheOrderServiceIsDownIsAppliedWhenItReturns) {
    auto buyer = platform_->Register("buyer@shop.io");
    auto lamp = platform_->NewProduct("Lamp", 3.00);
    auto order = platform_->Place(buyer, {{lamp, 1}});
    ASSERT_TRUE(platform_->Checkout(buyer, order.id(), nullptr).ok());
    auto session = dodo_->checkouts()[0].id;

    platform_->order_role().Stop(SIGKILL);
    auto reply = platform_->Deliver("msg_down_1", PaymentEvent("payment.succeeded", session, order.id(), 300));
    EXPECT_EQ(reply.status, 200) << reply.body;  // durably recorded, so acknowledged
    ASSERT_TRUE(Eventually([&] {
        return platform_->Count("SELECT count(*) FROM order_status_changes WHERE state = 'pending' AND attempts > 0") == 1;
    }));

    ASSERT_TRUE(platform_->order_role().Start()) << platform_->order_role().Output();
    EXPECT_TRUE(Eventually([&] { return platform_->OrderStatus(order.id()) == "paid"; }, 60s));
    EXPECT_EQ(platform_->Text("SELECT state FROM order_status_changes"), "applied");
}

// The whole flow with the built-in sandbox, as a browser would drive it.
class SandboxPaymentTest : public ::testing::Test {
protected:
    void SetUp() override {
        platform_ = std::make_unique<Platform>(nullptr);
        ASSERT_TRUE(platform_->ready()) << platform_->Logs();
    }
    void TearDown() override {
        if (HasFailure()) std::fprintf(stderr, "--- logs ---\n%s\n", platform_->Logs().c_str());
    }
    std::string PathOf(const std::string& url) {
        auto prefix = "http://127.0.0.1:" + std::to_string(platform_->http_port());
        EXPECT_TRUE(url.starts_with(prefix)) << url;
        return url.substr(prefix.size());
    }
    std::unique_ptr<Platform> platform_;
};

TEST_F(SandboxPaymentTest, DeclineThenPayMovesTheOrderFromFailedToPaid) {
    auto buyer = platform_->Register("buyer@shop.io");
    auto lamp = platform_->NewProduct("Lamp <Deluxe>", 12.99);
    auto order = platform_->Place(buyer, {{lamp, 2}});

    std::string url;
    ASSERT_TRUE(platform_->Checkout(buyer, order.id(), &url, "http://localhost:3000/success?from=shop").ok());
    auto page = HttpRequest(platform_->http_port(), "GET", PathOf(url));
    ASSERT_EQ(page.status, 200) << page.body;
    EXPECT_NE(page.body.find("25.98 USD"), std::string::npos) << page.body;
    EXPECT_NE(page.body.find("Lamp &lt;Deluxe&gt;"), std::string::npos) << page.body;
    EXPECT_NE(page.body.find("/decline"), std::string::npos);

    auto declined = HttpRequest(platform_->http_port(), "POST", PathOf(url) + "/decline");
    EXPECT_EQ(declined.status, 303) << declined.body;
    EXPECT_NE(declined.headers.find("Location: http://localhost:3000/success?from=shop&payment_id=pay_"),
              std::string::npos)
        << declined.headers;
    EXPECT_NE(declined.headers.find("&status=failed"), std::string::npos);
    EXPECT_TRUE(Eventually([&] { return platform_->OrderStatus(order.id()) == "failed"; }));
    // The same page cannot be completed twice.
    EXPECT_EQ(HttpRequest(platform_->http_port(), "POST", PathOf(url) + "/pay").status, 409);

    ASSERT_TRUE(platform_->Checkout(buyer, order.id(), &url).ok());
    auto paid = HttpRequest(platform_->http_port(), "POST", PathOf(url) + "/pay");
    EXPECT_EQ(paid.status, 303) << paid.body;
    EXPECT_NE(paid.headers.find("&status=succeeded"), std::string::npos) << paid.headers;
    EXPECT_TRUE(Eventually([&] { return platform_->OrderStatus(order.id()) == "paid"; }));
    EXPECT_EQ(platform_->Count("SELECT count(*) FROM webhook_events WHERE outcome = 'applied'"), 2);

    std::string portal;
    ASSERT_TRUE(platform_->Portal(buyer, &portal).ok());
    auto listing = HttpRequest(platform_->http_port(), "GET", PathOf(portal));
    ASSERT_EQ(listing.status, 200);
    EXPECT_NE(listing.body.find("succeeded"), std::string::npos) << listing.body;
    EXPECT_NE(listing.body.find("failed"), std::string::npos) << listing.body;
    EXPECT_EQ(HttpRequest(platform_->http_port(), "GET", "/sandbox/portal/pss_nope").status, 404);
    EXPECT_EQ(HttpRequest(platform_->http_port(), "GET", "/sandbox/checkout/..%2F").status, 404);
}

// Pay pressed several times at once (double clicks, several tabs): the sandbox's workers run
// them concurrently, exactly one completes the session and one payment reaches the order.
TEST_F(SandboxPaymentTest, ConcurrentPressesOfPayCompleteTheSessionOnce) {
    auto buyer = platform_->Register("clicker@shop.io");
    auto mug = platform_->NewProduct("Mug", 4.5);
    auto order = platform_->Place(buyer, {{mug, 1}});
    std::string url;
    ASSERT_TRUE(platform_->Checkout(buyer, order.id(), &url).ok());

    std::vector<std::future<int>> presses;
    for (int i = 0; i < 6; ++i) {
        presses.push_back(std::async(std::launch::async, [&] {
            return HttpRequest(platform_->http_port(), "POST", PathOf(url) + "/pay").status;
        }));
    }
    int completed = 0;
    int refused = 0;
    for (auto& press : presses) {
        auto status = press.get();
        if (status == 303) ++completed;
        if (status == 409) ++refused;
    }
    EXPECT_EQ(completed, 1);
    EXPECT_EQ(refused, 5);
    EXPECT_TRUE(Eventually([&] { return platform_->OrderStatus(order.id()) == "paid"; }));
    EXPECT_EQ(platform_->Count("SELECT count(*) FROM webhook_events"), 1);
    EXPECT_EQ(platform_->Count("SELECT count(*) FROM transactions WHERE status = 'succeeded'"), 1);
}

}  // namespace

namespace {

// ORDERSTREAM_ENV=production without a Dodo key: the role refuses to start rather than
// serve sandbox pages that mark orders paid; it runs the sandbox only when asked by name.
TEST(PaymentStartup, ProductionRefusesTheSandboxUnlessAskedForByName) {
    orderstream::testing::ChildProcess refused(
        {orderstream::testing::OrderstreamBinary(), "payment"},
        {{"ORDERSTREAM_ENV", "production"},
         {"DODO_API_KEY", ""},
         {"PAYMENT_LISTEN", "127.0.0.1:" + std::to_string(orderstream::testing::FreePort())},
         {"PAYMENT_ADMIN_LISTEN", "127.0.0.1:" + std::to_string(orderstream::testing::FreePort())},
         {"PAYMENT_HTTP_LISTEN", "127.0.0.1:" + std::to_string(orderstream::testing::FreePort())}});
    auto deadline = std::chrono::steady_clock::now() + 15s;
    while (refused.Running() && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(50ms);
    ASSERT_FALSE(refused.Running()) << "the payment role started in production without a provider key";
    EXPECT_NE(refused.Output().find("DODO_API_KEY: is required when ORDERSTREAM_ENV=production"), std::string::npos)
        << refused.Output();

    orderstream::testing::RoleProcess sandbox(
        "payment", {{"ORDERSTREAM_ENV", "production"},
                    {"DODO_API_KEY", ""},
                    {"PAYMENT_SANDBOX", "true"},
                    {"PAYMENT_HTTP_LISTEN", "127.0.0.1:" + std::to_string(orderstream::testing::FreePort())}});
    ASSERT_TRUE(sandbox.ready()) << sandbox.Output();
    EXPECT_NE(sandbox.Output().find("payment provider: sandbox"), std::string::npos) << sandbox.Output();
}

}  // namespace
