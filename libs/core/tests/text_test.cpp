#include "orderstream/core/text.hpp"

#include "orderstream/core/paging.hpp"
#include "orderstream/core/time_format.hpp"

#include <gtest/gtest.h>

namespace text = orderstream::text;

namespace {

TEST(Text, Trim) {
    EXPECT_EQ(text::Trim("  a b \t\n"), "a b");
    EXPECT_EQ(text::Trim(" \t "), "");
    EXPECT_EQ(text::Trim(""), "");
}

TEST(Text, AsciiLowerLeavesOtherBytes) { EXPECT_EQ(text::AsciiLower("John@Example.COM \xc3\x89"), "john@example.com \xc3\x89"); }

TEST(Text, Utf8LengthCountsCodePoints) {
    EXPECT_EQ(text::Utf8Length("abc"), 3U);
    EXPECT_EQ(text::Utf8Length("\xc3\xa9t\xc3\xa9"), 3U);          // été
    EXPECT_EQ(text::Utf8Length("\xe2\x82\xac"), 1U);              // €
    EXPECT_EQ(text::Utf8Length("\xf0\x9f\x98\x80"), 1U);          // emoji
    EXPECT_EQ(text::Utf8Length(""), 0U);
}

TEST(Text, Utf8LengthRejectsMalformed) {
    EXPECT_FALSE(text::Utf8Length("\xc3"));                 // truncated
    EXPECT_FALSE(text::Utf8Length("\xe2\x82"));             // truncated
    EXPECT_FALSE(text::Utf8Length("\xc0\xaf"));             // overlong '/'
    EXPECT_FALSE(text::Utf8Length("\xe0\x80\xaf"));         // overlong
    EXPECT_FALSE(text::Utf8Length("\xed\xa0\x80"));         // surrogate
    EXPECT_FALSE(text::Utf8Length("\xf4\x90\x80\x80"));     // above U+10FFFF
    EXPECT_FALSE(text::Utf8Length("\x80"));                 // lone continuation
    EXPECT_FALSE(text::Utf8Length("a\xffz"));
}

TEST(Text, ControlCharacters) {
    EXPECT_TRUE(text::HasControlCharacters("a\nb"));
    EXPECT_TRUE(text::HasControlCharacters(std::string_view("a\0b", 3)));
    EXPECT_FALSE(text::HasControlCharacters("plain \xc3\xa9"));
}

TEST(Paging, DefaultsAndCaps) {
    namespace paging = orderstream::paging;
    EXPECT_EQ(paging::Take(0), paging::kDefaultTake);
    EXPECT_EQ(paging::Take(7), 7U);
    EXPECT_EQ(paging::Take(100), 100U);
    EXPECT_EQ(paging::Take(101), 100U);
    EXPECT_EQ(paging::Take(UINT64_MAX), 100U);
    EXPECT_EQ(paging::Take(0, 5), 5U);
    EXPECT_EQ(paging::Skip(UINT64_MAX), INT64_MAX);
    EXPECT_EQ(paging::Skip(3), 3);
}

TEST(TimeFormat, Rfc3339WithMillisOrMicros) {
    using namespace std::chrono;
    system_clock::time_point t{seconds(1795487363) + microseconds(123456)};
    EXPECT_EQ(orderstream::time_format::Rfc3339Utc(t, 3), "2026-11-24T02:29:23.123Z");
    EXPECT_EQ(orderstream::time_format::Rfc3339Utc(t, 6), "2026-11-24T02:29:23.123456Z");
}

}  // namespace

TEST(Text, PercentEncodeKeepsOnlyUnreservedCharacters) {
    EXPECT_EQ(text::PercentEncode("a/b?c d"), "a%2Fb%3Fc%20d");
    EXPECT_EQ(text::PercentEncode("AZaz09-._~"), "AZaz09-._~");
    EXPECT_EQ(text::PercentEncode("https://x.test/?q=1&r=%"), "https%3A%2F%2Fx.test%2F%3Fq%3D1%26r%3D%25");
    EXPECT_EQ(text::PercentEncode("\xc3\xa9"), "%C3%A9");
    EXPECT_EQ(text::PercentEncode(""), "");
}
