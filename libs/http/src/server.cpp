#include "orderstream/http/server.hpp"

#include <atomic>
#include <charconv>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <spdlog/spdlog.h>

#include "websocket_session.hpp"

namespace orderstream::http {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;

namespace {

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) {
            return false;
        }
    }
    return true;
}

// Counts the open HTTP connections of a server (a Session holds one slot while it lives).
struct ConnectionCount {
    std::atomic<std::size_t> open{0};
};

class Session : public std::enable_shared_from_this<Session> {
public:
    Session(tcp::socket socket, const Handler& handler, const ServerOptions& options,
            std::shared_ptr<WebSocketRegistry> websockets, std::shared_ptr<ConnectionCount> connections)
        : stream_(std::move(socket)),
          handler_(handler),
          options_(options),
          websockets_(std::move(websockets)),
          connections_(std::move(connections)) {}
    ~Session() { connections_->open.fetch_sub(1); }

    void Run() {
        asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->Read(); });
    }

private:
    void Read() {
        parser_.emplace();
        parser_->body_limit(options_.body_limit);
        parser_->header_limit(static_cast<std::uint32_t>(options_.header_limit));
        stream_.expires_after(options_.header_timeout);
        bhttp::async_read_header(stream_, buffer_, *parser_,
                                 [self = shared_from_this()](beast::error_code ec, std::size_t) { self->OnHeader(ec); });
    }

    // The headers are in: the body (if any) gets the longer idle deadline.
    void OnHeader(beast::error_code ec) {
        if (ec) return OnRead(ec);
        stream_.expires_after(options_.idle_timeout);
        bhttp::async_read(stream_, buffer_, *parser_,
                          [self = shared_from_this()](beast::error_code ec, std::size_t) { self->OnRead(ec); });
    }

    void OnRead(beast::error_code ec) {
        if (ec == bhttp::error::end_of_stream) return Close();
        if (ec == bhttp::error::body_limit) {
            keep_alive_ = false;
            return Write(Response::Text(413, "request body exceeds " + std::to_string(options_.body_limit) + " bytes\n"),
                         11);
        }
        if (ec == bhttp::error::header_limit) {
            keep_alive_ = false;
            return Write(Response::Text(431, "request headers exceed " + std::to_string(options_.header_limit) +
                                                 " bytes\n"),
                         11);
        }
        if (ec) {
            if (ec != beast::error::timeout && ec != asio::error::operation_aborted &&
                ec != asio::error::connection_reset && ec != asio::error::eof) {
                keep_alive_ = false;
                return Write(Response::Text(400, "malformed HTTP request\n"), 11);
            }
            return Close();
        }
        auto message = parser_->release();
        keep_alive_ = message.keep_alive();
        int version = message.version();
        Request request;
        request.method = std::string(message.method_string());
        request.target = std::string(message.target());
        for (const auto& field : message) {
            request.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
        }
        request.body = std::move(message.body());
        beast::error_code endpoint_ec;
        auto remote = stream_.socket().remote_endpoint(endpoint_ec);
        if (!endpoint_ec) request.remote_address = remote.address().to_string();
        if (options_.upgrade && beast::websocket::is_upgrade(message)) return Upgrade(std::move(message), request);

        auto responded = std::make_shared<std::atomic<bool>>(false);
        Respond respond = [self = shared_from_this(), responded, version](Response response) {
            if (responded->exchange(true)) return;  // a second call is a programming error; ignore it
            asio::dispatch(self->stream_.get_executor(),
                           [self, response = std::move(response), version]() mutable {
                               self->Write(std::move(response), version);
                           });
        };
        try {
            handler_(std::move(request), respond);
        } catch (const std::exception& e) {
            spdlog::error("HTTP handler threw: {}", e.what());
            respond(Response::Text(500, "internal error\n"));
        }
    }

    // A WebSocket upgrade: refused with a response, or handed to a WebSocketSession that takes the socket.
    void Upgrade(bhttp::request<bhttp::string_body> message, const Request& request) {
        std::variant<Response, WebSocketAccept> decision;
        try {
            decision = options_.upgrade(request);
        } catch (const std::exception& e) {
            spdlog::error("WebSocket upgrade handler threw: {}", e.what());
            decision = Response::Text(500, "internal error\n");
        }
        if (auto* refusal = std::get_if<Response>(&decision)) {
            keep_alive_ = false;
            return Write(std::move(*refusal), message.version());
        }
        std::make_shared<WebSocketSession>(std::move(stream_), std::get<WebSocketAccept>(std::move(decision)),
                                           request.remote_address, websockets_)
            ->Run(std::move(message));
    }

    void Write(Response response, int version) {
        auto message = std::make_shared<bhttp::response<bhttp::string_body>>();
        message->version(version);
        message->result(static_cast<unsigned>(response.status));
        message->set(bhttp::field::content_type, response.content_type);
        for (auto& [name, value] : response.headers) message->insert(name, value);
        message->body() = std::move(response.body);
        message->keep_alive(keep_alive_);
        message->prepare_payload();
        stream_.expires_after(options_.idle_timeout);
        bhttp::async_write(stream_, *message,
                           [self = shared_from_this(), message](beast::error_code ec, std::size_t) {
                               if (ec || !self->keep_alive_) return self->Close();
                               self->Read();
                           });
    }

    void Close() {
        beast::error_code ec;
        stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    }

    beast::tcp_stream stream_;
    beast::flat_buffer buffer_;
    std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
    const Handler& handler_;
    const ServerOptions& options_;
    std::shared_ptr<WebSocketRegistry> websockets_;
    std::shared_ptr<ConnectionCount> connections_;
    bool keep_alive_ = true;
};

}  // namespace

std::string_view Request::Header(std::string_view name) const {
    for (const auto& [key, value] : headers) {
        if (EqualsIgnoreCase(key, name)) return value;
    }
    return {};
}

std::string_view Request::Path() const {
    std::string_view t(target);
    return t.substr(0, t.find('?'));
}

std::string_view Request::Query() const {
    auto q = target.find('?');
    return q == std::string::npos ? std::string_view() : std::string_view(target).substr(q + 1);
}

Response Response::Text(int status, std::string body) {
    Response r;
    r.status = status;
    r.body = std::move(body);
    return r;
}

Response Response::Json(int status, std::string body) {
    Response r;
    r.status = status;
    r.content_type = "application/json";
    r.body = std::move(body);
    return r;
}

std::pair<std::string, int> SplitAddress(const std::string& address) {
    auto colon = address.rfind(':');
    if (colon == std::string::npos) throw std::invalid_argument("expected host:port, got '" + address + "'");
    std::string host = address.substr(0, colon);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    int port = -1;
    auto [ptr, ec] = std::from_chars(address.data() + colon + 1, address.data() + address.size(), port);
    if (ec != std::errc() || ptr != address.data() + address.size() || port < 0 || port > 65535) {
        throw std::invalid_argument("expected host:port, got '" + address + "'");
    }
    return {host.empty() ? "0.0.0.0" : host, port};
}

class Server::Impl {
public:
    Impl(ServerOptions options, Handler handler)
        : options_(std::move(options)), handler_(std::move(handler)), io_(std::max(1, options_.threads)),
          acceptor_(asio::make_strand(io_)) {}

    void Start() {
        auto [host, port] = SplitAddress(options_.address);
        beast::error_code ec;
        auto address = asio::ip::make_address(host == "localhost" ? "127.0.0.1" : host, ec);
        if (ec) throw std::runtime_error("cannot listen on " + options_.address + ": " + ec.message());
        tcp::endpoint endpoint(address, static_cast<unsigned short>(port));
        acceptor_.open(endpoint.protocol(), ec);
        if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
        if (!ec) acceptor_.bind(endpoint, ec);
        if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
        if (ec) throw std::runtime_error("cannot listen on " + options_.address + ": " + ec.message());
        port_ = acceptor_.local_endpoint().port();
        Accept();
        for (int i = 0; i < std::max(1, options_.threads); ++i) threads_.emplace_back([this] { io_.run(); });
    }

    void Stop() {
        std::lock_guard lock(stop_mutex_);
        if (stopped_) return;
        stopped_ = true;
        asio::dispatch(acceptor_.get_executor(), [this] {
            beast::error_code ec;
            acceptor_.close(ec);
        });
        if (!threads_.empty()) {
            websockets_->CloseAll(kCloseGoingAway, "server shutting down", options_.websocket_close_grace);
        }
        io_.stop();
        for (auto& t : threads_) {
            if (t.joinable()) t.join();
        }
    }

    int port() const { return port_; }

private:
    void Accept() {
        acceptor_.async_accept(asio::make_strand(io_), [this](beast::error_code ec, tcp::socket socket) {
            if (ec == asio::error::operation_aborted) return;
            if (!ec) {
                auto open = connections_->open.fetch_add(1) + 1;
                if (options_.max_connections != 0 && open > options_.max_connections) {
                    connections_->open.fetch_sub(1);
                    RefuseConnection(socket);
                } else {
                    std::make_shared<Session>(std::move(socket), handler_, options_, websockets_, connections_)->Run();
                }
            }
            Accept();
        });
    }

    // Over the cap: closed at once (a reset, no response), logged at most every 10 s.
    void RefuseConnection(tcp::socket& socket) {
        beast::error_code ignored;
        socket.set_option(asio::socket_base::linger(true, 0), ignored);
        socket.close(ignored);
        auto now = std::chrono::steady_clock::now();
        if (now - last_refusal_log_ > std::chrono::seconds(10)) {
            last_refusal_log_ = now;
            spdlog::warn("HTTP on {}: {} connections open, refusing more (the cap)", options_.address,
                         options_.max_connections);
        }
    }

    ServerOptions options_;
    Handler handler_;
    asio::io_context io_;
    tcp::acceptor acceptor_;
    std::shared_ptr<WebSocketRegistry> websockets_ = std::make_shared<WebSocketRegistry>();
    std::shared_ptr<ConnectionCount> connections_ = std::make_shared<ConnectionCount>();
    std::chrono::steady_clock::time_point last_refusal_log_{};
    std::vector<std::thread> threads_;
    int port_ = 0;
    std::mutex stop_mutex_;
    bool stopped_ = false;
};

Server::Server(ServerOptions options, Handler handler)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler))) {}

Server::~Server() { impl_->Stop(); }

void Server::Start() { impl_->Start(); }

void Server::Stop() { impl_->Stop(); }

int Server::port() const { return impl_->port(); }

}  // namespace orderstream::http
