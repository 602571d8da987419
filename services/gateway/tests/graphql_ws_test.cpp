// The graphql-transport-ws protocol: message parsing and the per-connection state machine, with a fake
// socket and a fake operation runner (no network, no pipeline).
#include <deque>
#include <thread>

#include <gtest/gtest.h>

#include "graphql_ws_protocol.hpp"
#include "graphql_ws_session.hpp"
#include "orderstream/core/metrics.hpp"

namespace gateway = orderstream::gateway;
namespace ws = orderstream::gateway::graphql_ws;
namespace http = orderstream::http;
namespace graphql = orderstream::graphql;

namespace {

TEST(GraphQLWsProtocol, ReadsTheClientMessages) {
    auto init = ws::ParseClientMessage(R"({"type":"connection_init","payload":{"Authorization":"Bearer t"}})");
    auto& message = std::get<ws::ClientMessage>(init);
    EXPECT_TRUE(std::get<ws::ConnectionInit>(message).payload.has_value());
    EXPECT_TRUE(std::holds_alternative<ws::ConnectionInit>(
        std::get<ws::ClientMessage>(ws::ParseClientMessage(R"({"type":"connection_init","payload":null})"))));
    EXPECT_TRUE(std::holds_alternative<ws::Ping>(std::get<ws::ClientMessage>(ws::ParseClientMessage(R"({"type":"ping"})"))));
    EXPECT_TRUE(std::holds_alternative<ws::Pong>(
        std::get<ws::ClientMessage>(ws::ParseClientMessage(R"({"type":"pong","payload":{"x":1}})"))));

    auto subscribe = ws::ParseClientMessage(
        R"({"id":"7","type":"subscribe","payload":{"query":"{ me { id } }","operationName":null,"variables":{"a":1},"extensions":{}}})");
    auto& operation = std::get<ws::Subscribe>(std::get<ws::ClientMessage>(subscribe));
    EXPECT_EQ(operation.id, "7");
    EXPECT_EQ(operation.request.query, "{ me { id } }");
    EXPECT_EQ(operation.request.variables.find("a")->as_int(), 1);
    auto complete = ws::ParseClientMessage(R"({"id":"7","type":"complete"})");
    EXPECT_EQ(std::get<ws::Complete>(std::get<ws::ClientMessage>(complete)).id, "7");
}

TEST(GraphQLWsProtocol, RefusesWhatTheProtocolDoesNotAllow) {
    for (const char* text : {
             "not json", "[]", "{}", R"({"type":42})", R"({"type":"next","id":"1","payload":{}})",
             R"({"type":"error","id":"1","payload":[]})", R"({"type":"connection_ack"})", R"({"type":"unknown"})",
             R"({"type":"connection_init","payload":"token"})", R"({"type":"ping","payload":[1]})",
             R"({"type":"subscribe","payload":{"query":"{ a }"}})", R"({"type":"subscribe","id":"","payload":{"query":"{ a }"}})",
             R"({"type":"subscribe","id":5,"payload":{"query":"{ a }"}})", R"({"type":"subscribe","id":"1"})",
             R"({"type":"subscribe","id":"1","payload":{}})", R"({"type":"subscribe","id":"1","payload":{"query":1}})",
             R"({"type":"subscribe","id":"1","payload":{"query":"{ a }","variables":[]}})",
             R"({"type":"complete"})"}) {
        EXPECT_TRUE(std::holds_alternative<ws::BadMessage>(ws::ParseClientMessage(text))) << text;
    }
    std::string long_id(129, 'x');
    EXPECT_TRUE(std::holds_alternative<ws::BadMessage>(
        ws::ParseClientMessage(R"({"type":"complete","id":")" + long_id + "\"}")));
    std::string deep(100'000, '[');
    EXPECT_TRUE(std::holds_alternative<ws::BadMessage>(ws::ParseClientMessage(deep)));
}

TEST(GraphQLWsProtocol, FindsTheTokenInAnyLetterCase) {
    auto payload = [](const char* json) {
        graphql::Value value;
        std::string error;
        EXPECT_TRUE(graphql::parse_json(json, value, error));
        return std::optional<graphql::Value>(value);
    };
    EXPECT_EQ(ws::TokenOfInitPayload(payload(R"({"authorization":"Bearer abc"})")).token, "abc");
    EXPECT_EQ(ws::TokenOfInitPayload(payload(R"({"AUTHORIZATION":"bearer abc"})")).token, "abc");
    EXPECT_FALSE(ws::TokenOfInitPayload(payload(R"({"other":"x"})")).present);
    EXPECT_FALSE(ws::TokenOfInitPayload(std::nullopt).present);
    EXPECT_TRUE(ws::TokenOfInitPayload(payload(R"({"Authorization":"abc"})")).malformed);
    EXPECT_TRUE(ws::TokenOfInitPayload(payload(R"({"Authorization":"Bearer "})")).malformed);
    EXPECT_TRUE(ws::TokenOfInitPayload(payload(R"({"Authorization":42})")).malformed);
}

TEST(GraphQLWsProtocol, WritesTheServerMessages) {
    graphql::ExecutionResult result;
    result.data = graphql::Value(graphql::ValueObject{{"a", graphql::Value(1)}});
    EXPECT_EQ(ws::NextMessage("x\"y", result), R"({"id":"x\"y","type":"next","payload":{"data":{"a":1}}})");
    EXPECT_EQ(ws::ErrorMessage("1", {graphql::GraphQLError{"no", {}, {}, {}}}),
              R"({"id":"1","type":"error","payload":[{"message":"no"}]})");
    EXPECT_EQ(ws::CompleteMessage("1"), R"({"id":"1","type":"complete"})");
    EXPECT_EQ(ws::ConnectionAckMessage(), R"({"type":"connection_ack"})");
    EXPECT_EQ(ws::PongMessage(), R"({"type":"pong"})");
}

// Records what the session sends, and its timers, which the test fires.
class FakeSocket : public http::WebSocket {
public:
    Sent SendText(std::string message) override {
        std::lock_guard lock(mutex);
        if (close_code) return Sent::kClosed;
        if (too_slow) return Sent::kTooSlow;
        sent.push_back(std::move(message));
        return Sent::kQueued;
    }
    void Close(int code, std::string reason) override {
        std::lock_guard lock(mutex);
        if (close_code) return;
        close_code = code;
        close_reason = std::move(reason);
    }
    void After(std::chrono::milliseconds delay, std::function<void()> task) override {
        std::lock_guard lock(mutex);
        timers.emplace_back(delay, std::move(task));
    }
    const std::string& remote_address() const override { return address; }

    // Runs (and forgets) the timers armed so far.
    void FireTimers() {
        std::deque<std::pair<std::chrono::milliseconds, std::function<void()>>> due;
        {
            std::lock_guard lock(mutex);
            due.swap(timers);
        }
        for (auto& [delay, task] : due) task();
    }
    std::vector<std::string> Sent() {
        std::lock_guard lock(mutex);
        return sent;
    }

    std::mutex mutex;
    std::vector<std::string> sent;
    int close_code = 0;
    std::string close_reason;
    bool too_slow = false;
    std::deque<std::pair<std::chrono::milliseconds, std::function<void()>>> timers;
    std::string address = "192.0.2.1";
};

class FakeOperation : public gateway::RunningOperation {
public:
    void Cancel() override { cancelled = true; }
    std::atomic<bool> cancelled{false};
};

class FakeRunner : public gateway::OperationRunner {
public:
    struct Started {
        gateway::GraphQLRequest request;
        gateway::Authentication caller;
        gateway::OperationSink sink;
        std::shared_ptr<FakeOperation> operation;
    };
    std::shared_ptr<gateway::RunningOperation> Start(const gateway::GraphQLRequest& request,
                                                     const gateway::Authentication& caller,
                                                     gateway::OperationSink sink) override {
        if (busy > 0) {
            --busy;
            return nullptr;
        }
        auto operation = std::make_shared<FakeOperation>();
        started.push_back({request, caller, std::move(sink), operation});
        return operation;
    }
    std::vector<Started> started;
    int busy = 0;  // refuse this many starts
};

graphql::ExecutionResult Data(int n) {
    graphql::ExecutionResult result;
    result.data = graphql::Value(graphql::ValueObject{{"n", graphql::Value(n)}});
    return result;
}

struct SessionTest : ::testing::Test {
    std::shared_ptr<FakeSocket> socket = std::make_shared<FakeSocket>();
    FakeRunner runner;
    std::vector<std::string> tokens_seen;
    std::string cookie;
    gateway::GraphQLWsOptions options;
    std::shared_ptr<gateway::GraphQLWsSession> session;

    void Open() {
        session = std::make_shared<gateway::GraphQLWsSession>(
            socket, runner,
            [this](const std::string& token) {
                tokens_seen.push_back(token);
                gateway::Authentication authentication;
                if (token == "good") {
                    orderstream::auth::Claims claims;
                    claims.account_id = 7;
                    claims.expires_at = std::chrono::duration_cast<std::chrono::seconds>(
                                            std::chrono::system_clock::now().time_since_epoch())
                                            .count() +
                                        3600;
                    authentication.caller = claims;
                } else {
                    authentication.failure = "token expired";
                }
                return authentication;
            },
            cookie, options);
        session->Start();
    }
    void Init(const std::string& payload = "") {
        session->OnText(payload.empty() ? R"({"type":"connection_init"})"
                                        : R"({"type":"connection_init","payload":)" + payload + "}");
    }
    void Subscribe(const std::string& id, const std::string& query = "{ a }") {
        session->OnText(R"({"type":"subscribe","id":")" + id + R"(","payload":{"query":")" + query + "\"}}");
    }
};

TEST_F(SessionTest, InitIsAcknowledgedAndPingsAnswered) {
    Open();
    session->OnText(R"({"type":"ping"})");  // allowed before init too
    Init();
    session->OnText(R"({"type":"pong"})");
    EXPECT_EQ(socket->Sent(), (std::vector<std::string>{R"({"type":"pong"})", R"({"type":"connection_ack"})"}));
    EXPECT_EQ(socket->close_code, 0);
    EXPECT_TRUE(tokens_seen.empty());  // anonymous: no token anywhere
}

TEST_F(SessionTest, SubscribeBeforeTheAckIsUnauthorized) {
    Open();
    Subscribe("1");
    EXPECT_EQ(socket->close_code, 4401);
    EXPECT_TRUE(runner.started.empty());
}

TEST_F(SessionTest, ASecondInitIsTooMany) {
    Open();
    Init();
    Init();
    EXPECT_EQ(socket->close_code, 4429);
}

TEST_F(SessionTest, NoInitInTimeClosesWith4408) {
    Open();
    socket->FireTimers();
    EXPECT_EQ(socket->close_code, 4408);
    EXPECT_EQ(socket->close_reason, "Connection initialisation timeout");
}

TEST_F(SessionTest, TheInitDeadlineIsHarmlessAfterInit) {
    options.idle_timeout = std::chrono::hours(1);
    Open();
    Init();
    socket->FireTimers();
    EXPECT_EQ(socket->close_code, 0);
}

TEST_F(SessionTest, BadMessagesAndBinaryFramesClose4400) {
    Open();
    session->OnText("{\"type\":\"subscribe\"");
    EXPECT_EQ(socket->close_code, 4400);
    auto other = std::make_shared<FakeSocket>();
    socket = other;
    Open();
    session->OnBinary();
    EXPECT_EQ(other->close_code, 4400);
}

TEST_F(SessionTest, ThePayloadTokenInAnyCaseAuthenticates) {
    Open();
    Init(R"({"AuThOrIzAtIoN":"Bearer good"})");
    EXPECT_EQ(tokens_seen, std::vector<std::string>{"good"});
    Subscribe("1");
    ASSERT_EQ(runner.started.size(), 1u);
    ASSERT_TRUE(runner.started[0].caller.caller.has_value());
    EXPECT_EQ(runner.started[0].caller.caller->account_id, 7u);
}

TEST_F(SessionTest, WithoutAPayloadTokenTheCookieAuthenticates) {
    cookie = "good";
    Open();
    Init(R"({"something":"else"})");
    EXPECT_EQ(tokens_seen, std::vector<std::string>{"good"});
    EXPECT_EQ(socket->Sent().back(), R"({"type":"connection_ack"})");
}

TEST_F(SessionTest, ARefusedTokenIsForbidden) {
    Open();
    Init(R"({"authorization":"Bearer stale"})");
    EXPECT_EQ(socket->close_code, 4403);
    EXPECT_EQ(socket->close_reason, "Forbidden: token expired");
    EXPECT_TRUE(socket->Sent().empty());
}

TEST_F(SessionTest, AMalformedAuthorizationIsForbidden) {
    Open();
    Init(R"({"authorization":"good"})");
    EXPECT_EQ(socket->close_code, 4403);
    EXPECT_TRUE(tokens_seen.empty());
}

TEST_F(SessionTest, ResultsBecomeNextThenCompleteOrError) {
    Open();
    Init();
    Subscribe("q");
    Subscribe("bad");
    ASSERT_EQ(runner.started.size(), 2u);
    EXPECT_EQ(runner.started[0].request.query, "{ a }");
    runner.started[0].sink.next(Data(1));
    runner.started[0].sink.done({});
    runner.started[1].sink.done({graphql::GraphQLError{"nope", {}, {}, {}}});
    auto sent = socket->Sent();
    ASSERT_EQ(sent.size(), 4u);
    EXPECT_EQ(sent[1], R"({"id":"q","type":"next","payload":{"data":{"n":1}}})");
    EXPECT_EQ(sent[2], R"({"id":"q","type":"complete"})");
    EXPECT_EQ(sent[3], R"({"id":"bad","type":"error","payload":[{"message":"nope"}]})");
    // Late calls after the end are ignored.
    runner.started[0].sink.next(Data(2));
    EXPECT_EQ(socket->Sent().size(), 4u);
}

TEST_F(SessionTest, AnActiveIdTwiceIs4409ButAFinishedOneMayReturn) {
    Open();
    Init();
    Subscribe("1");
    runner.started[0].sink.done({});
    Subscribe("1");  // the first one is over
    EXPECT_EQ(socket->close_code, 0);
    Subscribe("1");
    EXPECT_EQ(socket->close_code, 4409);
    EXPECT_EQ(socket->close_reason, "Subscriber for 1 already exists");
}

TEST_F(SessionTest, CompleteFromTheClientCancelsAndSilences) {
    Open();
    Init();
    Subscribe("s");
    session->OnText(R"({"type":"complete","id":"s"})");
    EXPECT_TRUE(runner.started[0].operation->cancelled);
    runner.started[0].sink.next(Data(1));
    runner.started[0].sink.done({});
    EXPECT_EQ(socket->Sent().size(), 1u);  // the ack only
    session->OnText(R"({"type":"complete","id":"unknown"})");  // ignored, as the protocol allows
    EXPECT_EQ(socket->close_code, 0);
}

TEST_F(SessionTest, OperationsPerConnectionAreCapped) {
    options.max_operations = 2;
    Open();
    Init();
    for (int i = 0; i < 5; ++i) Subscribe(std::to_string(i));
    EXPECT_EQ(runner.started.size(), 2u);
    auto sent = socket->Sent();
    ASSERT_EQ(sent.size(), 4u);
    EXPECT_NE(sent[1].find(R"("id":"2","type":"error")"), std::string::npos) << sent[1];
    EXPECT_NE(sent[1].find("already runs 2 operations"), std::string::npos) << sent[1];
    EXPECT_EQ(socket->close_code, 0);
    runner.started[0].sink.done({});
    Subscribe("5");
    EXPECT_EQ(runner.started.size(), 3u);
}

TEST_F(SessionTest, WhileTheRunnerIsSaturatedAnOperationWaitsItsTurn) {
    options.init_timeout = std::chrono::hours(1);
    options.idle_timeout = std::chrono::hours(1);
    Open();
    Init();
    socket->timers.clear();
    runner.busy = 2;
    Subscribe("patient");
    EXPECT_TRUE(runner.started.empty());
    socket->FireTimers();  // first retry: still busy
    EXPECT_TRUE(runner.started.empty());
    socket->FireTimers();
    ASSERT_EQ(runner.started.size(), 1u);
    EXPECT_EQ(socket->Sent().size(), 1u);  // no error was sent

    runner.busy = 100;  // never frees up: refused once the backoff is spent
    Subscribe("refused");
    for (int i = 0; i < 20; ++i) socket->FireTimers();
    auto sent = socket->Sent();
    EXPECT_NE(sent.back().find(R"({"id":"refused","type":"error")"), std::string::npos) << sent.back();
    EXPECT_NE(sent.back().find("UNAVAILABLE"), std::string::npos);

    runner.busy = 1;
    Subscribe("abandoned");
    session->OnText(R"({"type":"complete","id":"abandoned"})");
    socket->FireTimers();  // the retry finds it completed and starts nothing
    EXPECT_EQ(runner.started.size(), 1u);
}

TEST_F(SessionTest, ClosingTheSocketCancelsEveryOperation) {
    Open();
    Init();
    Subscribe("a");
    Subscribe("b");
    session->OnClosed();
    EXPECT_TRUE(runner.started[0].operation->cancelled);
    EXPECT_TRUE(runner.started[1].operation->cancelled);
}

TEST_F(SessionTest, AnIdleConnectionIsClosedButOneWithOperationsIsNot) {
    options.idle_timeout = std::chrono::milliseconds(1);
    options.init_timeout = std::chrono::hours(1);
    Open();
    Init();
    Subscribe("live");
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    socket->timers.pop_front();  // the init deadline
    socket->FireTimers();        // the idle check: an operation runs, so it re-arms
    EXPECT_EQ(socket->close_code, 0);
    runner.started[0].sink.done({});
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    session->OnText(R"({"type":"ping"})");  // pings alone do not keep it open
    socket->FireTimers();
    EXPECT_EQ(socket->close_code, 1000);
}

TEST_F(SessionTest, TheConnectionEndsWithItsToken) {
    options.idle_timeout = std::chrono::hours(1);
    Open();
    Init(R"({"authorization":"Bearer good"})");
    // init deadline, idle check, token expiry
    ASSERT_EQ(socket->timers.size(), 3u);
    EXPECT_GE(socket->timers.back().first, std::chrono::minutes(59));
    socket->timers.back().second();
    EXPECT_EQ(socket->close_code, 4403);
    EXPECT_EQ(socket->close_reason, "Forbidden: token expired");
}

TEST_F(SessionTest, ASlowReaderIsCounted) {
    Open();
    Init();
    Subscribe("s");
    socket->too_slow = true;
    runner.started[0].sink.next(Data(1));
    runner.started[0].sink.next(Data(2));
    auto text = orderstream::metrics::Registry::Global().RenderText();
    EXPECT_NE(text.find(R"(gateway_ws_closed_total{reason="slow_reader"} 1)"), std::string::npos);
}

}  // namespace
