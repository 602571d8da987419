#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "downstream.hpp"
#include "orderstream/auth/jwt.hpp"
#include "orders_loader.hpp"

namespace orderstream::gateway {

// Everything one GraphQL request's resolvers share. Owned by a shared_ptr that every
// asynchronous downstream call keeps alive until it completes.
class OrderSubscriptions;

struct RequestContext : std::enable_shared_from_this<RequestContext> {
    RequestContext(Downstream& downstream, const auth::JwtCodec& jwt) : downstream(downstream), jwt(jwt) {}

    Downstream& downstream;
    const auth::JwtCodec& jwt;
    std::optional<auth::Claims> caller;  // set when a valid token came with the request
    std::string token;                   // that token: forwarded to the services, who act for its user
    std::string auth_failure;            // why a token that came with the request was refused
    std::string request_id;
    std::chrono::system_clock::time_point deadline;
    OrdersLoader orders{*this};
    PaymentsLoader payments{*this};
    // Where Subscription fields register; null outside a WebSocket connection.
    OrderSubscriptions* order_subscriptions = nullptr;

    // Set-Cookie headers the response must carry (register and login set the token cookie).
    void AddCookie(std::string cookie);
    std::vector<std::string> TakeCookies();

    // Runs the batched loads collected since the last dispatch.
    void DispatchLoaders() {
        orders.Dispatch();
        payments.Dispatch();
    }

private:
    std::mutex mutex_;
    std::vector<std::string> cookies_;
};

}  // namespace orderstream::gateway
