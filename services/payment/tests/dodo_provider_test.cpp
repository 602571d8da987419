#include "dodo_provider.hpp"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <set>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fake_dodo.hpp"
#include "orderstream/core/config.hpp"

namespace {

using namespace std::chrono_literals;
using orderstream::ErrorCode;
using orderstream::payment::CheckoutRequest;
using orderstream::payment::CustomerRequest;
using orderstream::payment::DodoOptions;
using orderstream::payment::DodoProvider;
using orderstream::payment::ProductSpec;
using orderstream::payment::testing::ScriptedFailure;
using orderstream::payment::testing::FakeDodo;
using orderstream::payment::testing::RecordedRequest;
using orderstream::payment::testing::SilentServer;
using testing::HasSubstr;
using testing::Not;
using testing::StartsWith;

DodoOptions FastOptions(const std::string& api_key, const std::string& base_url) {
    DodoOptions options;
    options.api_key = api_key;
    options.base_url = base_url;
    options.connect_timeout = 2s;
    options.total_timeout = 5s;
    options.retry_base_delay = 1ms;  // so any long pause in a test can only come from Retry-After
    options.retry_max_delay = 5ms;
    return options;
}

ProductSpec Mug() {
    ProductSpec product;
    product.name = "Mug";
    product.description = "A mug for coffee";
    product.price_cents = 1999;
    product.currency = "EUR";
    product.local_product_id = "7f6c2e4a-0000-7000-8000-000000000001";
    return product;
}

class DodoProviderTest : public testing::Test {
protected:
    std::string NewCustomer(std::uint64_t account_id = 42) {
        auto id = provider.CreateCustomer({account_id, "ada@example.com", "Ada Lovelace"});
        EXPECT_TRUE(id.ok()) << (id.ok() ? "" : id.error().message);
        return id.ok() ? id.value() : "";
    }
    std::string NewProduct(const ProductSpec& spec = Mug()) {
        auto id = provider.CreateProduct(spec);
        EXPECT_TRUE(id.ok()) << (id.ok() ? "" : id.error().message);
        return id.ok() ? id.value() : "";
    }
    RecordedRequest Last() {
        auto all = fake.requests();
        EXPECT_FALSE(all.empty());
        return all.empty() ? RecordedRequest{} : all.back();
    }
    static void ExpectJsonHeaders(const RecordedRequest& r, const std::string& key) {
        EXPECT_EQ(r.Header("Authorization"), "Bearer " + key);
        EXPECT_EQ(r.Header("Content-Type"), "application/json");
        EXPECT_EQ(r.Header("Accept"), "application/json");
        EXPECT_FALSE(r.HasHeader("Expect"));
    }

    FakeDodo fake;
    DodoProvider provider{FastOptions(fake.api_key(), fake.base_url())};
};

TEST_F(DodoProviderTest, CreateCustomerPostsEmailNameAndUserId) {
    auto id = provider.CreateCustomer({42, "ada@example.com", "Ada Lovelace"});
    ASSERT_TRUE(id.ok()) << id.error().message;
    EXPECT_THAT(*id, StartsWith("cus_"));

    auto requests = fake.requests();
    ASSERT_EQ(requests.size(), 1u);
    const auto& r = requests[0];
    EXPECT_EQ(r.method, "POST");
    EXPECT_EQ(r.path, "/customers");
    EXPECT_TRUE(r.query.empty());
    ExpectJsonHeaders(r, fake.api_key());
    EXPECT_TRUE(r.JsonEquals(R"({"email":"ada@example.com","name":"Ada Lovelace","metadata":{"user_id":"42"}})"))
        << r.body;

    auto stored = fake.customer(*id);
    ASSERT_TRUE(stored.has_value());
    EXPECT_EQ(stored->email, "ada@example.com");
    EXPECT_EQ(stored->metadata.at("user_id"), "42");
}

TEST_F(DodoProviderTest, PortalSessionSendsQueryParametersAndNoBody) {
    const std::string customer = NewCustomer();
    const std::string return_url = "https://shop.example/account?tab=payments&x=a b";
    auto link = provider.CreatePortalSession(customer, return_url);
    ASSERT_TRUE(link.ok()) << link.error().message;
    EXPECT_EQ(*link, fake.base_url() + "/portal/" + customer);

    const auto r = Last();
    EXPECT_EQ(r.method, "POST");
    EXPECT_EQ(r.path, "/customers/" + customer + "/customer-portal/session");
    EXPECT_EQ(r.query, (std::map<std::string, std::string>{{"send_email", "false"}, {"return_url", return_url}}));
    EXPECT_EQ(r.body, "");
    EXPECT_FALSE(r.HasHeader("Content-Type"));
    EXPECT_EQ(r.Header("Accept"), "application/json");
    EXPECT_EQ(r.Header("Authorization"), "Bearer " + fake.api_key());

    ASSERT_TRUE(provider.CreatePortalSession(customer, "").ok());
    EXPECT_EQ(Last().query, (std::map<std::string, std::string>{{"send_email", "false"}}));
}

TEST_F(DodoProviderTest, PortalSessionForUnknownCustomerIsInvalidArgumentWithProviderMessage) {
    auto link = provider.CreatePortalSession("cus_missing", "");
    ASSERT_FALSE(link.ok());
    EXPECT_EQ(link.error().code, ErrorCode::kInvalidArgument);
    EXPECT_THAT(link.error().message, HasSubstr("customer cus_missing not found"));
    EXPECT_EQ(fake.requests().size(), 1u);
}

TEST_F(DodoProviderTest, CreateProductSendsTheFullOneTimePriceObject) {
    auto id = provider.CreateProduct(Mug());
    ASSERT_TRUE(id.ok()) << id.error().message;
    EXPECT_THAT(*id, StartsWith("pdt_"));

    const auto r = Last();
    EXPECT_EQ(r.method, "POST");
    EXPECT_EQ(r.path, "/products");
    ExpectJsonHeaders(r, fake.api_key());
    EXPECT_TRUE(r.JsonEquals(R"({
        "name": "Mug",
        "description": "A mug for coffee",
        "tax_category": "digital_products",
        "price": {"type": "one_time_price", "price": 1999, "currency": "EUR", "discount": 0,
                  "purchasing_power_parity": false, "tax_inclusive": false},
        "metadata": {"product_id": "7f6c2e4a-0000-7000-8000-000000000001"}
    })")) << r.body;

    auto stored = fake.product(*id);
    ASSERT_TRUE(stored.has_value());
    EXPECT_EQ(stored->price, 1999);
    EXPECT_EQ(stored->currency, "EUR");
    EXPECT_FALSE(stored->archived);
}

TEST_F(DodoProviderTest, UpdateProductPatchesTheProviderIdWithTheFullPrice) {
    const std::string id = NewProduct();
    ProductSpec changed = Mug();
    changed.name = "Big mug";
    changed.price_cents = 2599;
    changed.currency = "USD";
    auto status = provider.UpdateProduct(id, changed);
    ASSERT_TRUE(status.ok()) << status.error().message;

    const auto r = Last();
    EXPECT_EQ(r.method, "PATCH");
    EXPECT_EQ(r.path, "/products/" + id);
    EXPECT_EQ(r.Header("Authorization"), "Bearer " + fake.api_key());
    EXPECT_EQ(r.Header("Content-Type"), "application/json");
    EXPECT_EQ(r.Header("Accept"), "*/*");  // a void endpoint, as the Dodo SDK sends it
    EXPECT_TRUE(r.JsonEquals(R"({
        "name": "Big mug",
        "description": "A mug for coffee",
        "price": {"type": "one_time_price", "price": 2599, "currency": "USD", "discount": 0,
                  "purchasing_power_parity": false, "tax_inclusive": false},
        "metadata": {"product_id": "7f6c2e4a-0000-7000-8000-000000000001"}
    })")) << r.body;

    auto stored = fake.product(id);
    ASSERT_TRUE(stored.has_value());
    EXPECT_EQ(stored->name, "Big mug");
    EXPECT_EQ(stored->price, 2599);
    EXPECT_EQ(stored->updates, 1);
}

TEST_F(DodoProviderTest, ArchiveProductDeletesTheProviderIdWithoutBody) {
    const std::string id = NewProduct();
    auto status = provider.ArchiveProduct(id);
    ASSERT_TRUE(status.ok()) << status.error().message;

    const auto r = Last();
    EXPECT_EQ(r.method, "DELETE");
    EXPECT_EQ(r.path, "/products/" + id);
    EXPECT_EQ(r.body, "");
    EXPECT_FALSE(r.HasHeader("Content-Type"));
    EXPECT_EQ(r.Header("Authorization"), "Bearer " + fake.api_key());
    EXPECT_TRUE(fake.product(id)->archived);
}

TEST_F(DodoProviderTest, UnknownProductIdIsInvalidArgumentAndIdsStayInTheirPathSegment) {
    auto status = provider.UpdateProduct("../customers", Mug());
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(status.error().code, ErrorCode::kInvalidArgument);
    EXPECT_THAT(status.error().message, HasSubstr("product ../customers not found"));
    EXPECT_EQ(Last().path, "/products/..%2Fcustomers");

    auto archived = provider.ArchiveProduct("pdt_unknown");
    ASSERT_FALSE(archived.ok());
    EXPECT_EQ(archived.error().code, ErrorCode::kInvalidArgument);
}

ProductSpec OrderProduct() {
    ProductSpec order;
    order.name = "Order";
    order.description = "An order from the shop";
    order.price_cents = 1;
    order.currency = "USD";
    order.pay_what_you_want = true;
    return order;
}

TEST_F(DodoProviderTest, TheOrderProductIsPayWhatYouWantAndTaxInclusive) {
    auto id = provider.CreateProduct(OrderProduct());
    ASSERT_TRUE(id.ok()) << id.error().message;
    EXPECT_TRUE(Last().JsonEquals(R"({
        "name": "Order", "description": "An order from the shop", "tax_category": "digital_products",
        "price": {"type": "one_time_price", "price": 1, "currency": "USD", "discount": 0,
                  "purchasing_power_parity": false, "pay_what_you_want": true, "tax_inclusive": true}
    })")) << Last().body;
    auto stored = fake.product(*id);
    ASSERT_TRUE(stored.has_value());
    EXPECT_TRUE(stored->pay_what_you_want);
    EXPECT_TRUE(stored->tax_inclusive);
}

TEST_F(DodoProviderTest, ACheckoutChargesExactlyTheOrdersTotalAsOneLine) {
    const std::string customer = NewCustomer(7);
    auto order_product = provider.CreateProduct(OrderProduct());
    ASSERT_TRUE(order_product.ok());

    CheckoutRequest request;
    request.customer_id = customer;
    request.order_product_id = *order_product;
    request.amount_cents = 27997;  // 2 x 129.99 + 19.99
    request.currency = "USD";
    request.lines = {{"Headphones", 2, 12999}, {"Case", 1, 1999}};
    request.return_url = "http://localhost:8080/orders/42";
    request.metadata = {{"order_id", "42"}, {"user_id", "7"}};
    auto session = provider.CreateCheckout(request);
    ASSERT_TRUE(session.ok()) << session.error().message;
    EXPECT_THAT(session->session_id, StartsWith("cks_"));
    EXPECT_EQ(session->url, fake.base_url() + "/session/" + session->session_id);

    const auto r = Last();
    EXPECT_EQ(r.method, "POST");
    EXPECT_EQ(r.path, "/checkouts");
    ExpectJsonHeaders(r, fake.api_key());
    // The exact body: one line of quantity 1 whose amount is the order's total, whichever way
    // Dodo reads a line's amount (per unit or per line); the order's lines are not sent.
    EXPECT_TRUE(r.JsonEquals(R"({
        "product_cart": [{"product_id": ")" + *order_product + R"(", "quantity": 1, "amount": 27997}],
        "customer": {"customer_id": ")" + customer + R"("},
        "return_url": "http://localhost:8080/orders/42",
        "metadata": {"order_id": "42", "user_id": "7"}
    })")) << r.body;

    auto stored = fake.checkout(session->session_id);
    ASSERT_TRUE(stored.has_value());
    EXPECT_EQ(stored->total, 27997) << "the fake would charge something other than the order's total";
    EXPECT_EQ(stored->currency, "USD");
    EXPECT_EQ(stored->metadata.at("order_id"), "42");
}

TEST_F(DodoProviderTest, ARefundAsksForAllThatIsLeftOfThePayment) {
    fake.AddPayment({"pay_42", 27997, "USD", 0});
    auto receipt = provider.CreateRefund({"pay_42", 27997, "the order was cancelled"});
    ASSERT_TRUE(receipt.ok()) << receipt.error().message;
    EXPECT_THAT(receipt->refund_id, StartsWith("ref_"));
    EXPECT_EQ(receipt->status, "pending");
    const auto r = Last();
    EXPECT_EQ(r.method, "POST");
    EXPECT_EQ(r.path, "/refunds");
    ExpectJsonHeaders(r, fake.api_key());
    EXPECT_TRUE(r.JsonEquals(R"({"payment_id": "pay_42", "reason": "the order was cancelled"})")) << r.body;
    ASSERT_EQ(fake.refunds().size(), 1u);
    EXPECT_EQ(fake.refunds()[0].amount, 27997);

    // Nothing left: the provider refuses, and a refusal is not retried.
    fake.ClearRequests();
    auto again = provider.CreateRefund({"pay_42", 0, ""});
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error().code, ErrorCode::kInvalidArgument);
    EXPECT_THAT(again.error().message, HasSubstr("already fully refunded"));
    EXPECT_EQ(fake.requests().size(), 1u);
    EXPECT_EQ(provider.CreateRefund({"pay_unknown", 0, ""}).error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(provider.CreateRefund({"", 0, ""}).error().code, ErrorCode::kInvalidArgument);
}

CheckoutRequest Checkout(const std::string& customer, const std::string& product, std::int64_t amount = 500) {
    CheckoutRequest request;
    request.customer_id = customer;
    request.order_product_id = product;
    request.amount_cents = amount;
    request.currency = "USD";
    request.metadata = {{"order_id", "1"}};
    return request;
}

TEST_F(DodoProviderTest, ProviderValidationErrorIsInvalidArgumentWithItsMessage) {
    const std::string customer = NewCustomer();
    auto order_product = provider.CreateProduct(OrderProduct());
    ASSERT_TRUE(order_product.ok());
    ASSERT_TRUE(provider.ArchiveProduct(*order_product).ok());
    fake.ClearRequests();

    auto session = provider.CreateCheckout(Checkout(customer, *order_product));
    ASSERT_FALSE(session.ok());
    EXPECT_EQ(session.error().code, ErrorCode::kInvalidArgument);
    EXPECT_THAT(session.error().message, HasSubstr("is archived"));
    EXPECT_THAT(session.error().message, HasSubstr("422"));
    EXPECT_EQ(fake.requests().size(), 1u);  // a rejection is not retried
}

TEST_F(DodoProviderTest, WrongApiKeyIsInvalidArgumentAndNotRetried) {
    DodoProvider wrong(FastOptions("sk_wrong", fake.base_url()));
    auto id = wrong.CreateCustomer({1, "a@example.com", "A"});
    ASSERT_FALSE(id.ok());
    EXPECT_EQ(id.error().code, ErrorCode::kInvalidArgument);
    EXPECT_THAT(id.error().message, HasSubstr("missing or invalid API key"));
    EXPECT_THAT(id.error().message, Not(HasSubstr("sk_wrong")));
    auto requests = fake.requests();
    ASSERT_EQ(requests.size(), 1u);
    EXPECT_EQ(requests[0].status, 401);
}

TEST_F(DodoProviderTest, RetriesTooManyRequestsHonouringRetryAfterSeconds) {
    fake.FailNext("/customers", 429, 1, 1s);
    auto id = provider.CreateCustomer({5, "b@example.com", "B"});
    ASSERT_TRUE(id.ok()) << id.error().message;

    auto requests = fake.requests("POST", "/customers");
    ASSERT_EQ(requests.size(), 2u);
    EXPECT_EQ(requests[0].status, 429);
    EXPECT_EQ(requests[1].status, 200);
    EXPECT_TRUE(requests[1].JsonEquals(requests[0].body));
    // The backoff is 1 ms here, so only the Retry-After header can explain the pause.
    EXPECT_GE(requests[1].received_at - requests[0].received_at, 900ms);
}

TEST_F(DodoProviderTest, RetriesHonouringRetryAfterMilliseconds) {
    ScriptedFailure failure;
    failure.status = 429;
    failure.retry_after_ms = 300ms;
    fake.FailNext("/products", failure);
    ASSERT_FALSE(NewProduct().empty());
    auto requests = fake.requests("POST", "/products");
    ASSERT_EQ(requests.size(), 2u);
    EXPECT_GE(requests[1].received_at - requests[0].received_at, 250ms);
}

TEST_F(DodoProviderTest, RetryAfterIsCappedByOptions) {
    auto options = FastOptions(fake.api_key(), fake.base_url());
    options.retry_after_cap = 50ms;
    DodoProvider capped(options);
    fake.FailNext("/products", 429, 1, 3600s);
    auto id = capped.CreateProduct(Mug());
    ASSERT_TRUE(id.ok()) << id.error().message;
    auto requests = fake.requests("POST", "/products");
    ASSERT_EQ(requests.size(), 2u);
    EXPECT_GE(requests[1].received_at - requests[0].received_at, 40ms);
}

TEST_F(DodoProviderTest, RetriesServerErrorsThenSucceeds) {
    fake.FailNext("/products", 500, 2);
    auto id = provider.CreateProduct(Mug());
    ASSERT_TRUE(id.ok()) << id.error().message;
    auto requests = fake.requests("POST", "/products");
    ASSERT_EQ(requests.size(), 3u);
    EXPECT_EQ(requests[0].status, 500);
    EXPECT_EQ(requests[1].status, 500);
    EXPECT_EQ(requests[2].status, 200);
    EXPECT_EQ(fake.products().size(), 1u);
}

TEST_F(DodoProviderTest, RetriesTimeoutAndConflictStatuses) {
    fake.FailNext("/customers", 408);
    fake.FailNext("/customers", 409);
    ASSERT_FALSE(NewCustomer().empty());
    EXPECT_EQ(fake.requests("POST", "/customers").size(), 3u);
}

TEST_F(DodoProviderTest, GivesUpAfterMaxRetriesWithUnavailable) {
    const std::string customer = NewCustomer();
    auto order_product = provider.CreateProduct(OrderProduct());
    ASSERT_TRUE(order_product.ok());
    fake.ClearRequests();
    fake.FailNext("/checkouts", 503, 3);
    auto session = provider.CreateCheckout(Checkout(customer, *order_product));
    ASSERT_FALSE(session.ok());
    EXPECT_EQ(session.error().code, ErrorCode::kUnavailable);
    EXPECT_THAT(session.error().message, HasSubstr("scripted failure 503"));
    EXPECT_THAT(session.error().message, HasSubstr("3 attempts"));
    EXPECT_EQ(fake.requests().size(), 3u);  // 1 + max_retries (2)
    EXPECT_TRUE(fake.checkouts().empty());

    // The script is used up: the next call goes through.
    EXPECT_TRUE(provider.CreateCheckout(Checkout(customer, *order_product)).ok());
}

TEST_F(DodoProviderTest, TooManyRequestsExhaustedIsUnavailable) {
    auto options = FastOptions(fake.api_key(), fake.base_url());
    options.max_retries = 0;
    DodoProvider once(options);
    fake.FailNext("/customers", 429, 1, 0s);
    auto id = once.CreateCustomer({1, "c@example.com", "C"});
    ASSERT_FALSE(id.ok());
    EXPECT_EQ(id.error().code, ErrorCode::kUnavailable);
    EXPECT_EQ(fake.requests().size(), 1u);
}

TEST_F(DodoProviderTest, ClientErrorIsNotRetried) {
    fake.FailNext("/products", 400, 5);
    auto id = provider.CreateProduct(Mug());
    ASSERT_FALSE(id.ok());
    EXPECT_EQ(id.error().code, ErrorCode::kInvalidArgument);
    EXPECT_THAT(id.error().message, HasSubstr("scripted failure 400"));
    EXPECT_EQ(fake.requests().size(), 1u);
}

TEST_F(DodoProviderTest, SuccessWithoutTheExpectedFieldIsUnavailable) {
    fake.FailNext("/customers", 200);  // a 2xx whose body is an error object, not a customer
    auto id = provider.CreateCustomer({1, "d@example.com", "D"});
    ASSERT_FALSE(id.ok());
    EXPECT_EQ(id.error().code, ErrorCode::kUnavailable);
    EXPECT_THAT(id.error().message, HasSubstr("customer_id"));
    EXPECT_EQ(fake.requests().size(), 1u);
}

TEST_F(DodoProviderTest, BadInputIsRejectedWithoutACall) {
    EXPECT_EQ(provider.CreateCustomer({1, "", "No email"}).error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(provider.CreatePortalSession("", "").error().code, ErrorCode::kInvalidArgument);
    ProductSpec bad = Mug();
    bad.currency = "usd";
    EXPECT_THAT(provider.CreateProduct(bad).error().message, HasSubstr("currency"));
    bad = Mug();
    bad.price_cents = -1;
    EXPECT_EQ(provider.CreateProduct(bad).error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(provider.UpdateProduct("", Mug()).error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(provider.ArchiveProduct("").error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(provider.CreateCheckout(Checkout("cus_1", "")).error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(provider.CreateCheckout(Checkout("cus_1", "pdt_1", 0)).error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(provider.CreateCheckout(Checkout("", "pdt_1")).error().code, ErrorCode::kInvalidArgument);
    auto bad_metadata = Checkout("cus_1", "pdt_1");
    bad_metadata.metadata = {{"order id!", "1"}};
    EXPECT_THAT(provider.CreateCheckout(bad_metadata).error().message, HasSubstr("metadata key"));
    EXPECT_TRUE(fake.requests().empty());
}

TEST(DodoProviderTransport, ConnectionRefusedIsUnavailableAfterRetries) {
    // A port that was free a moment ago and has no listener now.
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    ASSERT_GE(fd, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    ASSERT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length), 0);
    ::close(fd);

    DodoProvider provider(FastOptions("sk", "http://127.0.0.1:" + std::to_string(ntohs(address.sin_port))));
    auto id = provider.CreateCustomer({1, "e@example.com", "E"});
    ASSERT_FALSE(id.ok());
    EXPECT_EQ(id.error().code, ErrorCode::kUnavailable);
    EXPECT_THAT(id.error().message, HasSubstr("3 attempts"));
}

TEST(DodoProviderTransport, ServerThatNeverAnswersTimesOutAsUnavailable) {
    SilentServer silent;
    auto options = FastOptions("sk", silent.base_url());
    options.connect_timeout = 300ms;
    options.total_timeout = 300ms;
    options.max_retries = 1;
    DodoProvider provider(options);
    auto id = provider.CreateProduct(Mug());
    ASSERT_FALSE(id.ok());
    EXPECT_EQ(id.error().code, ErrorCode::kUnavailable);
    EXPECT_THAT(id.error().message, HasSubstr("timed out"));
    EXPECT_THAT(id.error().message, HasSubstr("2 attempts"));
}

TEST_F(DodoProviderTest, ConcurrentCallsFromManyThreads) {
    constexpr int kThreads = 8;
    constexpr int kCallsEach = 10;
    std::atomic<int> failures{0};
    std::vector<std::vector<std::string>> ids(kThreads);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < kCallsEach; ++i) {
                auto id = provider.CreateCustomer({static_cast<std::uint64_t>(t * 100 + i), "t@example.com", "T"});
                if (id.ok()) {
                    ids[t].push_back(*id);
                } else {
                    ++failures;
                }
            }
        });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(failures.load(), 0);
    std::set<std::string> distinct;
    for (const auto& list : ids) distinct.insert(list.begin(), list.end());
    EXPECT_EQ(distinct.size(), static_cast<std::size_t>(kThreads * kCallsEach));
    EXPECT_EQ(fake.customers().size(), static_cast<std::size_t>(kThreads * kCallsEach));
}

TEST(DodoOptions, BaseUrlFollowsTestModeAndCanBeOverridden) {
    ::setenv("DODO_API_KEY", "sk_env", 1);
    ::unsetenv("DODO_PAYMENTS_BASE_URL");
    ::unsetenv("DODO_TEST_MODE");
    EXPECT_EQ(DodoOptions::FromEnv().base_url, "https://live.dodopayments.com");
    ::setenv("DODO_TEST_MODE", "true", 1);
    auto test_mode = DodoOptions::FromEnv();
    EXPECT_EQ(test_mode.base_url, "https://test.dodopayments.com");
    EXPECT_EQ(test_mode.api_key, "sk_env");
    EXPECT_EQ(test_mode.max_retries, 2);
    ::setenv("DODO_PAYMENTS_BASE_URL", "http://127.0.0.1:9999", 1);
    EXPECT_EQ(DodoOptions::FromEnv().base_url, "http://127.0.0.1:9999");
    ::setenv("DODO_PAYMENTS_BASE_URL", "ftp://example.com", 1);
    EXPECT_THROW(DodoOptions::FromEnv(), orderstream::config::ConfigError);
    ::unsetenv("DODO_PAYMENTS_BASE_URL");
    ::setenv("DODO_TEST_MODE", "maybe", 1);
    EXPECT_THROW(DodoOptions::FromEnv(), orderstream::config::ConfigError);
    ::unsetenv("DODO_TEST_MODE");
    ::unsetenv("DODO_API_KEY");
    EXPECT_THROW(DodoOptions::FromEnv(), orderstream::config::ConfigError);
}

TEST(DodoOptions, ProviderRejectsMissingKeyAndNonHttpUrl) {
    EXPECT_THROW(DodoProvider(FastOptions("", "http://127.0.0.1:1")), std::invalid_argument);
    EXPECT_THROW(DodoProvider(FastOptions("sk", "file:///etc/passwd")), std::invalid_argument);
    DodoProvider trailing(FastOptions("sk", "http://127.0.0.1:1//"));
    EXPECT_EQ(trailing.options().base_url, "http://127.0.0.1:1");
}

}  // namespace
