#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "orderstream/http/websocket.hpp"

namespace orderstream::http {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct Request {
    std::string method;  // "GET", "POST", ...
    std::string target;  // path and query, as sent
    Headers headers;
    std::string body;
    std::string remote_address;

    // Case-insensitive lookup; empty when absent.
    std::string_view Header(std::string_view name) const;
    std::string_view Path() const;   // target without the query
    std::string_view Query() const;  // after '?', empty when none
};

struct Response {
    int status = 200;
    std::string content_type = "text/plain; charset=utf-8";
    Headers headers;  // extra headers (Set-Cookie, Allow, ...)
    std::string body;

    static Response Text(int status, std::string body);
    static Response Json(int status, std::string body);
};

// Completes a request; may be called from any thread, exactly once.
using Respond = std::function<void(Response)>;
// Handles one request. It may call `respond` before returning or later (after asynchronous work).
using Handler = std::function<void(Request&&, Respond)>;

// Answers a WebSocket upgrade request (GET with `Upgrade: websocket`): a Response refuses it (404, 426,
// 429, ...); a WebSocketAccept takes the connection over. Runs on an I/O thread, so it must not block.
using UpgradeHandler = std::function<std::variant<Response, WebSocketAccept>(const Request&)>;

struct ServerOptions {
    std::string address = "127.0.0.1:0";  // host:port; port 0 picks a free one
    int threads = 1;
    std::size_t body_limit = 1 << 20;     // larger bodies get 413
    std::size_t header_limit = 16 << 10;  // request line and headers; larger get 431
    // A request's line and headers must have arrived this long after the server started
    // waiting for them (also between requests of a kept-alive connection); the connection is
    // closed otherwise, so a client cannot hold it open by sending headers a byte at a time.
    std::chrono::milliseconds header_timeout{10'000};
    std::chrono::seconds idle_timeout{60};  // reading a body, writing a response
    // Open HTTP connections at most (not counting upgraded WebSockets); a connection beyond
    // the cap is closed at once. 0: no cap.
    std::size_t max_connections = 0;
    UpgradeHandler upgrade;  // empty: upgrade requests reach `handler` as ordinary requests
    // On Stop(), open WebSockets are sent 1001 (going away) and given this long to close.
    std::chrono::milliseconds websocket_close_grace{2000};
};

// An asynchronous HTTP/1.1 server (Boost.Beast) with keep-alive, and WebSocket connections for the
// upgrade requests that ServerOptions::upgrade accepts. Boost stays inside the implementation so
// including this header is cheap.
class Server {
public:
    Server(ServerOptions options, Handler handler);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // Binds and starts the worker threads; throws std::runtime_error naming the address on failure.
    void Start();
    // Stops accepting, closes WebSockets with 1001, closes connections and joins the threads. Idempotent.
    void Stop();
    int port() const;

private:
    class Impl;
    std::unique_ptr<Impl> impl_;
};

// "host:port" split; throws std::invalid_argument when malformed.
std::pair<std::string, int> SplitAddress(const std::string& address);

}  // namespace orderstream::http
