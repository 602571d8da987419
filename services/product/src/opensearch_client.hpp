#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "orderstream/core/error.hpp"
#include "orderstream/http/curl_handle_pool.hpp"

namespace orderstream::product {

// What the engine answered: any HTTP status (callers know which ones are fine for them).
struct EngineReply {
    long status = 0;
    std::string body;
};

// The REST API of an OpenSearch 2.x / Elasticsearch 7-8 cluster over libcurl. Safe to use
// from several threads: each call borrows a curl handle from a small pool, which keeps its
// connection alive, so a search costs no TCP handshake. No retries here: callers decide (a
// query has a deadline, the indexer retries through the event consumer).
class OpenSearchClient {
public:
    // base_url: http(s)://[user:password@]host[:port][/prefix], no trailing '/' needed.
    OpenSearchClient(std::string base_url, std::chrono::milliseconds connect_timeout);
    OpenSearchClient(const OpenSearchClient&) = delete;
    OpenSearchClient& operator=(const OpenSearchClient&) = delete;

    // One exchange that gives up after `timeout`. A transport failure (refused, reset,
    // timed out) is Unavailable; any HTTP answer is returned as it is. `content_type` applies
    // when `body` is not empty (the bulk API wants application/x-ndjson).
    Result<EngineReply> Send(std::string_view method, const std::string& target, const std::string& body,
                             std::chrono::milliseconds timeout,
                             const char* content_type = "application/json");

    // The URL without credentials, for logs.
    const std::string& display_url() const { return display_url_; }

private:
    std::string base_url_;
    std::string display_url_;
    std::chrono::milliseconds connect_timeout_;
    http::CurlHandlePool handles_{32};
};

// True for a 5xx or 429 answer: the cluster is overloaded or not ready, worth retrying later.
bool IsTransientStatus(long status);

// "GET /x answered HTTP 400: <reason>" with the engine's error reason when the body has one.
std::string DescribeFailure(std::string_view what, const EngineReply& reply);

}  // namespace orderstream::product
