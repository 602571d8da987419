#include "orderstream/core/log.hpp"

#include <gtest/gtest.h>

namespace oslog = orderstream::log;

namespace {

TEST(Log, EscapesJson) {
    std::string out;
    oslog::AppendJsonEscaped(out, std::string_view("a\"b\\c\n\x01", 7));
    EXPECT_EQ(out, "a\\\"b\\\\c\\n\\u0001");
}

TEST(Log, RequestScopeNestsAndRestores) {
    EXPECT_EQ(oslog::CurrentRequestId(), "");
    {
        oslog::RequestScope outer("outer");
        EXPECT_EQ(oslog::CurrentRequestId(), "outer");
        {
            oslog::RequestScope inner("inner");
            EXPECT_EQ(oslog::CurrentRequestId(), "inner");
        }
        EXPECT_EQ(oslog::CurrentRequestId(), "outer");
    }
    EXPECT_EQ(oslog::CurrentRequestId(), "");
}

TEST(Log, RequestIdsAreHexAndDistinct) {
    auto a = oslog::NewRequestId();
    auto b = oslog::NewRequestId();
    EXPECT_EQ(a.size(), 32U);
    EXPECT_EQ(a.find_first_not_of("0123456789abcdef"), std::string::npos);
    EXPECT_NE(a, b);
}

}  // namespace
