#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace orderstream::http {

// WebSocket close codes the server itself uses (RFC 6455, section 7.4.1).
inline constexpr int kCloseNormal = 1000;
inline constexpr int kCloseGoingAway = 1001;

// One open WebSocket connection (RFC 6455). Its handlers run on the connection's own strand, one at a time;
// SendText, Close and After may be called from any thread.
class WebSocket {
public:
    enum class Sent {
        kQueued,
        kClosed,    // the connection is closing or closed: nothing was queued
        kTooSlow,   // the peer left more than max_buffered_bytes unread: the connection is being dropped
    };

    virtual ~WebSocket() = default;
    // Queues a text message. A peer that does not read is disconnected once max_buffered_bytes are waiting
    // for it, never buffered without bound.
    virtual Sent SendText(std::string message) = 0;
    // Sends a close frame with `code` and `reason` (cut to the protocol's 123 bytes) after what is already
    // queued, then ends the connection. Later calls are ignored.
    virtual void Close(int code, std::string reason) = 0;
    // Runs `task` on the connection's strand after `delay`, unless the connection ended first.
    virtual void After(std::chrono::milliseconds delay, std::function<void()> task) = 0;
    virtual const std::string& remote_address() const = 0;
};

struct WebSocketHandlers {
    std::function<void(std::string_view message)> text;
    std::function<void()> binary;  // a binary message arrived; its bytes are not kept
    // The connection ended, whichever side ended it. Runs once; nothing follows.
    std::function<void()> closed;
};

// How a handler takes over a WebSocket upgrade request.
struct WebSocketAccept {
    std::string subprotocol;  // sent back as Sec-WebSocket-Protocol; empty: none
    std::size_t max_message_bytes = 64 * 1024;  // a larger incoming message closes the connection with 1009
    std::size_t max_buffered_bytes = 1 << 20;   // see WebSocket::SendText
    // A peer that sends nothing for this long, not even the answer to the ping sent halfway through, is
    // disconnected.
    std::chrono::seconds peer_timeout{60};
    // Runs on the connection's strand once the handshake succeeded; returns the connection's handlers. When the
    // handshake fails it is destroyed without being called, so whatever it owns is released either way.
    std::function<WebSocketHandlers(std::shared_ptr<WebSocket>)> open;
};

}  // namespace orderstream::http
