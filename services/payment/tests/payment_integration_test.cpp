// Black-box tests of the payment role: the real account, product, order and payment
// processes on fresh databases with the test Kafka broker; Dodo Payments is the local fake
// (FakeDodo) or the built-in sandbox. Webhooks are signed exactly as Dodo signs them.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstring>

#include <chrono>
#include <future>
#include <set>
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
#include "orderstream/core/uuid.hpp"
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

// The platform a payment test needs; `dodo` selects Dodo mode (against the fake) over the
// sandbox. Every role of it shares a topic prefix of its own (order ids restart at 1 in every
// fresh database, so no other test's events may reach it).
class Platform {
public:
    explicit Platform(FakeDodo* dodo, std::map<std::string, std::string> payment_env = {}) {
        std::map<std::string, std::string> common{{"KAFKA_TOPIC_PREFIX", prefix_}};
        account_ = std::make_unique<RoleProcess>("account", common);
        product_ = std::make_unique<RoleProcess>("product", common);
        auto order_env = common;
        order_env["ACCOUNT_URL"] = account_->address();
        order_env["PRODUCT_URL"] = product_->address();
        order_ = std::make_unique<RoleProcess>("order", order_env);
        http_port_ = orderstream::testing::FreePort();
        auto env = common;
        env["ORDER_SERVICE_URL"] = order_->address();
        env["ACCOUNT_URL"] = account_->address();
        env["PAYMENT_HTTP_LISTEN"] = "127.0.0.1:" + std::to_string(http_port_);
        env["DODO_WEBHOOK_SECRET"] = kWebhookSecret;
        if (dodo != nullptr) {
            env["DODO_API_KEY"] = dodo->api_key();
            env["DODO_PAYMENTS_BASE_URL"] = dodo->base_url();
        }
        for (auto& [name, value] : payment_env) env[name] = value;
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
    RoleProcess& payment_role() { return *payment_; }
    int http_port() const { return http_port_; }

    std::uint64_t Register(const std::string& email) { return orderstream::testing::RegisterAccount(*accounts, email); }

    std::string NewProduct(const std::string& name, double price) {
        return orderstream::testing::CreateProduct(*products, name, price);
    }

    void Reprice(const std::string& product_id, const std::string& name, double price) {
        grpc::ClientContext context;
        pb::UpdateProductRequest update;
        update.set_id(product_id);
        update.set_name(name);
        update.set_description(name + " description");
        update.set_price(price);
        update.set_accountid(99);
        pb::ProductResponse updated;
        auto status = products->UpdateProduct(&context, update, &updated);
        EXPECT_TRUE(status.ok()) << status.error_message();
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

    grpc::Status Cancel(std::uint64_t account, std::uint64_t order_id) {
        grpc::ClientContext context;
        pb::CancelOrderRequest request;
        request.set_orderid(order_id);
        request.set_accountid(account);
        pb::PostOrderResponse response;
        return orders->CancelOrder(&context, request, &response);
    }

    grpc::Status Checkout(std::uint64_t account, std::uint64_t order_id, std::string* url,
                          const std::string& redirect = "http://localhost:3000/success",
                          const std::string& name = "Buyer", const std::string& email = "buyer@shop.io") {
        grpc::ClientContext context;
        pb::CheckoutRequest request;
        request.set_userid(account);
        request.set_orderid(order_id);
        request.set_name(name);
        request.set_email(email);
        request.set_redirecturl(redirect);
        google::protobuf::StringValue response;
        auto status = payments->CreateCheckoutSession(&context, request, &response);
        if (url != nullptr) *url = response.value();
        return status;
    }

    grpc::Status Portal(std::uint64_t account, std::string* url) {
        grpc::ClientContext context;
        pb::CustomerPortalRequest request;
        request.set_userid(account);
        request.set_name("Someone Else");
        request.set_email("someone@else.example");
        google::protobuf::StringValue response;
        auto status = payments->CreateCustomerPortalSession(&context, request, &response);
        if (url != nullptr) *url = response.value();
        return status;
    }

    grpc::Status Refund(std::uint64_t order_id, const std::string& reason = "customer asked") {
        grpc::ClientContext context;
        pb::RefundOrderRequest request;
        request.set_orderid(order_id);
        request.set_reason(reason);
        request.set_requestedby(1);
        pb::RefundOrderResponse response;
        return payments->RefundOrder(&context, request, &response);
    }

    std::vector<pb::Payment> PaymentsOf(std::uint64_t order_id) {
        grpc::ClientContext context;
        pb::ListPaymentsRequest request;
        request.add_orderids(order_id);
        pb::ListPaymentsResponse response;
        EXPECT_TRUE(payments->ListPayments(&context, request, &response).ok());
        return {response.payments().begin(), response.payments().end()};
    }

    std::vector<pb::PaymentAnomaly> Anomalies() {
        grpc::ClientContext context;
        pb::ListAnomaliesRequest request;
        request.set_take(100);
        pb::ListAnomaliesResponse response;
        EXPECT_TRUE(payments->ListAnomalies(&context, request, &response).ok());
        return {response.anomalies().begin(), response.anomalies().end()};
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

    // The session id of the order's one transaction that is still open.
    std::string OpenSession(std::uint64_t order_id) {
        return Text("SELECT checkout_session_id FROM transactions WHERE status = 'pending' AND order_id = " +
                    std::to_string(order_id));
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
    std::string prefix_ = "payment-test-" + orderstream::uuid::NewV7() + ".";
    std::unique_ptr<RoleProcess> account_, product_, order_, payment_;
    int http_port_ = 0;
};

// A payment event as Dodo delivers it for a checkout session (`session` empty: none named).
std::string PaymentEvent(const std::string& type, const std::string& session, std::uint64_t order_id,
                         std::uint64_t user_id, std::int64_t amount, const std::string& payment_id = "pay_test_1",
                         const std::string& currency = "USD") {
    return R"({"business_id":"bus_1","type":")" + type + R"(","timestamp":"2026-12-01T10:00:00Z","data":{)" +
           R"("payload_type":"Payment","payment_id":")" + payment_id + R"(","status":"succeeded","currency":")" +
           currency + R"(","total_amount":)" + std::to_string(amount) + R"(,"settlement_amount":)" +
           std::to_string(amount > 30 ? amount - 30 : 0) + R"(,"settlement_currency":"USD",)" +
           (session.empty() ? std::string() : R"("checkout_session_id":")" + session + R"(",)") +
           R"("metadata":{"order_id":")" + std::to_string(order_id) + R"(","user_id":")" + std::to_string(user_id) +
           R"("}}})";
}

std::string RefundEvent(const std::string& payment_id, const std::string& refund_id, std::int64_t amount) {
    return R"({"type":"refund.succeeded","timestamp":"2026-12-01T10:00:00Z","data":{"payload_type":"Refund",)"
           R"("refund_id":")" + refund_id + R"(","payment_id":")" + payment_id + R"(","status":"succeeded","amount":)" +
           std::to_string(amount) + R"(,"currency":"USD"}})";
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

// Point 1: the charge is the order's total from its own line snapshot, whatever the catalog or
// the provider's copy of a product says when the buyer checks out.
TEST_F(DodoPaymentTest, ACheckoutChargesTheOrdersOwnTotalWhateverThePriceIsNow) {
    auto buyer = platform_->Register("buyer@shop.io");
    auto lamp = platform_->NewProduct("Lamp", 100.00);
    auto pen = platform_->NewProduct("Pen", 1.00);
    auto dear = platform_->Place(buyer, {{lamp, 1}});
    auto cheap = platform_->Place(buyer, {{pen, 3}});
    platform_->Reprice(lamp, "Lamp", 0.01);   // a price drop after ordering
    platform_->Reprice(pen, "Pen", 999.99);   // and a rise; the checkouts come at once, no waiting
    std::string url;
    ASSERT_TRUE(platform_->Checkout(buyer, dear.id(), &url).ok());
    ASSERT_TRUE(platform_->Checkout(buyer, cheap.id(), &url).ok());

    auto order_products = dodo_->requests("POST", "/products");
    auto order_product = std::find_if(order_products.begin(), order_products.end(), [](const auto& r) {
        return r.body.find("\"pay_what_you_want\":true") != std::string::npos;
    });
    ASSERT_NE(order_product, order_products.end());
    auto sent = dodo_->requests("POST", "/checkouts");
    ASSERT_EQ(sent.size(), 2U);
    std::map<std::string, std::int64_t> totals;
    for (const auto& checkout : dodo_->checkouts()) totals[checkout.metadata.at("order_id")] = checkout.total;
    EXPECT_EQ(totals[std::to_string(dear.id())], 10000) << "a 100.00 order charged after the price fell to 0.01";
    EXPECT_EQ(totals[std::to_string(cheap.id())], 300) << "a 3.00 order charged after the price rose";
    auto customer = dodo_->checkouts()[0].customer_id;
    auto product_id = dodo_->checkouts()[0].cart[0].first;
    EXPECT_TRUE(sent[0].JsonEquals(R"({"product_cart":[{"product_id":")" + product_id +
                                   R"(","quantity":1,"amount":10000}],"customer":{"customer_id":")" + customer +
                                   R"("},"return_url":"http://localhost:3000/success","metadata":{"order_id":")" +
                                   std::to_string(dear.id()) + R"(","user_id":")" + std::to_string(buyer) + R"("}})"))
        << sent[0].body;
    EXPECT_EQ(platform_->Count("SELECT count(*) FROM order_products"), 1) << "one pay-what-you-want product per currency";
}

// Point 7: the billing identity at the provider is the account's, whatever the input says.
TEST_F(DodoPaymentTest, TheBillingIdentityIsTheAccountsOwn) {
    auto buyer = platform_->Register("buyer@shop.io");
    auto lamp = platform_->NewProduct("Lamp", 5);
    auto order = platform_->Place(buyer, {{lamp, 1}});
    ASSERT_TRUE(
        platform_->Checkout(buyer, order.id(), nullptr, "http://localhost:3000/x", "Mallory", "mallory@evil.example").ok());
    auto customers = dodo_->requests("POST", "/customers");
    ASSERT_EQ(customers.size(), 1U);
    EXPECT_TRUE(customers[0].JsonEquals(R"({"email":"buyer@shop.io","name":"Buyer","metadata":{"user_id":")" +
                                        std::to_string(buyer) + R"("}})"))
        << customers[0].body;
}

// Point 2: a signed delivery is checked against the transaction it names before anything
// changes; a mismatch pays nothing, is recorded and the money taken goes back.
TEST_F(DodoPaymentTest, ASignedPaymentOfTheWrongAmountCurrencyOrOrderPaysNothingAndIsRefunded) {
    auto buyer = platform_->Register("buyer@shop.io");
    auto victim = platform_->Register("victim@shop.io");
    auto lamp = platform_->NewProduct("Lamp", 100.00);
    auto low = platform_->Place(buyer, {{lamp, 1}});
    auto yen = platform_->Place(buyer, {{lamp, 1}});
    auto theirs = platform_->Place(victim, {{lamp, 1}});
    auto mine = platform_->Place(buyer, {{lamp, 1}});
    for (const auto& order : {low, yen, mine}) ASSERT_TRUE(platform_->Checkout(buyer, order.id(), nullptr).ok());

    struct Attempt {
        std::string body;
        std::string payment_id;
        std::int64_t taken;
    };
    std::vector<Attempt> attempts = {
        {PaymentEvent("payment.succeeded", platform_->OpenSession(low.id()), low.id(), buyer, 1, "pay_low"), "pay_low", 1},
        {PaymentEvent("payment.succeeded", platform_->OpenSession(yen.id()), yen.id(), buyer, 10000, "pay_yen", "JPY"),
         "pay_yen", 10000},
        // The buyer's own session, naming the victim's order in the metadata.
        {PaymentEvent("payment.succeeded", platform_->OpenSession(mine.id()), theirs.id(), victim, 10000, "pay_swap"),
         "pay_swap", 10000},
        // No session at all, only the victim's order in the metadata.
        {PaymentEvent("payment.succeeded", "", theirs.id(), victim, 10000, "pay_stray"), "pay_stray", 10000},
    };
    for (std::size_t i = 0; i < attempts.size(); ++i) {
        dodo_->AddPayment({attempts[i].payment_id, attempts[i].taken, "USD", 0});
        auto reply = platform_->Deliver("msg_bad_" + std::to_string(i), attempts[i].body);
        EXPECT_EQ(reply.status, 200) << reply.body;  // acknowledged: the provider must not resend it
        EXPECT_NE(reply.body.find("anomaly"), std::string::npos) << reply.body;
    }
    // Every payment that took money is refunded in full through the provider.
    ASSERT_TRUE(Eventually([&] { return dodo_->refunds().size() == 4; })) << dodo_->refunds().size();
    std::set<std::string> refunded;
    for (const auto& refund : dodo_->refunds()) refunded.insert(refund.payment_id);
    EXPECT_EQ(refunded, (std::set<std::string>{"pay_low", "pay_yen", "pay_swap", "pay_stray"}));
    std::this_thread::sleep_for(500ms);  // time for a wrong status change to arrive, if one were sent
    for (const auto& order : {low, yen, theirs, mine}) {
        EXPECT_EQ(platform_->OrderStatus(order.id()), "pending") << "order " << order.id() << " was paid";
    }
    std::set<std::string> kinds;
    for (const auto& anomaly : platform_->Anomalies()) {
        kinds.insert(anomaly.kind());
        EXPECT_EQ(anomaly.action(), "refund requested") << anomaly.detail();
    }
    EXPECT_EQ(kinds, (std::set<std::string>{"amount_mismatch", "currency_mismatch", "order_mismatch", "unknown_payment"}));
    EXPECT_EQ(platform_->Count("SELECT count(*) FROM outbox WHERE topic = 'payment_events'"), 0);
    EXPECT_EQ(platform_->Count("SELECT count(*) FROM refunds WHERE status = 'pending' AND refund_id IS NOT NULL"), 4);
}

// Points 3 and 4: one open checkout per order, one charge; a payment for an order that cannot
// take it is refunded; a refund applies only to money that was taken, and refunds add up.
TEST_F(DodoPaymentTest, OneOrderIsChargedOnceAndEveryExtraPaymentIsRefunded) {
    auto buyer = platform_->Register("buyer@shop.io");
    auto mug = platform_->NewProduct("Mug", 6.00);
    auto order = platform_->Place(buyer, {{mug, 1}});
    std::vector<std::future<std::pair<grpc::Status, std::string>>> calls;
    for (int i = 0; i < 10; ++i) {
        calls.push_back(std::async(std::launch::async, [&] {
            std::string url;
            auto status = platform_->Checkout(buyer, order.id(), &url);
            return std::make_pair(status, url);
        }));
    }
    std::set<std::string> urls;
    for (auto& call : calls) {
        auto [status, url] = call.get();
        ASSERT_TRUE(status.ok()) << status.error_message();
        urls.insert(url);
    }
    EXPECT_EQ(urls.size(), 1U) << "ten checkouts of one order gave several payable sessions";
    EXPECT_EQ(dodo_->checkouts().size(), 1U);
    EXPECT_EQ(platform_->Count("SELECT count(*) FROM transactions"), 1);
    auto session = dodo_->checkouts()[0].id;

    // A refund for a payment that never happened changes nothing.
    auto premature = platform_->Deliver("msg_early_refund", RefundEvent("pay_never", "ref_never", 600));
    EXPECT_EQ(premature.status, 200);
    EXPECT_NE(premature.body.find("anomaly"), std::string::npos) << premature.body;

    dodo_->AddPayment({"pay_1", 600, "USD", 0});
    dodo_->AddPayment({"pay_2", 600, "USD", 0});
    auto paid = platform_->Deliver("msg_paid_1", PaymentEvent("payment.succeeded", session, order.id(), buyer, 600, "pay_1"));
    EXPECT_NE(paid.body.find("applied"), std::string::npos) << paid.body;
    EXPECT_EQ(platform_->Deliver("msg_paid_1", PaymentEvent("payment.succeeded", session, order.id(), buyer, 600, "pay_1"))
                  .body.find("duplicate") != std::string::npos,
              true);
    ASSERT_TRUE(Eventually([&] { return platform_->OrderStatus(order.id()) == "paid"; }));
    EXPECT_EQ(platform_->Checkout(buyer, order.id(), nullptr).error_code(), grpc::StatusCode::FAILED_PRECONDITION);

    // The same session paid a second time (a real provider cannot always stop it): refunded.
    auto again = platform_->Deliver("msg_paid_2", PaymentEvent("payment.succeeded", session, order.id(), buyer, 600, "pay_2"));
    EXPECT_NE(again.body.find("anomaly"), std::string::npos) << again.body;
    ASSERT_TRUE(Eventually([&] { return dodo_->refunds().size() == 1; }));
    EXPECT_EQ(dodo_->refunds()[0].payment_id, "pay_2");
    auto extra_refund = dodo_->refunds()[0].id;
    platform_->Deliver("msg_refund_extra", RefundEvent("pay_2", extra_refund, 600));
    std::this_thread::sleep_for(500ms);
    EXPECT_EQ(platform_->OrderStatus(order.id()), "paid") << "giving back the extra payment refunded the order";

    // Partial refunds of the order's payment add up; the order is refunded once they reach it.
    platform_->Deliver("msg_partial_1", RefundEvent("pay_1", "ref_p1", 200));
    ASSERT_TRUE(Eventually([&] {
        return platform_->Text("SELECT status || ' ' || refunded_amount_cents FROM transactions WHERE payment_id = 'pay_1'") ==
               "partially_refunded 200";
    }));
    EXPECT_EQ(platform_->OrderStatus(order.id()), "paid");
    auto too_much = platform_->Deliver("msg_partial_2", RefundEvent("pay_1", "ref_p2", 401));
    EXPECT_NE(too_much.body.find("anomaly"), std::string::npos) << too_much.body;
    platform_->Deliver("msg_partial_3", RefundEvent("pay_1", "ref_p3", 400));
    EXPECT_TRUE(Eventually([&] { return platform_->OrderStatus(order.id()) == "refunded"; }));

    // A refunded order cannot be paid again: a late payment on its session is refunded too.
    dodo_->AddPayment({"pay_3", 600, "USD", 0});
    platform_->Deliver("msg_paid_3", PaymentEvent("payment.succeeded", session, order.id(), buyer, 600, "pay_3"));
    ASSERT_TRUE(Eventually([&] { return dodo_->refunds().size() == 2; }));
    EXPECT_EQ(dodo_->refunds()[1].payment_id, "pay_3");
    EXPECT_EQ(platform_->OrderStatus(order.id()), "refunded");

    auto payments = platform_->PaymentsOf(order.id());
    std::map<std::string, std::string> by_payment;
    for (const auto& payment : payments) by_payment[payment.paymentid()] = payment.status();
    EXPECT_EQ(by_payment["pay_1"], "refunded");
    std::set<std::string> kinds;
    for (const auto& anomaly : platform_->Anomalies()) kinds.insert(anomaly.kind());
    EXPECT_EQ(kinds, (std::set<std::string>{"refund_for_unknown_payment", "second_payment", "refund_exceeds_payment"}));
    EXPECT_EQ(platform_->Count("SELECT count(*) FROM outbox WHERE topic = 'payment_events' AND type = 'payment.succeeded'"),
              1)
        << "the order service heard of more than one payment";
}

// Point 3: a payment that arrives after the order was cancelled is given back.
TEST_F(DodoPaymentTest, APaymentAfterTheOrderWasCancelledIsRefunded) {
    auto buyer = platform_->Register("buyer@shop.io");
    auto mug = platform_->NewProduct("Mug", 6.00);
    auto order = platform_->Place(buyer, {{mug, 2}});
    ASSERT_TRUE(platform_->Checkout(buyer, order.id(), nullptr).ok());
    auto session = platform_->OpenSession(order.id());
    ASSERT_TRUE(platform_->Cancel(buyer, order.id()).ok());
    // The cancellation reaches the payment service as an event and closes the checkout.
    ASSERT_TRUE(Eventually([&] {
        return platform_->Count("SELECT count(*) FROM transactions WHERE status = 'closed'") == 1;
    }));
    dodo_->AddPayment({"pay_late", 1200, "USD", 0});
    auto late = platform_->Deliver("msg_late", PaymentEvent("payment.succeeded", session, order.id(), buyer, 1200, "pay_late"));
    EXPECT_NE(late.body.find("anomaly"), std::string::npos) << late.body;
    ASSERT_TRUE(Eventually([&] { return dodo_->refunds().size() == 1; }));
    EXPECT_EQ(dodo_->refunds()[0].payment_id, "pay_late");
    EXPECT_EQ(platform_->OrderStatus(order.id()), "cancelled");
    EXPECT_EQ(platform_->Anomalies().at(0).kind(), "payment_for_closed_checkout");
}

// Point 5: an admin's refund is one POST /refunds for the payment, confirmed by the webhook.
TEST_F(DodoPaymentTest, RefundOrderAsksTheProviderOnceAndTheWebhookRefundsTheOrder) {
    auto buyer = platform_->Register("buyer@shop.io");
    auto mug = platform_->NewProduct("Mug", 6.00);
    auto order = platform_->Place(buyer, {{mug, 1}});
    EXPECT_EQ(platform_->Refund(order.id()).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
    ASSERT_TRUE(platform_->Checkout(buyer, order.id(), nullptr).ok());
    dodo_->AddPayment({"pay_r", 600, "USD", 0});
    platform_->Deliver("msg_paid", PaymentEvent("payment.succeeded", platform_->OpenSession(order.id()), order.id(), buyer,
                                               600, "pay_r"));
    ASSERT_TRUE(Eventually([&] { return platform_->OrderStatus(order.id()) == "paid"; }));
    ASSERT_TRUE(platform_->Refund(order.id(), "damaged in transit").ok());
    ASSERT_TRUE(platform_->Refund(order.id(), "clicked twice").ok());  // one refund, however often asked
    ASSERT_TRUE(Eventually([&] { return dodo_->requests("POST", "/refunds").size() == 1; }));
    std::this_thread::sleep_for(300ms);
    auto sent = dodo_->requests("POST", "/refunds");
    ASSERT_EQ(sent.size(), 1U);
    EXPECT_TRUE(sent[0].JsonEquals(R"({"payment_id":"pay_r","reason":"damaged in transit"})")) << sent[0].body;
    EXPECT_EQ(platform_->OrderStatus(order.id()), "paid") << "refunded before the provider confirmed";
    platform_->Deliver("msg_refunded", RefundEvent("pay_r", dodo_->refunds()[0].id, 600));
    EXPECT_TRUE(Eventually([&] { return platform_->OrderStatus(order.id()) == "refunded"; }));
    auto payments = platform_->PaymentsOf(order.id());
    ASSERT_EQ(payments.size(), 1U);
    EXPECT_EQ(payments[0].status(), "refunded");
    EXPECT_EQ(payments[0].refundedcents(), 600);
    EXPECT_EQ(platform_->Refund(order.id()).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(DodoPaymentTest, ForgedStaleAndMalformedDeliveriesAreRejectedAndNothingIsStored) {
    auto body = PaymentEvent("payment.succeeded", "cks_x", 1, 1, 100);
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
    // Bytes after the JSON value are covered by the signature but would be read differently by
    // another parser: refused.
    auto trailing = platform_->Deliver("msg_trailing", body + R"({"type":"payment.failed"})");
    EXPECT_EQ(trailing.status, 400);
    EXPECT_EQ(HttpRequest(platform_->http_port(), "GET", "/webhooks/dodo").status, 405);
    EXPECT_EQ(platform_->Count("SELECT count(*) FROM webhook_events"), 0);

    // Types we do not act on are stored and acknowledged.
    auto dispute = platform_->Deliver("msg_dispute", R"({"type":"dispute.opened","data":{"dispute_id":"dsp_1"}})");
    EXPECT_EQ(dispute.status, 200);
    EXPECT_EQ(platform_->Text("SELECT type FROM webhook_events"), "dispute.opened");
    EXPECT_EQ(platform_->Count("SELECT count(*) FROM outbox"), 0);
}

// Points 1 and 6: nothing to pay, someone else's order, a foreign return address: refused
// with a clear error, and nothing is stored or sent.
TEST_F(DodoPaymentTest, RefusedCheckoutsStoreNothingAndCallNobody) {
    auto buyer = platform_->Register("buyer@shop.io");
    auto other = platform_->Register("other@shop.io");
    auto lamp = platform_->NewProduct("Lamp", 5.00);
    auto gift = platform_->NewProduct("Gift", 0.00);
    auto order = platform_->Place(buyer, {{lamp, 1}});
    auto free_order = platform_->Place(buyer, {{gift, 2}});
    auto status = platform_->Checkout(other, order.id(), nullptr);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED) << status.error_message();
    status = platform_->Checkout(buyer, 987654, nullptr);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND) << status.error_message();
    status = platform_->Checkout(buyer, free_order.id(), nullptr);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
    EXPECT_EQ(status.error_message(),
              "order " + std::to_string(free_order.id()) + " totals 0.00 USD: there is nothing to pay");
    for (const char* redirect : {"https://evil.example/thanks", "http://127.0.0.1:8081@evil.example/",
                                 "http://localhost:3000/\r\nLocation: https://evil.example", "localhost:3000/success"}) {
        status = platform_->Checkout(buyer, order.id(), nullptr, redirect);
        EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << redirect;
        EXPECT_TRUE(status.error_message().starts_with("redirectURL ")) << status.error_message();
    }
    status = platform_->Checkout(0, order.id(), nullptr);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);

    grpc::ClientContext context;
    pb::CheckoutRequest mismatched;
    mismatched.set_userid(buyer);
    mismatched.set_orderid(order.id());
    mismatched.set_redirecturl("http://localhost:3000/done");
    auto* item = mismatched.add_products();
    item->set_productid(lamp);
    item->set_quantity(5);
    google::protobuf::StringValue url;
    status = platform_->payments->CreateCheckoutSession(&context, mismatched, &url);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);

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
            auto status = platform_->Portal(buyer, &url);
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
    ASSERT_EQ(dodo_->customers().size(), 1U);
    EXPECT_EQ(dodo_->customers()[0].email, "racer@shop.io") << "the portal's customer is not the account's";
    EXPECT_EQ(platform_->Count("SELECT count(*) FROM customers"), 1);
    auto portal = dodo_->requests("POST", "/customers/" + dodo_->customers()[0].id + "/customer-portal/session");
    EXPECT_EQ(portal.size(), 8U);
}

TEST_F(DodoPaymentTest, ProviderThrottlingIsRetriedAndOutagesStoreNothing) {
    auto buyer = platform_->Register("buyer@shop.io");
    auto lamp = platform_->NewProduct("Lamp", 7.00);
    auto first = platform_->Place(buyer, {{lamp, 1}});
    auto second = platform_->Place(buyer, {{lamp, 2}});
    dodo_->FailNext("/checkouts", 429, 1, std::chrono::seconds(1));
    std::string url;
    auto status = platform_->Checkout(buyer, first.id(), &url);
    ASSERT_TRUE(status.ok()) << status.error_message();
    auto attempts = dodo_->requests("POST", "/checkouts");
    ASSERT_EQ(attempts.size(), 2U);
    EXPECT_EQ(attempts[0].status, 429);
    EXPECT_GE(attempts[1].received_at - attempts[0].received_at, std::chrono::milliseconds(900));
    EXPECT_EQ(platform_->Count("SELECT count(*) FROM transactions"), 1);

    dodo_->FailNext("/checkouts", 500, 10);
    status = platform_->Checkout(buyer, second.id(), &url);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE) << status.error_message();
    EXPECT_EQ(platform_->Count("SELECT count(*) FROM transactions"), 1);
}

// The order service learns of payments from payment_events: a payment while it is down is
// recorded, acknowledged, and applied when it returns.
TEST_F(DodoPaymentTest, AWebhookWhileTheOrderServiceIsDownIsAppliedWhenItReturns) {
    auto buyer = platform_->Register("buyer@shop.io");
    auto lamp = platform_->NewProduct("Lamp", 3.00);
    auto order = platform_->Place(buyer, {{lamp, 1}});
    ASSERT_TRUE(platform_->Checkout(buyer, order.id(), nullptr).ok());
    auto session = dodo_->checkouts()[0].id;

    platform_->order_role().Stop(SIGKILL);
    auto reply = platform_->Deliver("msg_down_1", PaymentEvent("payment.succeeded", session, order.id(), buyer, 300));
    EXPECT_EQ(reply.status, 200) << reply.body;  // durably recorded, so acknowledged
    EXPECT_EQ(platform_->Count("SELECT count(*) FROM outbox WHERE type = 'payment.succeeded'"), 1);

    ASSERT_TRUE(platform_->order_role().Start()) << platform_->order_role().Output();
    EXPECT_TRUE(Eventually([&] { return platform_->OrderStatus(order.id()) == "paid"; }, 60s));
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
    EXPECT_NE(page.headers.find("frame-ancestors 'none'"), std::string::npos) << page.headers;

    auto declined = HttpRequest(platform_->http_port(), "POST", PathOf(url) + "/decline");
    EXPECT_EQ(declined.status, 303) << declined.body;
    EXPECT_NE(declined.headers.find("Location: http://localhost:3000/success?from=shop&payment_id=pay_"),
              std::string::npos)
        << declined.headers;
    EXPECT_NE(declined.headers.find("&status=failed"), std::string::npos);
    EXPECT_TRUE(Eventually([&] { return platform_->OrderStatus(order.id()) == "failed"; }));
    // The same page cannot be completed twice.
    EXPECT_EQ(HttpRequest(platform_->http_port(), "POST", PathOf(url) + "/pay").status, 409);

    std::string again;
    ASSERT_TRUE(platform_->Checkout(buyer, order.id(), &again).ok());
    EXPECT_NE(again, url) << "a failed attempt's session was handed out again";
    auto paid = HttpRequest(platform_->http_port(), "POST", PathOf(again) + "/pay");
    EXPECT_EQ(paid.status, 303) << paid.body;
    EXPECT_NE(paid.headers.find("&status=succeeded"), std::string::npos) << paid.headers;
    EXPECT_TRUE(Eventually([&] { return platform_->OrderStatus(order.id()) == "paid"; }));
    EXPECT_EQ(platform_->Count("SELECT count(*) FROM webhook_events WHERE outcome LIKE 'applied%'"), 2);
    auto payments = platform_->PaymentsOf(order.id());
    ASSERT_EQ(payments.size(), 2U);
    EXPECT_EQ(payments[0].status(), "succeeded");
    EXPECT_EQ(payments[0].amountcents(), 2598);
    EXPECT_EQ(payments[1].status(), "failed");

    std::string portal;
    ASSERT_TRUE(platform_->Portal(buyer, &portal).ok());
    auto listing = HttpRequest(platform_->http_port(), "GET", PathOf(portal));
    ASSERT_EQ(listing.status, 200);
    EXPECT_NE(listing.body.find("succeeded"), std::string::npos) << listing.body;
    EXPECT_NE(listing.body.find("failed"), std::string::npos) << listing.body;
    EXPECT_EQ(HttpRequest(platform_->http_port(), "GET", "/sandbox/portal/pss_nope").status, 404);
    EXPECT_EQ(HttpRequest(platform_->http_port(), "GET", "/sandbox/checkout/..%2F").status, 404);
}

// Point 1 with the sandbox: the page and the charge are the order's, not today's catalog.
TEST_F(SandboxPaymentTest, ThePageAndTheChargeAreTheOrdersWhateverThePriceIsNow) {
    auto buyer = platform_->Register("buyer@shop.io");
    auto lamp = platform_->NewProduct("Lamp", 100.00);
    auto order = platform_->Place(buyer, {{lamp, 1}});
    platform_->Reprice(lamp, "Lamp", 0.01);
    std::string url;
    ASSERT_TRUE(platform_->Checkout(buyer, order.id(), &url).ok());
    auto page = HttpRequest(platform_->http_port(), "GET", PathOf(url));
    EXPECT_NE(page.body.find("Pay 100.00 USD"), std::string::npos) << page.body;
    EXPECT_EQ(page.body.find("0.01"), std::string::npos) << page.body;
    EXPECT_EQ(HttpRequest(platform_->http_port(), "POST", PathOf(url) + "/pay").status, 303);
    ASSERT_TRUE(Eventually([&] { return platform_->OrderStatus(order.id()) == "paid"; }));
    EXPECT_EQ(platform_->Text("SELECT total_amount_cents FROM transactions"), "10000");
}

// Point 3 with the sandbox: ten checkouts, one session; once the order is paid or cancelled,
// no other session of it completes.
TEST_F(SandboxPaymentTest, OneSessionPerOrderAndNoneOnceTheOrderIsPaidOrCancelled) {
    auto buyer = platform_->Register("buyer@shop.io");
    auto mug = platform_->NewProduct("Mug", 6.00);
    auto order = platform_->Place(buyer, {{mug, 1}});
    std::vector<std::future<std::string>> calls;
    for (int i = 0; i < 10; ++i) {
        calls.push_back(std::async(std::launch::async, [&] {
            std::string url;
            EXPECT_TRUE(platform_->Checkout(buyer, order.id(), &url).ok());
            return url;
        }));
    }
    std::set<std::string> urls;
    for (auto& call : calls) urls.insert(call.get());
    ASSERT_EQ(urls.size(), 1U);
    auto url = *urls.begin();
    // Pay on every copy of the page at once: one charge.
    std::vector<std::future<int>> presses;
    for (int i = 0; i < 10; ++i) {
        presses.push_back(std::async(std::launch::async, [&] {
            return HttpRequest(platform_->http_port(), "POST", PathOf(url) + "/pay").status;
        }));
    }
    int charged = 0;
    for (auto& press : presses) charged += press.get() == 303 ? 1 : 0;
    EXPECT_EQ(charged, 1);
    ASSERT_TRUE(Eventually([&] { return platform_->OrderStatus(order.id()) == "paid"; }));
    EXPECT_EQ(platform_->Count("SELECT count(*) FROM transactions WHERE status = 'succeeded'"), 1);

    // A cancelled order's open checkout expires at the sandbox: Pay no longer charges.
    auto other = platform_->Place(buyer, {{mug, 3}});
    std::string other_url;
    ASSERT_TRUE(platform_->Checkout(buyer, other.id(), &other_url).ok());
    ASSERT_TRUE(platform_->Cancel(buyer, other.id()).ok());
    ASSERT_TRUE(Eventually([&] {
        return platform_->Count("SELECT count(*) FROM transactions WHERE status = 'closed' AND order_id = " +
                                std::to_string(other.id())) == 1;
    }));
    auto refused = HttpRequest(platform_->http_port(), "POST", PathOf(other_url) + "/pay");
    EXPECT_EQ(refused.status, 409) << refused.body;
    EXPECT_NE(refused.body.find("expired"), std::string::npos) << refused.body;
    EXPECT_EQ(platform_->OrderStatus(other.id()), "cancelled");
    EXPECT_EQ(platform_->Count("SELECT count(*) FROM webhook_events"), 1);
}

// Point 5 end to end: an admin's refund through the sandbox, confirmed by its signed webhook.
TEST_F(SandboxPaymentTest, RefundOrderRefundsThroughTheSandbox) {
    auto buyer = platform_->Register("buyer@shop.io");
    auto mug = platform_->NewProduct("Mug", 4.50);
    auto order = platform_->Place(buyer, {{mug, 2}});
    std::string url;
    ASSERT_TRUE(platform_->Checkout(buyer, order.id(), &url).ok());
    ASSERT_EQ(HttpRequest(platform_->http_port(), "POST", PathOf(url) + "/pay").status, 303);
    ASSERT_TRUE(Eventually([&] { return platform_->OrderStatus(order.id()) == "paid"; }));
    ASSERT_TRUE(platform_->Refund(order.id(), "out of stock").ok());
    ASSERT_TRUE(Eventually([&] { return platform_->OrderStatus(order.id()) == "refunded"; }));
    EXPECT_EQ(platform_->Text("SELECT amount_cents || ' ' || reason FROM sandbox_refunds"), "900 out of stock");
    EXPECT_EQ(platform_->Text("SELECT status || ' ' || requested_by FROM refunds"), "succeeded admin 1");
    auto payments = platform_->PaymentsOf(order.id());
    ASSERT_EQ(payments.size(), 1U);
    EXPECT_EQ(payments[0].status(), "refunded");
    EXPECT_EQ(payments[0].refundedcents(), 900);
    EXPECT_TRUE(platform_->Anomalies().empty());
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

// Forwards every connection to 127.0.0.1:<listen> on to 127.0.0.1:<target>: how the test makes
// PAYMENT_PUBLIC_URL (where the sandbox posts its webhooks) reachable only from a given moment.
class TcpForwarder {
public:
    TcpForwarder(int listen_port, int target_port) : target_port_(target_port) {
        listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        int one = 1;
        ::setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        auto address = Loopback(listen_port);
        EXPECT_EQ(::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address), 0) << std::strerror(errno);
        ::listen(listener_, 16);
        acceptor_ = std::thread([this] { Accept(); });
    }
    ~TcpForwarder() {
        stopping_ = true;
        ::shutdown(listener_, SHUT_RDWR);
        acceptor_.join();
        ::close(listener_);
        for (auto& pump : pumps_) pump.join();
    }

private:
    static sockaddr_in Loopback(int port) {
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(static_cast<std::uint16_t>(port));
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        return address;
    }
    void Accept() {
        while (!stopping_) {
            int client = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
            if (client < 0) return;
            int upstream = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
            auto target = Loopback(target_port_);
            if (::connect(upstream, reinterpret_cast<sockaddr*>(&target), sizeof target) != 0) {
                ::close(client);
                ::close(upstream);
                continue;
            }
            pumps_.emplace_back([client, upstream] {
                pollfd fds[2] = {{client, POLLIN, 0}, {upstream, POLLIN, 0}};
                char buffer[16384];
                while (::poll(fds, 2, 10'000) > 0) {
                    int from = (fds[0].revents & (POLLIN | POLLHUP)) ? 0 : 1;
                    auto n = ::read(fds[from].fd, buffer, sizeof buffer);
                    if (n <= 0 || ::write(fds[1 - from].fd, buffer, static_cast<std::size_t>(n)) != n) break;
                }
                ::close(client);
                ::close(upstream);
            });
        }
    }
    int target_port_;
    int listener_ = -1;
    std::atomic<bool> stopping_{false};
    std::thread acceptor_;
    std::vector<std::thread> pumps_;
};

// The sandbox takes the money and queues its webhook in one transaction: a Pay whose
// notification cannot be delivered (the endpoint unreachable, then the role killed) still
// reaches the order, exactly once, when a payment role is back and the endpoint answers.
TEST(SandboxDeliveryTest, APaymentWhoseWebhookCouldNotBeDeliveredPaysTheOrderWhenTheEndpointAnswers) {
    auto public_port = orderstream::testing::FreePort();
    auto public_url = "http://127.0.0.1:" + std::to_string(public_port);
    Platform platform(nullptr, {{"PAYMENT_PUBLIC_URL", public_url}});
    ASSERT_TRUE(platform.ready()) << platform.Logs();
    auto buyer = platform.Register("patient@shop.io");
    auto lamp = platform.NewProduct("Lamp", 19.99);
    auto order = platform.Place(buyer, {{lamp, 1}});
    std::string url;
    ASSERT_TRUE(platform.Checkout(buyer, order.id(), &url).ok());
    ASSERT_TRUE(url.starts_with(public_url)) << url;
    auto path = url.substr(public_url.size());

    auto paid = HttpRequest(platform.http_port(), "POST", path + "/pay");
    EXPECT_EQ(paid.status, 303) << paid.body;  // the money is taken; the notification follows
    EXPECT_EQ(platform.Text("SELECT completed_status FROM sandbox_sessions WHERE kind = 'checkout'"), "succeeded");
    EXPECT_EQ(platform.Count("SELECT count(*) FROM sandbox_deliveries WHERE delivered_at IS NULL"), 1);
    EXPECT_EQ(platform.OrderStatus(order.id()), "pending");

    platform.payment_role().Stop(SIGKILL);  // dies owing the delivery
    TcpForwarder endpoint(public_port, platform.http_port());
    ASSERT_TRUE(platform.payment_role().Start()) << platform.Logs();
    EXPECT_TRUE(Eventually([&] { return platform.OrderStatus(order.id()) == "paid"; }, 40s)) << platform.Logs();
    EXPECT_EQ(platform.Count("SELECT count(*) FROM sandbox_deliveries WHERE delivered_at IS NOT NULL"), 1);
    EXPECT_EQ(platform.Count("SELECT count(*) FROM webhook_events"), 1);
    auto payments = platform.PaymentsOf(order.id());
    ASSERT_EQ(payments.size(), 1U);
    EXPECT_EQ(payments[0].status(), "succeeded");
    EXPECT_EQ(payments[0].amountcents(), 1999);
    EXPECT_TRUE(platform.Anomalies().empty());
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

    orderstream::testing::ChildProcess no_origins(
        {orderstream::testing::OrderstreamBinary(), "payment"},
        {{"ORDERSTREAM_ENV", "production"},
         {"DODO_API_KEY", ""},
         {"PAYMENT_SANDBOX", "true"},
         {"JWT_SECRET", "payment-startup-test-secret-0123456789"},
         {"PAYMENT_LISTEN", "127.0.0.1:" + std::to_string(orderstream::testing::FreePort())},
         {"PAYMENT_ADMIN_LISTEN", "127.0.0.1:" + std::to_string(orderstream::testing::FreePort())},
         {"PAYMENT_HTTP_LISTEN", "127.0.0.1:" + std::to_string(orderstream::testing::FreePort())}});
    deadline = std::chrono::steady_clock::now() + 15s;
    while (no_origins.Running() && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(50ms);
    ASSERT_FALSE(no_origins.Running()) << "the payment role started in production without the shop's origins";
    EXPECT_NE(no_origins.Output().find("PAYMENT_ALLOWED_RETURN_ORIGINS: is required"), std::string::npos)
        << no_origins.Output();

    orderstream::testing::RoleProcess sandbox(
        "payment", {{"ORDERSTREAM_ENV", "production"},
                    {"DODO_API_KEY", ""},
                    {"PAYMENT_SANDBOX", "true"},
                    {"PAYMENT_ALLOWED_RETURN_ORIGINS", "https://shop.example"},
                    {"PAYMENT_HTTP_LISTEN", "127.0.0.1:" + std::to_string(orderstream::testing::FreePort())}});
    ASSERT_TRUE(sandbox.ready()) << sandbox.Output();
    EXPECT_NE(sandbox.Output().find("payment provider: sandbox"), std::string::npos) << sandbox.Output();
}

}  // namespace
