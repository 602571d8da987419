#include "search_engine_node.hpp"

#include <cstdio>
#include <cstdlib>

#include "orderstream/testing/process.hpp"

namespace orderstream::product::testing {
namespace {

std::string EnvOr(const char* name, const char* fallback) {
    const char* value = std::getenv(name);
    return value != nullptr && *value != '\0' ? value : fallback;
}

// The script with the node's ports; ORDERSTREAM_DATA_DIR is inherited.
int RunScript(const std::string& command) {
    if (std::getenv("ORDERSTREAM_DATA_DIR") == nullptr) {
        std::fprintf(stderr, "ORDERSTREAM_DATA_DIR is not set: run the integration tests under scripts/with-infra.sh\n");
        std::abort();
    }
    std::string line = "OPENSEARCH_PORT=" + std::to_string(SearchEngineNode::Port()) +
                       " OPENSEARCH_TRANSPORT_PORT=" +
                       EnvOr("ORDERSTREAM_TEST_OPENSEARCH_TRANSPORT_PORT", "19300") + " '" +
                       ORDERSTREAM_OPENSEARCH_SCRIPT + "' " + command + " >&2";
    return std::system(line.c_str());
}

}  // namespace

int SearchEngineNode::Port() { return std::atoi(EnvOr("ORDERSTREAM_TEST_OPENSEARCH_PORT", "19200").c_str()); }

std::string SearchEngineNode::Url() { return "http://127.0.0.1:" + std::to_string(Port()); }

void SearchEngineNode::Start() {
    if (RunScript("start") != 0) {
        std::fprintf(stderr, "scripts/opensearch.sh start failed\n");
        std::abort();
    }
}

void SearchEngineNode::Stop() {
    if (RunScript("stop") != 0) {
        std::fprintf(stderr, "scripts/opensearch.sh stop failed\n");
        std::abort();
    }
}

bool SearchEngineNode::Running() { return RunScript("status >/dev/null") == 0; }

NodeReply NodeRequest(const std::string& method, const std::string& target, const std::string& body) {
    auto reply = orderstream::testing::HttpRequest(SearchEngineNode::Port(), method, target, body,
                                                   {"Content-Type: application/json"});
    return {reply.status, reply.body};
}

}  // namespace orderstream::product::testing
