#include "request_context.hpp"

namespace orderstream::gateway {

void RequestContext::AddCookie(std::string cookie) {
    std::lock_guard lock(mutex_);
    cookies_.push_back(std::move(cookie));
}

std::vector<std::string> RequestContext::TakeCookies() {
    std::lock_guard lock(mutex_);
    return std::move(cookies_);
}

}  // namespace orderstream::gateway
