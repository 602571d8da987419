#include <gtest/gtest.h>

#include "orderstream/http/curl_handle_pool.hpp"

namespace http = orderstream::http;

TEST(CurlHandlePool, ReusesHealthyHandlesUpToItsLimit) {
    http::CurlHandlePool pool(1);
    CURL* first = pool.Acquire();
    CURL* second = pool.Acquire();
    ASSERT_NE(first, nullptr);
    ASSERT_NE(second, nullptr);
    EXPECT_NE(first, second);
    pool.Release(first, true);
    pool.Release(second, true);  // over the limit: closed
    EXPECT_EQ(pool.idle(), 1u);
    EXPECT_EQ(pool.Acquire(), first) << "the idle handle (and its connection) is handed out again";
    EXPECT_EQ(pool.idle(), 0u);
    pool.Release(first, true);
}

TEST(CurlHandlePool, AFailedHandleIsNotKept) {
    http::CurlHandlePool pool(4);
    CURL* handle = pool.Acquire();
    ASSERT_NE(handle, nullptr);
    pool.Release(handle, false);
    EXPECT_EQ(pool.idle(), 0u);
    pool.Release(nullptr, true);
    EXPECT_EQ(pool.idle(), 0u);
}
