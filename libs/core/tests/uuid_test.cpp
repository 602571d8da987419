#include "orderstream/core/uuid.hpp"

#include <set>
#include <thread>

#include <gtest/gtest.h>

namespace uuid = orderstream::uuid;

namespace {

TEST(Uuid, VersionVariantAndShape) {
    auto id = uuid::NewV7();
    EXPECT_TRUE(uuid::IsValid(id)) << id;
    EXPECT_EQ(id[14], '7');
    EXPECT_NE(std::string("89ab").find(id[19]), std::string::npos) << id;
}

TEST(Uuid, TimeOrderedAndUnique) {
    std::set<std::string> seen;
    std::string previous_prefix;
    for (int i = 0; i < 20000; ++i) {
        auto id = uuid::NewV7();
        ASSERT_TRUE(seen.insert(id).second);
        auto prefix = id.substr(0, 13);  // the 48-bit millisecond timestamp
        ASSERT_GE(prefix, previous_prefix);
        previous_prefix = prefix;
    }
}

TEST(Uuid, RejectsMalformed) {
    EXPECT_FALSE(uuid::IsValid(""));
    EXPECT_FALSE(uuid::IsValid("0190c3e0-7b1a-7000-8000-00000000000"));
    EXPECT_FALSE(uuid::IsValid("0190c3e0x7b1a-7000-8000-000000000000"));
    EXPECT_FALSE(uuid::IsValid("0190c3e0-7b1a-7000-8000-00000000000g"));
    EXPECT_TRUE(uuid::IsValid("0190C3E0-7B1A-7000-8000-000000000000"));
}

}  // namespace
