#include <gtest/gtest.h>

#include "customer_directory.hpp"
#include "payment_service.hpp"
#include "product_mirror.hpp"

namespace orderstream::payment {
namespace {

TEST(ReturnUrl, AcceptsAbsoluteHttpAndHttps) {
    EXPECT_TRUE(ValidateReturnUrl("http://localhost:3000/success", "redirectURL").ok());
    EXPECT_TRUE(ValidateReturnUrl("https://shop.example/thanks?x=1", "redirectURL").ok());
}

TEST(ReturnUrl, RejectsEverythingElseNamingTheField) {
    for (const std::string& url : std::vector<std::string>{"", "localhost:3000", "ftp://x/y", "javascript:alert(1)", "http://", "https:///x",
                                  "http://a b/", "http://x/\"onmouseover", std::string("https://x/") + std::string(2000, 'a')}) {
        auto valid = ValidateReturnUrl(url, "redirectURL");
        ASSERT_FALSE(valid.ok()) << url;
        EXPECT_EQ(valid.error().message, "redirectURL must be an absolute http or https URL") << url;
    }
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
