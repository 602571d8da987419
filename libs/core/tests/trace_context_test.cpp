#include "orderstream/core/trace_context.hpp"

#include <gtest/gtest.h>

#include "orderstream/core/log.hpp"

namespace orderstream::trace {
namespace {

TEST(TraceContext, FormatsAndParsesW3cTraceparent) {
    std::string trace_id = "4bf92f3577b34da6a3ce929d0e0e4736";
    auto header = FormatTraceparent(trace_id, "00f067aa0ba902b7");
    EXPECT_EQ(header, "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    EXPECT_EQ(ParseTraceparent(header), trace_id);
}

TEST(TraceContext, RejectsMalformedHeaders) {
    EXPECT_FALSE(ParseTraceparent(""));
    EXPECT_FALSE(ParseTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7"));
    EXPECT_FALSE(ParseTraceparent("00-00000000000000000000000000000000-00f067aa0ba902b7-01"));  // zero trace id
    EXPECT_FALSE(ParseTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01"));  // zero parent
    EXPECT_FALSE(ParseTraceparent("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01"));  // upper case
    EXPECT_FALSE(ParseTraceparent("ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
    EXPECT_FALSE(ParseTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra"));
    // A later version may append fields.
    EXPECT_TRUE(ParseTraceparent("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra"));
}

TEST(TraceContext, CurrentTraceIdIsTheRequestIdWhenValid) {
    auto request_id = log::NewRequestId();
    ASSERT_TRUE(IsTraceId(request_id));
    {
        log::RequestScope scope(request_id);
        EXPECT_EQ(CurrentTraceId(), request_id);
    }
    log::RequestScope scope("not-a-trace-id");
    auto generated = CurrentTraceId();
    EXPECT_TRUE(IsTraceId(generated));
    EXPECT_NE(generated, "not-a-trace-id");
}

TEST(TraceContext, ParentIdComesFromTheEventId) {
    EXPECT_EQ(ParentIdFromEventId("0192f0a4-1111-7abc-8def-0123456789ab"), "8def0123456789ab");
    EXPECT_EQ(ParentIdFromEventId("0192F0A4-1111-7ABC-8DEF-0123456789AB"), "8def0123456789ab");
}

}  // namespace
}  // namespace orderstream::trace
