#include <cmath>

#include <gtest/gtest.h>

#include "orderstream/contracts/interaction_events.hpp"
#include "product_catalog.hpp"
#include "product_rules.hpp"
#include "product_search.hpp"
#include "view_recorder.hpp"

namespace product = orderstream::product;

namespace {

std::string ErrorOf(const std::string& name, const std::string& description, double price, std::int64_t account = 1) {
    auto draft = product::ValidateDraft(name, description, price, account);
    return draft.ok() ? "ok" : draft.error().message;
}

TEST(ProductDraft, ValidInputIsTrimmedAndPricedInCents) {
    auto draft = product::ValidateDraft("  Wireless Headphones ", " Noise cancelling ", 149.99, 7);
    ASSERT_TRUE(draft.ok());
    EXPECT_EQ(draft->name, "Wireless Headphones");
    EXPECT_EQ(draft->description, "Noise cancelling");
    EXPECT_EQ(draft->price_cents, 14999);
    EXPECT_EQ(draft->account_id, 7);
    EXPECT_EQ(ErrorOf("Free sample", "", 0), "ok");
}

TEST(ProductDraft, EveryRejectionNamesItsField) {
    EXPECT_EQ(ErrorOf("", "d", 1), "name must not be empty");
    EXPECT_EQ(ErrorOf(" \t", "d", 1), "name must not be empty");
    EXPECT_EQ(ErrorOf(std::string(201, 'n'), "d", 1), "name must be at most 200 characters");
    EXPECT_EQ(ErrorOf(std::string(200, 'n'), "d", 1), "ok");
    EXPECT_EQ(ErrorOf("n", std::string(5001, 'd'), 1), "description must be at most 5000 characters");
    EXPECT_EQ(ErrorOf("n", std::string(5000, 'd'), 1), "ok");
    EXPECT_EQ(ErrorOf("n", "bad \xff utf8", 1), "description must be valid UTF-8");
    EXPECT_EQ(ErrorOf("n", "d", -1), "price must not be negative");
    EXPECT_EQ(ErrorOf("n", "d", std::nan("")), "price must be a number, got NaN");
    EXPECT_EQ(ErrorOf("n", "d", INFINITY), "price must be finite");
    EXPECT_EQ(ErrorOf("n", "d", 1e9 + 1), "price must be at most 1000000000");
    EXPECT_EQ(ErrorOf("n", "d", 1.999), "price must have at most two decimals");
    EXPECT_EQ(ErrorOf("n", "d", 1, 0), "accountId must be a positive account id");
    EXPECT_EQ(ErrorOf("n", "d", 1, -5), "accountId must be a positive account id");
}

TEST(ProductId, EmptyIsInvalidAndNonUuidIsNotFound) {
    EXPECT_EQ(product::ValidateProductId("", "id").error().code, orderstream::ErrorCode::kInvalidArgument);
    EXPECT_EQ(product::ValidateProductId("1", "id").error().code, orderstream::ErrorCode::kNotFound);
    EXPECT_TRUE(product::ValidateProductId("0190c3e0-7b1a-7000-8000-000000000000", "id").ok());
}

TEST(AnyWordPrefixTsQuery, KeepsOnlyWordCharacters) {
    EXPECT_EQ(product::AnyWordPrefixTsQuery("headph"), "headph:*");
    EXPECT_EQ(product::AnyWordPrefixTsQuery("Wire less-HEADPH"), "wire:* | less:* | headph:*");
    EXPECT_EQ(product::AnyWordPrefixTsQuery("a' | b:* & !c"), "a:* | b:* | c:*");
    EXPECT_EQ(product::AnyWordPrefixTsQuery("  ''  "), "");
    EXPECT_EQ(product::AnyWordPrefixTsQuery("caf\xc3\xa9"), "caf\xc3\xa9:*");
}

TEST(ProductEvents, DataCarriesSeedFieldsAndCents) {
    product::ProductRecord record{"0190c3e0-7b1a-7000-8000-000000000000", 3, "Mug \"XL\"", "Holds 1l", 1999, "USD"};
    EXPECT_EQ(product::ProductEventOf(orderstream::contracts::ProductEvent::Kind::kCreated, record).ToJson(),
              R"({"product_id":"0190c3e0-7b1a-7000-8000-000000000000","name":"Mug \"XL\"","description":"Holds 1l",)"
              R"("price":19.99,"price_cents":1999,"currency":"USD","accountID":3})");
    EXPECT_EQ((orderstream::contracts::ProductViewed{"42", "p-1"}).ToJson(), R"({"user_id":"42","product_id":"p-1"})");
}

}  // namespace
