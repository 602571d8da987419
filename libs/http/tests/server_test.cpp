#include "orderstream/http/server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <thread>

#include <gtest/gtest.h>

#include "orderstream/testing/process.hpp"

namespace http = orderstream::http;
using orderstream::testing::HttpRequest;

namespace {

http::Server StartEcho(std::size_t body_limit = 1 << 20) {
    http::ServerOptions options;
    options.body_limit = body_limit;
    options.threads = 2;
    return http::Server(options, [](http::Request&& request, http::Respond respond) {
        if (request.Path() == "/later") {
            // Completes from another thread, as a handler waiting on gRPC would.
            std::thread([respond] {
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
                respond(http::Response::Text(202, "done later"));
            }).detach();
            return;
        }
        if (request.Path() == "/throw") throw std::runtime_error("boom");
        auto response = http::Response::Json(200, "{\"method\":\"" + request.method + "\",\"query\":\"" +
                                                      std::string(request.Query()) + "\",\"body\":\"" + request.body +
                                                      "\",\"x\":\"" + std::string(request.Header("x-test")) + "\"}");
        response.headers.emplace_back("Set-Cookie", "a=b");
        respond(std::move(response));
    });
}

TEST(HttpServer, ServesGetAndPost) {
    auto server = StartEcho();
    server.Start();
    auto get = HttpRequest(server.port(), "GET", "/path?q=1", "", {"X-Test: hello"});
    EXPECT_EQ(get.status, 200);
    EXPECT_EQ(get.body, R"({"method":"GET","query":"q=1","body":"","x":"hello"})");
    EXPECT_NE(get.headers.find("Content-Type: application/json"), std::string::npos);
    EXPECT_NE(get.headers.find("Set-Cookie: a=b"), std::string::npos);
    auto post = HttpRequest(server.port(), "POST", "/p", "payload");
    EXPECT_EQ(post.body, R"({"method":"POST","query":"","body":"payload","x":""})");
}

TEST(HttpServer, AsynchronousResponsesAndHandlerExceptions) {
    auto server = StartEcho();
    server.Start();
    auto later = HttpRequest(server.port(), "GET", "/later");
    EXPECT_EQ(later.status, 202);
    EXPECT_EQ(later.body, "done later");
    auto thrown = HttpRequest(server.port(), "GET", "/throw");
    EXPECT_EQ(thrown.status, 500);
}

TEST(HttpServer, OversizedBodyIs413) {
    auto server = StartEcho(16);
    server.Start();
    EXPECT_EQ(HttpRequest(server.port(), "POST", "/p", std::string(17, 'x')).status, 413);
    EXPECT_EQ(HttpRequest(server.port(), "POST", "/p", std::string(16, 'x')).status, 200);
}

int Connect(int port) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    timeval timeout{10, 0};  // a test that waits for a close fails instead of hanging
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    return fd;
}

// Reads until the server closes the connection (or the 10 s receive timeout); what it sent.
std::string ReadUntilClosed(int fd, bool* closed) {
    std::string received;
    char buffer[4096];
    while (true) {
        auto n = ::recv(fd, buffer, sizeof buffer, 0);
        if (n > 0) {
            received.append(buffer, static_cast<std::size_t>(n));
            continue;
        }
        *closed = n == 0 || errno == ECONNRESET;
        return received;
    }
}

TEST(HttpServer, OversizedHeadersAre431) {
    auto server = StartEcho();
    server.Start();
    auto big = HttpRequest(server.port(), "GET", "/p", "", {"X-Test: " + std::string(20 * 1024, 'h')});
    EXPECT_EQ(big.status, 431);
    EXPECT_EQ(big.body, "request headers exceed 16384 bytes\n");
    EXPECT_EQ(HttpRequest(server.port(), "GET", "/p", "", {"X-Test: " + std::string(8 * 1024, 'h')}).status, 200);
}

TEST(HttpServer, HeadersThatDoNotArriveInTimeCloseTheConnection) {
    http::ServerOptions options;
    options.header_timeout = std::chrono::milliseconds(300);
    options.idle_timeout = std::chrono::seconds(60);
    http::Server server(options, [](http::Request&&, http::Respond respond) {
        respond(http::Response::Text(200, "ok"));
    });
    server.Start();
    int fd = Connect(server.port());
    std::string start = "GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ";  // and then nothing more, ever
    ASSERT_EQ(::send(fd, start.data(), start.size(), 0), static_cast<ssize_t>(start.size()));
    bool closed = false;
    auto received = ReadUntilClosed(fd, &closed);
    ::close(fd);
    EXPECT_TRUE(closed) << "the connection was still open 10 s later, well past its 300 ms header deadline";
    EXPECT_EQ(received.find("200"), std::string::npos) << received;
}

TEST(HttpServer, ConnectionsBeyondTheCapAreClosed) {
    http::ServerOptions options;
    options.max_connections = 2;
    http::Server server(options, [](http::Request&&, http::Respond respond) {
        respond(http::Response::Text(200, "ok"));
    });
    server.Start();
    int first = Connect(server.port());
    int second = Connect(server.port());
    // Both are open (they answer), so the next one is over the cap.
    std::string ping = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
    for (int fd : {first, second}) {
        ASSERT_EQ(::send(fd, ping.data(), ping.size(), 0), static_cast<ssize_t>(ping.size()));
        char buffer[256];
        ASSERT_GT(::recv(fd, buffer, sizeof buffer, 0), 0);
    }
    int third = Connect(server.port());
    bool closed = false;
    auto received = ReadUntilClosed(third, &closed);
    ::close(third);
    EXPECT_TRUE(closed);
    EXPECT_TRUE(received.empty()) << received;
    ::close(first);
    ::close(second);
    // Slots come back once connections end.
    bool served = false;
    for (int attempt = 0; attempt < 100 && !served; ++attempt) {
        served = HttpRequest(server.port(), "GET", "/").status == 200;
        if (!served) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    EXPECT_TRUE(served);
}

TEST(HttpServer, KeepAliveServesSeveralRequestsOnOneConnection) {
    auto server = StartEcho();
    server.Start();
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(server.port()));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    std::string two = "GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    ASSERT_EQ(::send(fd, two.data(), two.size(), 0), static_cast<ssize_t>(two.size()));
    std::string all;
    char buffer[4096];
    for (ssize_t n; (n = ::recv(fd, buffer, sizeof buffer, 0)) > 0;) all.append(buffer, static_cast<std::size_t>(n));
    ::close(fd);
    std::size_t responses = 0;
    for (auto pos = all.find("HTTP/1.1 200"); pos != std::string::npos; pos = all.find("HTTP/1.1 200", pos + 1)) {
        ++responses;
    }
    EXPECT_EQ(responses, 2U) << all;
}

TEST(HttpServer, MalformedRequestIs400AndServerSurvives) {
    auto server = StartEcho();
    server.Start();
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(server.port()));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    std::string junk = "\x01\x02 NOT HTTP\r\n\r\n";
    ::send(fd, junk.data(), junk.size(), 0);
    char buffer[4096];
    auto n = ::recv(fd, buffer, sizeof buffer, 0);
    ::close(fd);
    ASSERT_GT(n, 12);
    EXPECT_EQ(std::string(buffer, 12), "HTTP/1.1 400");
    EXPECT_EQ(HttpRequest(server.port(), "GET", "/ok").status, 200);
}

TEST(HttpServer, BindFailureNamesTheAddress) {
    auto first = StartEcho();
    first.Start();
    http::ServerOptions options;
    options.address = "127.0.0.1:" + std::to_string(first.port());
    http::Server second(options, [](http::Request&&, http::Respond) {});
    try {
        second.Start();
        FAIL() << "expected a bind failure";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find(options.address), std::string::npos) << e.what();
    }
}

TEST(HttpServer, SplitAddress) {
    EXPECT_EQ(http::SplitAddress("127.0.0.1:80"), (std::pair<std::string, int>{"127.0.0.1", 80}));
    EXPECT_EQ(http::SplitAddress(":8080"), (std::pair<std::string, int>{"0.0.0.0", 8080}));
    EXPECT_EQ(http::SplitAddress("[::1]:9"), (std::pair<std::string, int>{"::1", 9}));
    EXPECT_THROW(http::SplitAddress("nohost"), std::invalid_argument);
    EXPECT_THROW(http::SplitAddress("h:99999"), std::invalid_argument);
}

}  // namespace
