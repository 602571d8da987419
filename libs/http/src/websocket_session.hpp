#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include "orderstream/http/websocket.hpp"

namespace orderstream::http {

class WebSocketSession;

// The server's open WebSockets, so that Stop() can close them with 1001 before the I/O threads stop.
class WebSocketRegistry {
public:
    void Add(const std::shared_ptr<WebSocketSession>& session);
    void Remove(const WebSocketSession* session);
    // Asks every open connection to close, then waits up to `grace` for them to finish.
    void CloseAll(int code, const std::string& reason, std::chrono::milliseconds grace);

private:
    std::mutex mutex_;
    std::condition_variable empty_;
    std::map<const WebSocketSession*, std::weak_ptr<WebSocketSession>> sessions_;
};

// One WebSocket connection after a successful upgrade: the handshake, a read loop handing each message to the
// handlers, a write queue bounded in bytes, close frames and timers, all on the connection's strand.
class WebSocketSession final : public WebSocket, public std::enable_shared_from_this<WebSocketSession> {
public:
    WebSocketSession(boost::beast::tcp_stream stream, WebSocketAccept accept, std::string remote_address,
                     std::shared_ptr<WebSocketRegistry> registry);

    // Completes the upgrade `request` asked for.
    void Run(boost::beast::http::request<boost::beast::http::string_body> request);

    Sent SendText(std::string message) override;
    void Close(int code, std::string reason) override;
    void After(std::chrono::milliseconds delay, std::function<void()> task) override;
    const std::string& remote_address() const override { return remote_address_; }

private:
    void OnAccept(boost::beast::error_code ec);
    void Read();
    void OnRead(boost::beast::error_code ec);
    void Write();
    void OnWrite(boost::beast::error_code ec, std::size_t queued);
    void StartClose();
    void Drop();  // tears the TCP connection down without a closing handshake
    void Finish();

    boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
    boost::beast::flat_buffer buffer_;
    WebSocketAccept accept_;
    WebSocketHandlers handlers_;
    const std::string remote_address_;
    std::shared_ptr<WebSocketRegistry> registry_;

    std::atomic<std::size_t> queued_bytes_{0};  // accepted by SendText, not yet written
    std::atomic<bool> closing_{false};          // SendText refuses once set
    // Strand only:
    std::deque<std::string> outgoing_;
    bool writing_ = false;
    bool open_ = false;
    bool finished_ = false;
    std::optional<boost::beast::websocket::close_reason> close_reason_;  // sent once the queue is written
    bool close_started_ = false;
    std::list<std::shared_ptr<boost::asio::steady_timer>> timers_;
};

}  // namespace orderstream::http
