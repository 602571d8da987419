#include <gtest/gtest.h>

#include "customer_directory.hpp"
#include "payment_service.hpp"
#include "product_mirror.hpp"
#include "return_url.hpp"

namespace orderstream::payment {
namespace {

TEST(ReturnUrl, TheShopsOwnOriginsAreAllowed) {
    auto dev = ReturnUrlPolicy::Development();
    EXPECT_TRUE(dev.Check("http://localhost:3000/success", "redirectURL").ok());  // the seed's example
    EXPECT_TRUE(dev.Check("http://127.0.0.1:8080/orders/4?paid=1#top", "redirectURL").ok());
    EXPECT_TRUE(dev.Check("https://LOCALHOST/x", "redirectURL").ok());
    auto shop = ReturnUrlPolicy::Parse(" https://shop.example , http://shop.example:8080");
    ASSERT_TRUE(shop.ok()) << shop.error().message;
    EXPECT_TRUE(shop->Check("https://shop.example/orders/1", "redirectURL").ok());
    EXPECT_TRUE(shop->Check("https://shop.example:443/orders/1", "redirectURL").ok());
    EXPECT_TRUE(shop->Check("http://shop.example:8080/", "redirectURL").ok());
    EXPECT_FALSE(shop->Check("http://shop.example/", "redirectURL").ok());  // another port: another origin
}

TEST(ReturnUrl, EverywhereElseIsRefusedNamingTheField) {
    auto dev = ReturnUrlPolicy::Development();
    struct Case {
        std::string url;
        std::string message;
    };
    for (const auto& c : std::vector<Case>{
             {"https://evil.example/phish", "redirectURL must be on one of the shop's origins"},
             {"http://127.0.0.1:8081@evil.example/", "redirectURL must not carry a user name or password"},
             {"http://user:pw@localhost/", "redirectURL must not carry a user name or password"},
             {"http://localhost.evil.example/", "redirectURL must be on one of the shop's origins"},
             {"http://evil.example\\@localhost/", "redirectURL must be printable ASCII"},
             {"http://localhost/\r\nSet-Cookie:x=1", "redirectURL must be printable ASCII"},
             {"http://localhost/Ã©", "redirectURL must be printable ASCII"},
             {"http://locálhost/", "redirectURL must be printable ASCII"},
             {"javascript:alert(1)", "redirectURL is not an absolute URL"},
             {"ftp://localhost/x", "redirectURL must be http or https"},
             {"//localhost/x", "redirectURL is not an absolute URL"},
             {"http:///x", "redirectURL has no host"},
             {"http://localhost:99999/", "redirectURL has a malformed port"},
             {"http://localhost:/", "redirectURL has a malformed port"},
             {"", "redirectURL is not an absolute URL"},
             {"https://localhost/" + std::string(2000, 'a'), "redirectURL must be at most 2,000 characters"},
         }) {
        auto valid = dev.Check(c.url, "redirectURL");
        ASSERT_FALSE(valid.ok()) << c.url;
        EXPECT_EQ(valid.error().code, ErrorCode::kInvalidArgument);
        EXPECT_TRUE(valid.error().message.starts_with(c.message)) << c.url << ": " << valid.error().message;
    }
}

TEST(ReturnUrl, AConfigurationThatIsNotAListOfOriginsIsRefused) {
    EXPECT_FALSE(ReturnUrlPolicy::Parse("").ok());
    EXPECT_FALSE(ReturnUrlPolicy::Parse("shop.example").ok());
    EXPECT_FALSE(ReturnUrlPolicy::Parse("https://shop.example/path").ok());
    EXPECT_FALSE(ReturnUrlPolicy::Parse("https://a@shop.example").ok());
    auto wildcard = ReturnUrlPolicy::Parse("http://localhost:*");
    ASSERT_TRUE(wildcard.ok());
    EXPECT_EQ(wildcard->ToString(), "http://localhost:*");
}

TEST(Payable, OnlyAnOrderWithSomethingToPayCanBePaid) {
    pb::Order order;
    order.set_id(9);
    order.set_status("pending");
    order.set_currency("USD");
    EXPECT_EQ(CheckPayable(order).error().message, "order 9 totals 0.00 USD: there is nothing to pay");
    auto* line = order.add_products();
    line->set_pricecents(250);
    line->set_quantity(2);
    order.set_totalpricecents(500);
    EXPECT_TRUE(CheckPayable(order).ok());
    order.set_status("paid");
    EXPECT_EQ(CheckPayable(order).error().code, ErrorCode::kFailedPrecondition);
    order.set_status("failed");
    EXPECT_TRUE(CheckPayable(order).ok());
    order.set_totalpricecents(501);  // lines that do not add up are never charged
    EXPECT_EQ(CheckPayable(order).error().code, ErrorCode::kInternal);
}

TEST(PaymentStatus, TheApiNamesFiveStatuses) {
    EXPECT_EQ(PaymentStatusOf("pending"), "pending");
    EXPECT_EQ(PaymentStatusOf("processing"), "pending");
    EXPECT_EQ(PaymentStatusOf("succeeded"), "succeeded");
    EXPECT_EQ(PaymentStatusOf("partially_refunded"), "partially_refunded");
    EXPECT_EQ(PaymentStatusOf("refunded"), "refunded");
    EXPECT_EQ(PaymentStatusOf("failed"), "failed");
    EXPECT_EQ(PaymentStatusOf("closed"), "failed");
}

pb::Order OrderWith(std::initializer_list<std::pair<const char*, std::uint32_t>> lines) {
    pb::Order order;
    order.set_id(5);
    for (const auto& [id, quantity] : lines) {
        auto* line = order.add_products();
        line->set_id(id);
        line->set_quantity(quantity);
    }
    return order;
}

TEST(CartMatch, AnEmptyCartPaysTheOrderAsItIs) {
    pb::CheckoutRequest request;
    EXPECT_TRUE(CheckCartMatchesOrder(request, OrderWith({{"a", 2}})).ok());
}

TEST(CartMatch, TheSameLinesInAnyOrderMatch) {
    pb::CheckoutRequest request;
    auto* b = request.add_products();
    b->set_productid("b");
    b->set_quantity(1);
    auto* a = request.add_products();
    a->set_productid("a");
    a->set_quantity(2);
    EXPECT_TRUE(CheckCartMatchesOrder(request, OrderWith({{"a", 2}, {"b", 1}})).ok());
}

TEST(CartMatch, ADifferentQuantityOrProductIsRejected) {
    pb::CheckoutRequest request;
    auto* a = request.add_products();
    a->set_productid("a");
    a->set_quantity(3);
    auto mismatch = CheckCartMatchesOrder(request, OrderWith({{"a", 2}}));
    ASSERT_FALSE(mismatch.ok());
    EXPECT_EQ(mismatch.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(mismatch.error().message.find("do not match order 5"), std::string::npos);
    a->set_quantity(2);
    a->set_productid("c");
    EXPECT_FALSE(CheckCartMatchesOrder(request, OrderWith({{"a", 2}})).ok());
}

TEST(Customer, NeedsAnEmailAndANameForTheProvider) {
    EXPECT_TRUE(ValidateCustomer({1, " ana@example.com ", "Ana"}).ok());
    EXPECT_EQ(ValidateCustomer({1, "", "Ana"}).error().message, "email is required to create the payment customer");
    EXPECT_EQ(ValidateCustomer({1, "ana", "Ana"}).error().message, "email must be an email address");
    EXPECT_EQ(ValidateCustomer({1, "a@b.c", "  "}).error().message, "name is required to create the payment customer");
    EXPECT_EQ(ValidateCustomer({1, "a@b.c", std::string(201, 'n')}).error().message,
              "name must be at most 200 characters");
    EXPECT_EQ(ValidateCustomer({1, "a@b.c", "\xff"}).error().message, "name must be valid UTF-8");
}

TEST(ProviderSpec, CutsNameAndDescriptionToTheProviderLimitsOnCharacterBoundaries) {
    std::string name;
    for (int i = 0; i < 120; ++i) name += "é";
    auto spec = ProviderSpec("p1", name, std::string(1500, 'd'), 1999, "USD");
    EXPECT_EQ(spec.name.size(), 200U);  // 100 two-byte characters
    EXPECT_EQ(spec.description.size(), 1000U);
    EXPECT_EQ(spec.price_cents, 1999);
    EXPECT_EQ(spec.local_product_id, "p1");
    auto short_spec = ProviderSpec("p2", "Lamp", "Bright", 5, "EUR");
    EXPECT_EQ(short_spec.name, "Lamp");
    EXPECT_EQ(short_spec.currency, "EUR");
}

}  // namespace
}  // namespace orderstream::payment
