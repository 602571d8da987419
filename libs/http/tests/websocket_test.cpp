// WebSocket upgrades through ServerOptions::upgrade, driven by a Beast client as a browser would.
#include <atomic>
#include <condition_variable>
#include <thread>

#include <boost/asio/connect.hpp>
#include <boost/asio/write.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <gtest/gtest.h>

#include "orderstream/http/server.hpp"
#include "orderstream/testing/process.hpp"

namespace http = orderstream::http;
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

namespace {

// What the server side saw, for the test thread to wait on.
struct Observed {
    std::mutex mutex;
    std::condition_variable changed;
    std::vector<std::string> texts;
    int binaries = 0;
    int closed = 0;
    std::vector<http::WebSocket::Sent> sends;
    std::shared_ptr<http::WebSocket> socket;

    template <typename Predicate>
    bool wait(Predicate predicate) {
        std::unique_lock lock(mutex);
        return changed.wait_for(lock, std::chrono::seconds(10), [&] { return predicate(); });
    }
    void notify() { changed.notify_all(); }
};

struct Fixture : ::testing::Test {
    Observed observed;
    std::atomic<int> released{0};  // owners of `open` closures destroyed
    std::size_t max_buffered = 1 << 20;
    std::unique_ptr<http::Server> server;

    void SetUp() override {
        http::ServerOptions options;
        options.threads = 2;
        options.upgrade = [this](const http::Request& request) -> std::variant<http::Response, http::WebSocketAccept> {
            if (request.Path() == "/refuse") return http::Response::Text(429, "too many\n");
            http::WebSocketAccept accept;
            if (request.Header("sec-websocket-protocol").find("echo") != std::string_view::npos) accept.subprotocol = "echo";
            accept.max_message_bytes = 1024;
            accept.max_buffered_bytes = max_buffered;
            auto owner = std::shared_ptr<int>(new int(0), [this](int* p) {
                {
                    std::lock_guard lock(observed.mutex);
                    ++released;
                }
                observed.notify();
                delete p;
            });
            accept.open = [this, owner](std::shared_ptr<http::WebSocket> socket) {
                {
                    std::lock_guard lock(observed.mutex);
                    observed.socket = socket;
                }
                observed.notify();
                http::WebSocketHandlers handlers;
                std::weak_ptr<http::WebSocket> weak = socket;
                handlers.text = [this, weak, owner](std::string_view text) {
                    auto socket = weak.lock();
                    {
                        std::lock_guard lock(observed.mutex);
                        observed.texts.emplace_back(text);
                    }
                    observed.notify();
                    if (text == "close me") return socket->Close(4400, "bye now");
                    if (text == "close long") return socket->Close(4400, std::string(122, 'x') + "\xc3\xa9\xc3\xa9");
                    if (text == "later") {
                        return socket->After(std::chrono::milliseconds(20), [weak] {
                            if (auto s = weak.lock()) s->SendText("timer fired");
                        });
                    }
                    if (text == "flood") {
                        std::string chunk(16 * 1024, 'x');
                        for (int i = 0; i < 4096; ++i) {
                            auto sent = socket->SendText(chunk);
                            std::lock_guard lock(observed.mutex);
                            observed.sends.push_back(sent);
                            if (sent != http::WebSocket::Sent::kQueued) break;
                        }
                        return;
                    }
                    socket->SendText("echo: " + std::string(text));
                };
                handlers.binary = [this] {
                    std::lock_guard lock(observed.mutex);
                    ++observed.binaries;
                    observed.notify();
                };
                handlers.closed = [this] {
                    std::lock_guard lock(observed.mutex);
                    ++observed.closed;
                    observed.notify();
                };
                return handlers;
            };
            return accept;
        };
        server = std::make_unique<http::Server>(options, [](http::Request&&, http::Respond respond) {
            respond(http::Response::Text(200, "plain\n"));
        });
        server->Start();
    }
    void TearDown() override {
        observed.socket.reset();  // a connection must not outlive the server's I/O context
        server.reset();
    }

    // A connected client after the handshake; `protocol` is offered as Sec-WebSocket-Protocol.
    std::unique_ptr<websocket::stream<tcp::socket>> Connect(asio::io_context& io, const std::string& protocol = "echo",
                                                            std::string* chosen = nullptr) {
        auto ws = std::make_unique<websocket::stream<tcp::socket>>(io);
        ws->next_layer().connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(server->port())));
        ws->set_option(websocket::stream_base::decorator([protocol](websocket::request_type& request) {
            if (!protocol.empty()) request.set(beast::http::field::sec_websocket_protocol, protocol);
        }));
        websocket::response_type response;
        ws->handshake(response, "127.0.0.1", "/ws");
        if (chosen) *chosen = std::string(response[beast::http::field::sec_websocket_protocol]);
        return ws;
    }

    static std::string ReadText(websocket::stream<tcp::socket>& ws) {
        beast::flat_buffer buffer;
        ws.read(buffer);
        return beast::buffers_to_string(buffer.data());
    }

    // Reads until the server's close frame arrives; returns its code (0 when the connection just dropped).
    static int ReadClose(websocket::stream<tcp::socket>& ws, std::string* reason = nullptr) {
        beast::flat_buffer buffer;
        beast::error_code ec;
        for (int i = 0; i < 10'000 && !ec; ++i) {
            ws.read(buffer, ec);
            buffer.consume(buffer.size());
        }
        // The client's answering close frame may fail (the server already hung up); the code was read.
        if (ec != websocket::error::closed && ws.reason().code == websocket::close_code::none) return 0;
        if (reason) *reason = std::string(ws.reason().reason.c_str());
        return ws.reason().code;
    }
};

TEST_F(Fixture, UpgradesEchoAndClosesWithACode) {
    asio::io_context io;
    std::string chosen;
    auto ws = Connect(io, "other, echo", &chosen);
    EXPECT_EQ(chosen, "echo");
    ws->write(asio::buffer(std::string("hello")));
    EXPECT_EQ(ReadText(*ws), "echo: hello");
    ws->write(asio::buffer(std::string("close me")));
    std::string reason;
    EXPECT_EQ(ReadClose(*ws, &reason), 4400);
    EXPECT_EQ(reason, "bye now");
    EXPECT_TRUE(observed.wait([&] { return observed.closed == 1; }));
    EXPECT_TRUE(observed.wait([&] { return released == 1; }));  // the handlers went with the connection
}

TEST_F(Fixture, ALongCloseReasonIsCutAtACharacterBoundary) {
    asio::io_context io;
    auto ws = Connect(io);
    ws->write(asio::buffer(std::string("close long")));
    std::string reason;
    EXPECT_EQ(ReadClose(*ws, &reason), 4400);
    EXPECT_EQ(reason, std::string(122, 'x'));  // the two-byte character that would straddle byte 123 is left out
}

TEST_F(Fixture, PlainRequestsStillReachTheHandler) {
    auto reply = orderstream::testing::HttpRequest(server->port(), "GET", "/ws");
    EXPECT_EQ(reply.status, 200);
    EXPECT_EQ(reply.body, "plain\n");
}

// The status line of the reply to a hand-written request.
std::string RawExchange(int port, const std::string& request) {
    asio::io_context io;
    tcp::socket socket(io);
    socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)));
    asio::write(socket, asio::buffer(request));
    std::string reply;
    beast::error_code ec;
    char buffer[4096];
    while (reply.find("\r\n") == std::string::npos && !ec) {
        auto n = socket.read_some(asio::buffer(buffer), ec);
        reply.append(buffer, n);
    }
    return reply.substr(0, reply.find("\r\n"));
}

TEST_F(Fixture, AnUpgradeCanBeRefusedWithAResponse) {
    auto status = RawExchange(server->port(),
                              "GET /refuse HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
                              "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n");
    EXPECT_EQ(status, "HTTP/1.1 429 Too Many Requests");
}

TEST_F(Fixture, AFailedHandshakeReleasesWhatOpenOwned) {
    // Upgrade headers but no Sec-WebSocket-Key: Beast refuses the handshake, `open` never runs.
    auto status = RawExchange(server->port(),
                              "GET /ws HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n");
    EXPECT_EQ(status, "HTTP/1.1 400 Bad Request");
    EXPECT_TRUE(observed.wait([&] { return released == 1; }));
    EXPECT_EQ(observed.closed, 0);
}

TEST_F(Fixture, BinaryMessagesReachTheirOwnHandler) {
    asio::io_context io;
    auto ws = Connect(io);
    ws->binary(true);
    ws->write(asio::buffer(std::string("\x01\x02", 2)));
    ws->binary(false);
    ws->write(asio::buffer(std::string("after")));
    EXPECT_EQ(ReadText(*ws), "echo: after");
    EXPECT_EQ(observed.binaries, 1);
}

TEST_F(Fixture, AnOversizedMessageClosesWith1009) {
    asio::io_context io;
    auto ws = Connect(io);
    ws->write(asio::buffer(std::string(4096, 'a')));
    EXPECT_EQ(ReadClose(*ws), 1009);
    EXPECT_TRUE(observed.wait([&] { return observed.closed == 1; }));
    EXPECT_TRUE(observed.texts.empty());
}

TEST_F(Fixture, TimersRunOnTheConnection) {
    asio::io_context io;
    auto ws = Connect(io);
    ws->write(asio::buffer(std::string("later")));
    EXPECT_EQ(ReadText(*ws), "timer fired");
}

TEST_F(Fixture, APeerThatDoesNotReadIsDroppedNotBuffered) {
    max_buffered = 256 * 1024;
    asio::io_context io;
    auto ws = Connect(io);
    // The client asks for a flood and then never reads: the kernel buffers fill, then ours.
    ws->write(asio::buffer(std::string("flood")));
    ASSERT_TRUE(observed.wait([&] { return observed.closed == 1; }));
    std::lock_guard lock(observed.mutex);
    ASSERT_FALSE(observed.sends.empty());
    EXPECT_EQ(observed.sends.back(), http::WebSocket::Sent::kTooSlow);
    EXPECT_LT(observed.sends.size(), 4096u);
}

TEST_F(Fixture, StopClosesOpenSocketsWithGoingAway) {
    asio::io_context io;
    auto ws = Connect(io);
    ASSERT_TRUE(observed.wait([&] { return observed.socket != nullptr; }));
    std::thread stopping([&] { server->Stop(); });
    EXPECT_EQ(ReadClose(*ws), 1001);
    stopping.join();
    EXPECT_EQ(observed.closed, 1);
    EXPECT_EQ(observed.socket->SendText("late"), http::WebSocket::Sent::kClosed);
}

}  // namespace
