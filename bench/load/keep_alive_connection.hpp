#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace orderstream::bench {

// One HTTP/1.1 keep-alive connection to one host, used by one thread at a time (like a
// browser's connection). Calls block, with a deadline per request: each runs the connection's
// own io_context until the asynchronous exchange completes or the deadline closes the socket.
class KeepAliveConnection {
public:
    struct Reply {
        int status = 0;
        std::string body;
        std::string location;  // the Location header, for redirects
    };
    struct Outcome {
        std::optional<Reply> reply;  // empty on a transport failure
        std::string error;           // what failed, when reply is empty
    };
    using Headers = std::vector<std::pair<std::string, std::string>>;

    KeepAliveConnection(std::string host, std::string port, std::chrono::milliseconds timeout)
        : host_(std::move(host)), port_(std::move(port)), timeout_(timeout), resolver_(io_), stream_(io_) {}
    KeepAliveConnection(const KeepAliveConnection&) = delete;
    KeepAliveConnection& operator=(const KeepAliveConnection&) = delete;

    // Sends one request. When a reused connection turns out to have been closed by the server
    // before any byte of the reply arrived (an idle keep-alive connection), the request is sent
    // once more on a fresh connection, as browsers do; every other failure is reported.
    Outcome Send(const std::string& method, const std::string& target, const std::string& body,
                 const Headers& headers = {}) {
        bool reused = open_;
        auto outcome = Exchange(method, target, body, headers);
        if (!outcome.reply && reused && stale_) outcome = Exchange(method, target, body, headers);
        return outcome;
    }

    // How many TCP connections were opened (1 when keep-alive held for the whole run).
    std::size_t connects() const { return connects_; }

private:
    Outcome Exchange(const std::string& method, const std::string& target, const std::string& body,
                     const Headers& headers) {
        namespace beast = boost::beast;
        namespace http = beast::http;
        stale_ = false;
        beast::error_code ec;
        if (!open_) {
            if (!endpoints_) {
                auto resolved = resolver_.resolve(host_, port_, ec);
                if (ec) return Failure("resolve " + host_ + ":" + port_, ec);
                endpoints_ = std::move(resolved);
            }
            stream_.expires_after(timeout_);
            stream_.async_connect(*endpoints_, [&ec](beast::error_code e, const auto&) { ec = e; });
            Run();
            if (ec) return Failure("connect to " + host_ + ":" + port_, ec);
            stream_.socket().set_option(boost::asio::ip::tcp::no_delay(true), ec);
            buffer_.clear();
            open_ = true;
            ++connects_;
        }

        http::request<http::string_body> request{method == "POST" ? http::verb::post : http::verb::get, target, 11};
        request.set(http::field::host, host_ + ":" + port_);
        request.set(http::field::user_agent, "orderstream-shop-load");
        for (const auto& [name, value] : headers) request.set(name, value);
        if (!body.empty() || method == "POST") {
            request.body() = body;
            request.prepare_payload();
        }

        stream_.expires_after(timeout_);
        http::async_write(stream_, request, [&ec](beast::error_code e, std::size_t) { ec = e; });
        Run();
        if (ec) {
            stale_ = ec == boost::asio::error::broken_pipe || ec == boost::asio::error::connection_reset;
            return Failure("send " + target, ec);
        }

        http::response_parser<http::string_body> parser;
        parser.body_limit(64 * 1024 * 1024);
        stream_.expires_after(timeout_);
        http::async_read(stream_, buffer_, parser, [&ec](beast::error_code e, std::size_t) { ec = e; });
        Run();
        if (ec) {
            stale_ = !parser.got_some() && (ec == http::error::end_of_stream || ec == boost::asio::error::eof ||
                                            ec == boost::asio::error::connection_reset);
            return Failure(ec == beast::error::timeout ? "no reply to " + target + " within " +
                                                             std::to_string(timeout_.count()) + " ms"
                                                       : "read the reply to " + target,
                           ec);
        }
        auto response = parser.release();
        Reply reply;
        reply.status = static_cast<int>(response.result_int());
        if (auto it = response.find(http::field::location); it != response.end()) {
            reply.location = std::string(it->value());
        }
        reply.body = std::move(response.body());
        if (!response.keep_alive()) Close();
        return {std::move(reply), {}};
    }

    Outcome Failure(const std::string& what, const boost::beast::error_code& ec) {
        Close();
        return {std::nullopt, what + ": " + ec.message()};
    }

    void Close() {
        boost::beast::error_code ignored;
        stream_.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
        stream_.close();
        buffer_.clear();
        open_ = false;
    }

    // Runs the io_context until the pending operation completes (it carries the stream's deadline).
    void Run() {
        io_.restart();
        io_.run();
    }

    std::string host_;
    std::string port_;
    std::chrono::milliseconds timeout_;
    boost::asio::io_context io_;
    boost::asio::ip::tcp::resolver resolver_;
    boost::beast::tcp_stream stream_;
    boost::beast::flat_buffer buffer_;
    std::optional<boost::asio::ip::tcp::resolver::results_type> endpoints_;
    bool open_ = false;
    bool stale_ = false;
    std::size_t connects_ = 0;
};

}  // namespace orderstream::bench
