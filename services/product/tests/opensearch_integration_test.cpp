// Black-box tests of the search engine backend: the real `orderstream product` binary with
// ELASTICSEARCH_URL pointing at a real single-node OpenSearch (scripts/opensearch.sh, jars from
// Maven Central), the test PostgreSQL and the test Kafka broker.
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <set>
#include <thread>

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <pqxx/pqxx>
#include <rapidjson/document.h>

#include "orderstream/testing/process.hpp"
#include "orderstream/testing/role.hpp"
#include "product.grpc.pb.h"
#include "search_engine_node.hpp"
#include "search_relevance_cases.hpp"

namespace {

namespace testing_ = orderstream::testing;
using orderstream::product::testing::ExpectSearchRelevance;
using orderstream::product::testing::ExpectStableSearchPages;
using orderstream::product::testing::NodeRequest;
using orderstream::product::testing::SearchEngineNode;
using orderstream::product::testing::SearchSubject;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;
using std::chrono::seconds;

// Generous, so that a busy shared machine does not fail searches that are merely slow; the
// deadline test sets its own, short one.
constexpr int kSearchTimeoutMs = 5'000;
constexpr int kShortSearchTimeoutMs = 1'000;

// Starts the node for the whole binary unless one is running already (then it is left running).
class EngineEnvironment : public ::testing::Environment {
public:
    void SetUp() override {
        was_running_ = SearchEngineNode::Running();
        if (!was_running_) SearchEngineNode::Start();
    }
    void TearDown() override {
        if (!was_running_) SearchEngineNode::Stop();
    }

private:
    bool was_running_ = false;
};
const auto* const kEngine = ::testing::AddGlobalTestEnvironment(new EngineEnvironment);

double SecondsSince(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

// Polls `done` every 100 ms until it is true or `limit` passes; the seconds it took, or -1.
template <typename Done>
double WaitFor(Done&& done, seconds limit = seconds(30)) {
    auto start = Clock::now();
    while (SecondsSince(start) < static_cast<double>(limit.count())) {
        if (done()) return SecondsSince(start);
        std::this_thread::sleep_for(milliseconds(100));
    }
    return -1;
}

std::uint64_t CountOf(const std::string& body) {
    rapidjson::Document doc;
    doc.Parse(body.c_str());
    if (doc.HasParseError() || !doc.IsObject() || !doc.HasMember("count") || !doc["count"].IsUint64()) return 0;
    return doc["count"].GetUint64();
}

// A TCP listener that never accepts nor answers: a connect succeeds (the kernel queues it) and
// the request then waits forever, like an engine stuck in a GC pause or a black-holed host.
class SilentListener {
public:
    SilentListener() {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        addr.sin_port = 0;
        ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
        ::listen(fd_, 64);
        socklen_t len = sizeof addr;
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
        port_ = ntohs(addr.sin_port);
    }
    ~SilentListener() { ::close(fd_); }
    int port() const { return port_; }

private:
    int fd_ = -1;
    int port_ = 0;
};

class OpenSearchProductTest : public ::testing::Test {
protected:
    void SetUp() override {
        static int counter = 0;
        alias_ = "orderstream-test-" + std::to_string(::getpid()) + "-" + std::to_string(++counter);
        role_ = StartRole(SearchEngineNode::Url(), {});
        ASSERT_TRUE(role_->ready()) << role_->Output();
        stub_ = StubFor(*role_);
        // The role creates the alias (and its index) as soon as it runs.
        ASSERT_GE(WaitFor([&] { return NodeRequest("GET", "/_alias/" + alias_).status == 200; }), 0)
            << role_->Output();
        // The alias shows before the index's shard has started; searches until then are refused (503).
        auto health = NodeRequest("GET", "/_cluster/health/" + alias_ + "?wait_for_status=green&timeout=30s");
        ASSERT_NE(health.body.find(R"("status":"green")"), std::string::npos) << health.body;
    }

    void TearDown() override {
        if (HasFailure()) std::fprintf(stderr, "--- service log ---\n%s\n", role_ ? role_->Output().c_str() : "");
        stub_.reset();
        role_.reset();
        if (SearchEngineNode::Running()) NodeRequest("DELETE", "/" + alias_ + "-*");
    }

    std::unique_ptr<testing_::RoleProcess> StartRole(const std::string& url,
                                                     std::map<std::string, std::string> extra) {
        std::map<std::string, std::string> env = {{"ELASTICSEARCH_URL", url},
                                                  {"ELASTICSEARCH_INDEX", alias_},
                                                  {"ELASTICSEARCH_REPLICAS", "0"},
                                                  {"ELASTICSEARCH_TIMEOUT_MS", std::to_string(kSearchTimeoutMs)}};
        for (auto& [k, v] : extra) env[k] = v;
        return std::make_unique<testing_::RoleProcess>("product", env);
    }

    static std::unique_ptr<pb::ProductService::Stub> StubFor(const testing_::RoleProcess& role) {
        return pb::ProductService::NewStub(grpc::CreateChannel(role.address(), grpc::InsecureChannelCredentials()));
    }

    static pb::Product Post(pb::ProductService::Stub& stub, const std::string& name, const std::string& description) {
        grpc::ClientContext context;
        pb::CreateProductRequest request;
        request.set_name(name);
        request.set_description(description);
        request.set_price(10);
        request.set_accountid(1);
        pb::ProductResponse response;
        auto status = stub.PostProduct(&context, request, &response);
        EXPECT_TRUE(status.ok()) << status.error_message();
        return response.product();
    }
    pb::Product Post(const std::string& name, const std::string& description = "") {
        return Post(*stub_, name, description);
    }

    grpc::Status Update(const std::string& id, const std::string& name) {
        grpc::ClientContext context;
        pb::UpdateProductRequest request;
        request.set_id(id);
        request.set_name(name);
        request.set_price(12.5);
        request.set_accountid(1);
        pb::ProductResponse response;
        return stub_->UpdateProduct(&context, request, &response);
    }

    grpc::Status Delete(const std::string& id) {
        grpc::ClientContext context;
        pb::DeleteProductRequest request;
        request.set_productid(id);
        request.set_accountid(1);
        google::protobuf::Empty empty;
        return stub_->DeleteProduct(&context, request, &empty);
    }

    static grpc::Status SearchCall(pb::ProductService::Stub& stub, const std::string& query, std::uint64_t skip,
                                   std::uint64_t take, pb::ProductsResponse* response) {
        grpc::ClientContext context;
        // Far beyond the search timeout: a hang would show as DEADLINE_EXCEEDED, not UNAVAILABLE.
        context.set_deadline(std::chrono::system_clock::now() + seconds(10));
        pb::GetProductsRequest request;
        request.set_query(query);
        request.set_skip(skip);
        request.set_take(take);
        return stub.GetProducts(&context, request, response);
    }

    std::vector<std::string> Search(const std::string& query, std::uint64_t skip = 0, std::uint64_t take = 10) {
        pb::ProductsResponse response;
        auto status = SearchCall(*stub_, query, skip, take, &response);
        EXPECT_TRUE(status.ok()) << query << ": " << status.error_message();
        std::vector<std::string> names;
        for (const auto& p : response.products()) names.push_back(p.name());
        return names;
    }

    long LiveProducts() {
        pqxx::connection conn(role_->database_url());
        pqxx::nontransaction tx(conn);
        return tx.exec1("SELECT count(*) FROM products WHERE deleted_at IS NULL")[0].as<long>();
    }

    std::uint64_t IndexedCount() { return CountOf(NodeRequest("GET", "/" + alias_ + "/_count").body); }

    // Every live product of PostgreSQL is searchable (the index only ever holds live products).
    void AwaitSearchable() {
        auto live = static_cast<std::uint64_t>(LiveProducts());
        EXPECT_GE(WaitFor([&] { return IndexedCount() == live; }), 0)
            << "index holds " << IndexedCount() << " of " << live << " products";
    }

    SearchSubject Subject() {
        return {
            .post = [this](const std::string& name, const std::string& description) { Post(name, description); },
            .await_searchable = [this] { AwaitSearchable(); },
            .search = [this](const std::string& query, std::uint64_t skip,
                             std::uint64_t take) { return Search(query, skip, take); },
            .search_status =
                [this](const std::string& query) {
                    pb::ProductsResponse response;
                    return SearchCall(*stub_, query, 0, 10, &response);
                },
        };
    }

    bool Finds(const std::string& query, const std::string& name) {
        auto names = Search(query);
        return std::find(names.begin(), names.end(), name) != names.end();
    }

    // `orderstream product reindex` against this test's database and alias: exit code and output.
    std::pair<int, std::string> RunReindex() {
        std::string command = "ELASTICSEARCH_URL='" + SearchEngineNode::Url() + "' ELASTICSEARCH_INDEX='" + alias_ +
                              "' ELASTICSEARCH_REPLICAS=0 DATABASE_URL='" + role_->database_url() +
                              "' LOG_LEVEL=warn '" + testing_::OrderstreamBinary() + "' product reindex 2>&1";
        std::string output;
        FILE* pipe = ::popen(command.c_str(), "r");
        if (pipe == nullptr) return {-1, "popen failed"};
        char buffer[4096];
        while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) output += buffer;
        int status = ::pclose(pipe);
        return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
    }

    std::vector<std::string> IndicesBehindAlias() {
        std::vector<std::string> indices;
        auto reply = NodeRequest("GET", "/_alias/" + alias_);
        rapidjson::Document doc;
        doc.Parse(reply.body.c_str());
        if (reply.status != 200 || doc.HasParseError() || !doc.IsObject()) return indices;
        for (const auto& m : doc.GetObject()) indices.emplace_back(m.name.GetString());
        return indices;
    }

    std::string alias_;
    std::unique_ptr<testing_::RoleProcess> role_;
    std::unique_ptr<pb::ProductService::Stub> stub_;
};

TEST_F(OpenSearchProductTest, IndexHasAnExplicitStrictMapping) {
    auto indices = IndicesBehindAlias();
    ASSERT_EQ(indices.size(), 1U);
    auto reply = NodeRequest("GET", "/" + alias_ + "/_mapping");
    ASSERT_EQ(reply.status, 200) << reply.body;
    rapidjson::Document doc;
    doc.Parse(reply.body.c_str());
    ASSERT_TRUE(doc.IsObject() && doc.HasMember(indices[0].c_str())) << reply.body;
    const auto& mapping = doc[indices[0].c_str()]["mappings"];
    EXPECT_STREQ(mapping["dynamic"].GetString(), "strict");
    const auto& properties = mapping["properties"];
    EXPECT_STREQ(properties["name"]["analyzer"].GetString(), "english");
    EXPECT_STREQ(properties["description"]["analyzer"].GetString(), "english");
    EXPECT_STREQ(properties["price_cents"]["type"].GetString(), "long");
    EXPECT_STREQ(properties["id"]["type"].GetString(), "keyword");
    // A field nobody mapped is refused instead of being guessed.
    auto unknown = NodeRequest("PUT", "/" + alias_ + "/_doc/x", R"({"id":"x","colour":"red"})");
    EXPECT_EQ(unknown.status, 400) << unknown.body;
    EXPECT_NE(unknown.body.find("strict_dynamic_mapping_exception"), std::string::npos) << unknown.body;

    // Prices are stored as integer cents.
    auto product = Post("Price Probe", "");
    AwaitSearchable();
    auto doc_reply = NodeRequest("GET", "/" + alias_ + "/_doc/" + product.id());
    EXPECT_NE(doc_reply.body.find(R"("price_cents":1000)"), std::string::npos) << doc_reply.body;
}

// The PostgreSQL backend's relevance suite (search_relevance_cases.cpp), unchanged.
TEST_F(OpenSearchProductTest, SearchRanksStemsPhrasesExclusionsAndTypos) { ExpectSearchRelevance(Subject()); }

TEST_F(OpenSearchProductTest, SearchPagesAreStable) {
    for (int i = 0; i < 25; ++i) Post("Widget " + std::to_string(i), "A widget");
    AwaitSearchable();
    ExpectStableSearchPages(Subject(), "widget", 25, 7);
    // Beyond the engine's result window: an empty page, not an error.
    EXPECT_TRUE(Search("widget", 20'000, 10).empty());
}

TEST_F(OpenSearchProductTest, WritesReachSearchWithinSeconds) {
    // Each lag is measured from the write's acknowledgement to the first search that shows it.
    auto product = Post("Lagtest Lantern", "Brass storm lantern");
    double created = WaitFor([&] { return Finds("lantern", "Lagtest Lantern"); });
    ASSERT_GE(created, 0) << "a new product never became searchable";

    ASSERT_TRUE(Update(product.id(), "Lagtest Candle").ok());
    double updated = WaitFor([&] { return Finds("candle", "Lagtest Candle") && !Finds("lagtest", "Lagtest Lantern"); });
    ASSERT_GE(updated, 0) << "an update never reached search";

    ASSERT_TRUE(Delete(product.id()).ok());
    double deleted = WaitFor([&] { return Search("candle").empty(); });
    ASSERT_GE(deleted, 0) << "a deleted product stayed searchable";

    std::printf("indexing lag: create %.2fs, update %.2fs, delete %.2fs\n", created, updated, deleted);
    RecordProperty("lag_create_ms", static_cast<int>(created * 1000));
    RecordProperty("lag_update_ms", static_cast<int>(updated * 1000));
    RecordProperty("lag_delete_ms", static_cast<int>(deleted * 1000));
    // Outbox relay, consumer and the 1 s refresh: a few seconds at most.
    EXPECT_LT(created, 5.0);
    EXPECT_LT(updated, 5.0);
    EXPECT_LT(deleted, 5.0);
}

TEST_F(OpenSearchProductTest, CatchesUpAfterTheEngineWasDown) {
    auto kept = Post("Outage Kettle", "Steel kettle");
    auto renamed = Post("Outage Teapot", "Porcelain teapot");
    auto removed = Post("Outage Toaster", "Two slots");
    AwaitSearchable();

    SearchEngineNode::Stop();
    // Writes go on: PostgreSQL is the source of truth, the events wait in Kafka.
    auto added = Post("Outage Blender", "Glass jar blender");
    ASSERT_TRUE(Update(renamed.id(), "Outage Samovar").ok());
    ASSERT_TRUE(Delete(removed.id()).ok());
    // Searches fail fast and clearly instead of hanging.
    pb::ProductsResponse response;
    auto start = Clock::now();
    auto status = SearchCall(*stub_, "outage", 0, 10, &response);
    double took = SecondsSince(start);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE) << status.error_message();
    EXPECT_LT(took, kSearchTimeoutMs / 1000.0);  // a refused connection fails at once

    SearchEngineNode::Start();
    double caught_up = WaitFor(
        [&] {
            pb::ProductsResponse page;
            if (!SearchCall(*stub_, "outage", 0, 10, &page).ok()) return false;
            std::set<std::string> names;
            for (const auto& p : page.products()) names.insert(p.name());
            return names == std::set<std::string>{"Outage Kettle", "Outage Samovar", "Outage Blender"};
        },
        seconds(60));
    ASSERT_GE(caught_up, 0) << "the index never caught up: " << ::testing::PrintToString(Search("outage"));
    std::printf("caught up %.2fs after the engine answered again\n", caught_up);
    EXPECT_TRUE(Search("toaster").empty());
    EXPECT_TRUE(Search("teapot").empty());
    EXPECT_EQ(IndexedCount(), 3U);
    (void)kept;
    (void)added;
}

TEST_F(OpenSearchProductTest, UnresponsiveEngineIsUnavailableWithinTheDeadline) {
    SilentListener silent;
    const std::string url = "http://127.0.0.1:" + std::to_string(silent.port());
    // Own consumer groups: these roles must not take partitions from the fixture's indexer.
    auto plain = StartRole(url, {{"PRODUCT_SEARCH_CONSUMER_GROUP", alias_ + "-plain"},
                                 {"ELASTICSEARCH_TIMEOUT_MS", std::to_string(kShortSearchTimeoutMs)}});
    ASSERT_TRUE(plain->ready()) << plain->Output();
    auto plain_stub = StubFor(*plain);
    pb::ProductsResponse response;
    auto start = Clock::now();
    auto status = SearchCall(*plain_stub, "anything", 0, 10, &response);
    double took = SecondsSince(start);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE) << status.error_message();
    EXPECT_GE(took, kShortSearchTimeoutMs / 1000.0 - 0.1);  // it did wait for the engine...
    EXPECT_LT(took, kShortSearchTimeoutMs / 1000.0 + 1.5);  // ...but no longer than the timeout

    // With ELASTICSEARCH_FALLBACK=postgres the same outage is answered by PostgreSQL.
    auto fallback = StartRole(url, {{"PRODUCT_SEARCH_CONSUMER_GROUP", alias_ + "-fallback"},
                                    {"ELASTICSEARCH_TIMEOUT_MS", std::to_string(kShortSearchTimeoutMs)},
                                    {"ELASTICSEARCH_FALLBACK", "postgres"}});
    ASSERT_TRUE(fallback->ready()) << fallback->Output();
    auto fallback_stub = StubFor(*fallback);
    Post(*fallback_stub, "Fallback Lamp", "Desk lamp");
    status = SearchCall(*fallback_stub, "lamp", 0, 10, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
    ASSERT_EQ(response.products_size(), 1);
    EXPECT_EQ(response.products(0).name(), "Fallback Lamp");
}

TEST_F(OpenSearchProductTest, ReindexRebuildsTheIndexFromPostgres) {
    Post("Reindex Anchor", "Heavy anchor");
    Post("Reindex Buoy", "Bright buoy");
    auto gone = Post("Reindex Chain", "Rusty chain");
    ASSERT_TRUE(Delete(gone.id()).ok());
    AwaitSearchable();

    // The index is lost entirely; the catalog is not.
    for (const auto& index : IndicesBehindAlias()) ASSERT_EQ(NodeRequest("DELETE", "/" + index).status, 200);
    auto [code, output] = RunReindex();
    ASSERT_EQ(code, 0) << output;
    EXPECT_NE(output.find("reindex: 2/2 products (100%)"), std::string::npos) << output;
    EXPECT_NE(output.find("reindex: done: 2 products"), std::string::npos) << output;
    auto first = IndicesBehindAlias();
    ASSERT_EQ(first.size(), 1U);
    EXPECT_EQ(IndexedCount(), 2U);
    EXPECT_EQ(Search("reindex").size(), 2U);
    EXPECT_TRUE(Search("chain").empty());

    // Again, over a live index: the alias moves to a new index and the old one is dropped.
    auto [again, again_output] = RunReindex();
    ASSERT_EQ(again, 0) << again_output;
    auto second = IndicesBehindAlias();
    ASSERT_EQ(second.size(), 1U);
    EXPECT_NE(second[0], first[0]);
    EXPECT_EQ(NodeRequest("GET", "/" + first[0]).status, 404);
    EXPECT_EQ(Search("reindex").size(), 2U);

    // The indexer writes through the alias into the new index.
    Post("Reindex Dinghy", "Small boat");
    EXPECT_GE(WaitFor([&] { return Finds("dinghy", "Reindex Dinghy"); }), 0);
}

}  // namespace
