#pragma once

#include <string>

namespace orderstream::product::testing {

// The test OpenSearch node, run by scripts/opensearch.sh on the test data dir
// (ORDERSTREAM_DATA_DIR, set by scripts/with-infra.sh) and ports
// ORDERSTREAM_TEST_OPENSEARCH_PORT / ORDERSTREAM_TEST_OPENSEARCH_TRANSPORT_PORT (19200 / 19300).
class SearchEngineNode {
public:
    static int Port();
    static std::string Url();
    // Start waits until the cluster answers; both abort the test binary when the script fails,
    // so the engine tests can never pass by skipping.
    static void Start();
    static void Stop();
    static bool Running();
};

// One blocking HTTP exchange with the test node: status and body.
struct NodeReply {
    int status = 0;
    std::string body;
};
NodeReply NodeRequest(const std::string& method, const std::string& target, const std::string& body = "");

}  // namespace orderstream::product::testing
