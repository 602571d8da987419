#include "replica_events.hpp"

#include <gtest/gtest.h>

namespace orderstream::recommender {
namespace {

events::Envelope Event(const std::string& type, const std::string& data) {
    events::Envelope e;
    e.id = "0190f3b4-0000-7000-8000-000000000001";
    e.type = type;
    e.data = data;
    return e;
}

TEST(ReplicaEvents, PurchasesWeighThreeAndViewsOne) {
    auto purchase = ParseInteractionEvent(
        Event("purchase", R"({"user_id":"42","product_id":"p-1","quantity":2,"order_id":7})"));
    ASSERT_TRUE(purchase.ok());
    ASSERT_TRUE(purchase->has_value());
    EXPECT_EQ((*purchase)->user_id, "42");
    EXPECT_EQ((*purchase)->product_id, "p-1");
    EXPECT_EQ((*purchase)->rating, 3);
    auto view = ParseInteractionEvent(Event("product_retrieved", R"({"user_id":42,"product_id":"p-2"})"));
    ASSERT_TRUE(view.ok() && view->has_value());
    EXPECT_EQ((*view)->user_id, "42");  // the seed also sent numbers
    EXPECT_EQ((*view)->rating, 1);
}

TEST(ReplicaEvents, OtherTypesAreNotOurs) {
    auto other = ParseInteractionEvent(Event("order_paid", "{}"));
    ASSERT_TRUE(other.ok());
    EXPECT_FALSE(other->has_value());
    auto product = ParseProductEvent(Event("purchase", R"({"user_id":"1","product_id":"p"})"));
    ASSERT_TRUE(product.ok());
    EXPECT_FALSE(product->has_value());
}

TEST(ReplicaEvents, MalformedInteractionsNameTheField) {
    auto no_product = ParseInteractionEvent(Event("purchase", R"({"user_id":"1"})"));
    ASSERT_FALSE(no_product.ok());
    EXPECT_NE(no_product.error().message.find("product_id"), std::string::npos);
    auto empty_user = ParseInteractionEvent(Event("purchase", R"({"user_id":"","product_id":"p"})"));
    ASSERT_FALSE(empty_user.ok());
    EXPECT_NE(empty_user.error().message.find("user_id"), std::string::npos);
    EXPECT_FALSE(ParseInteractionEvent(Event("purchase", "[1,2]")).ok());
    EXPECT_FALSE(ParseInteractionEvent(Event("purchase", "{nope")).ok());
}

TEST(ReplicaEvents, ProductsCarryCentsOrTheSeedsFloat) {
    auto created = ParseProductEvent(Event(
        "product_created", R"({"product_id":"p-1","name":"Lamp","description":"Warm","price":19.99,"price_cents":1999,"currency":"EUR","accountID":5})"));
    ASSERT_TRUE(created.ok() && created->has_value());
    EXPECT_EQ((*created)->kind, ProductChange::Kind::kUpsert);
    EXPECT_EQ((*created)->name, "Lamp");
    EXPECT_EQ((*created)->description, "Warm");
    EXPECT_EQ((*created)->price_cents, 1999);
    EXPECT_EQ((*created)->currency, "EUR");
    EXPECT_EQ((*created)->account_id, 5);
    auto seed = ParseProductEvent(Event("product_updated", R"({"product_id":"p-1","name":"Lamp","price":0.3})"));
    ASSERT_TRUE(seed.ok() && seed->has_value());
    EXPECT_EQ((*seed)->price_cents, 30);
    EXPECT_EQ((*seed)->currency, "USD");
    auto deleted = ParseProductEvent(Event("product_deleted", R"({"product_id":"p-1"})"));
    ASSERT_TRUE(deleted.ok() && deleted->has_value());
    EXPECT_EQ((*deleted)->kind, ProductChange::Kind::kDelete);
}

TEST(ReplicaEvents, MalformedProductsNameTheField) {
    auto no_name = ParseProductEvent(Event("product_created", R"({"product_id":"p","price_cents":1})"));
    ASSERT_FALSE(no_name.ok());
    EXPECT_NE(no_name.error().message.find("name"), std::string::npos);
    auto bad_price = ParseProductEvent(Event("product_created", R"({"product_id":"p","name":"x","price":0.001})"));
    ASSERT_FALSE(bad_price.ok());
    EXPECT_NE(bad_price.error().message.find("price"), std::string::npos);
    auto negative = ParseProductEvent(Event("product_created", R"({"product_id":"p","name":"x","price_cents":-5})"));
    ASSERT_FALSE(negative.ok());
    auto no_id = ParseProductEvent(Event("product_deleted", R"({})"));
    ASSERT_FALSE(no_id.ok());
    EXPECT_NE(no_id.error().message.find("product_id"), std::string::npos);
}

}  // namespace
}  // namespace orderstream::recommender
