#include "websocket_session.hpp"

#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

namespace orderstream::http {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;

void WebSocketRegistry::Add(const std::shared_ptr<WebSocketSession>& session) {
    std::lock_guard lock(mutex_);
    sessions_.emplace(session.get(), session);
}

void WebSocketRegistry::Remove(const WebSocketSession* session) {
    std::lock_guard lock(mutex_);
    sessions_.erase(session);
    if (sessions_.empty()) empty_.notify_all();
}

void WebSocketRegistry::CloseAll(int code, const std::string& reason, std::chrono::milliseconds grace) {
    std::vector<std::shared_ptr<WebSocketSession>> open;
    {
        std::lock_guard lock(mutex_);
        for (const auto& [key, weak] : sessions_) {
            if (auto session = weak.lock()) open.push_back(std::move(session));
        }
    }
    for (const auto& session : open) session->Close(code, reason);
    open.clear();
    std::unique_lock lock(mutex_);
    empty_.wait_for(lock, grace, [&] { return sessions_.empty(); });
}

WebSocketSession::WebSocketSession(beast::tcp_stream stream, WebSocketAccept accept, std::string remote_address,
                                   std::shared_ptr<WebSocketRegistry> registry)
    : ws_(std::move(stream)),
      accept_(std::move(accept)),
      remote_address_(std::move(remote_address)),
      registry_(std::move(registry)) {}

void WebSocketSession::Run(beast::http::request<beast::http::string_body> request) {
    // The WebSocket layer keeps its own timeouts (handshake, idle with pings halfway) instead of the stream's.
    beast::get_lowest_layer(ws_).expires_never();
    websocket::stream_base::timeout timeout{};
    timeout.handshake_timeout = std::chrono::seconds(10);
    timeout.idle_timeout = accept_.peer_timeout;
    timeout.keep_alive_pings = true;
    ws_.set_option(timeout);
    ws_.set_option(websocket::stream_base::decorator([subprotocol = accept_.subprotocol](websocket::response_type& response) {
        response.set(beast::http::field::server, "orderstream");
        if (!subprotocol.empty()) response.set(beast::http::field::sec_websocket_protocol, subprotocol);
    }));
    ws_.read_message_max(accept_.max_message_bytes);
    ws_.async_accept(request, [self = shared_from_this()](beast::error_code ec) { self->OnAccept(ec); });
}

void WebSocketSession::OnAccept(beast::error_code ec) {
    if (ec) {
        spdlog::debug("websocket handshake with {} failed: {}", remote_address_, ec.message());
        return;  // `accept_` (and what its `open` owns) goes with this session
    }
    open_ = true;
    registry_->Add(shared_from_this());
    auto open = std::move(accept_.open);
    accept_.open = nullptr;
    if (open) handlers_ = open(shared_from_this());
    Read();
}

void WebSocketSession::Read() {
    ws_.async_read(buffer_, [self = shared_from_this()](beast::error_code ec, std::size_t) { self->OnRead(ec); });
}

void WebSocketSession::OnRead(beast::error_code ec) {
    if (ec) return Finish();  // closed by either side, timed out, or a protocol violation Beast answered
    if (!closing_) {
        if (ws_.got_binary()) {
            if (handlers_.binary) handlers_.binary();
        } else if (handlers_.text) {
            auto data = buffer_.cdata();
            handlers_.text(std::string_view(static_cast<const char*>(data.data()), data.size()));
        }
    }
    buffer_.consume(buffer_.size());
    if (!finished_) Read();
}

WebSocket::Sent WebSocketSession::SendText(std::string message) {
    if (closing_) return Sent::kClosed;
    const std::size_t size = message.size();
    if (queued_bytes_.fetch_add(size) + size > accept_.max_buffered_bytes) {
        queued_bytes_.fetch_sub(size);
        Drop();
        return Sent::kTooSlow;
    }
    asio::post(ws_.get_executor(), [self = shared_from_this(), message = std::move(message)]() mutable {
        if (self->finished_ || self->close_reason_) {
            self->queued_bytes_.fetch_sub(message.size());
            return;
        }
        self->outgoing_.push_back(std::move(message));
        if (!self->writing_) self->Write();
    });
    return Sent::kQueued;
}

void WebSocketSession::Write() {
    writing_ = true;
    ws_.text(true);
    ws_.async_write(asio::buffer(outgoing_.front()),
                    [self = shared_from_this(), queued = outgoing_.front().size()](beast::error_code ec, std::size_t) {
                        self->OnWrite(ec, queued);
                    });
}

void WebSocketSession::OnWrite(beast::error_code ec, std::size_t queued) {
    queued_bytes_.fetch_sub(queued);
    if (!outgoing_.empty()) outgoing_.pop_front();
    if (ec) {
        writing_ = false;
        outgoing_.clear();
        beast::get_lowest_layer(ws_).close();
        return;
    }
    if (!outgoing_.empty()) return Write();
    writing_ = false;
    if (close_reason_ && !close_started_) StartClose();
}

void WebSocketSession::Close(int code, std::string reason) {
    closing_ = true;
    if (reason.size() > 123) {
        // A close frame's payload is at most 125 bytes, and its reason must stay valid UTF-8.
        std::size_t cut = 123;
        while (cut > 0 && (static_cast<unsigned char>(reason[cut]) & 0xC0) == 0x80) --cut;
        reason.resize(cut);
    }
    asio::post(ws_.get_executor(), [self = shared_from_this(), code, reason = std::move(reason)]() mutable {
        if (self->finished_ || self->close_reason_ || !self->open_) return;
        self->close_reason_ = websocket::close_reason(static_cast<websocket::close_code>(code), reason);
        if (!self->writing_) self->StartClose();
    });
}

void WebSocketSession::StartClose() {
    close_started_ = true;
    ws_.async_close(*close_reason_, [self = shared_from_this()](beast::error_code ec) {
        if (ec) beast::get_lowest_layer(self->ws_).close();
    });
}

void WebSocketSession::Drop() {
    closing_ = true;
    asio::post(ws_.get_executor(), [self = shared_from_this()] {
        if (self->finished_) return;
        // A peer that does not read would not read a close frame either.
        beast::get_lowest_layer(self->ws_).close();
    });
}

void WebSocketSession::After(std::chrono::milliseconds delay, std::function<void()> task) {
    asio::post(ws_.get_executor(), [self = shared_from_this(), delay, task = std::move(task)]() mutable {
        if (self->finished_) return;
        auto timer = std::make_shared<asio::steady_timer>(self->ws_.get_executor(), delay);
        auto position = self->timers_.insert(self->timers_.end(), timer);
        timer->async_wait([self, position, task = std::move(task)](beast::error_code ec) {
            if (self->finished_) return;  // Finish() cancelled and forgot every timer
            self->timers_.erase(position);
            if (!ec) task();
        });
    });
}

void WebSocketSession::Finish() {
    if (finished_) return;
    finished_ = true;
    closing_ = true;
    for (auto& timer : timers_) timer->cancel();
    timers_.clear();
    if (!writing_) outgoing_.clear();  // a write in flight still reads its buffer
    if (open_) registry_->Remove(this);
    auto handlers = std::move(handlers_);
    handlers_ = {};  // the handlers may own whatever owns this connection
    if (handlers.closed) handlers.closed();
}

}  // namespace orderstream::http
