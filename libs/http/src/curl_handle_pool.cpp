#include "orderstream/http/curl_handle_pool.hpp"

#include <stdexcept>

namespace orderstream::http {

CurlHandlePool::CurlHandlePool(std::size_t max_idle) : max_idle_(max_idle) {
    static std::once_flag once;
    std::call_once(once, [] {
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) throw std::runtime_error("libcurl failed to initialise");
    });
}

CurlHandlePool::~CurlHandlePool() {
    for (CURL* handle : idle_) curl_easy_cleanup(handle);
}

CURL* CurlHandlePool::Acquire() {
    {
        std::lock_guard lock(mutex_);
        if (!idle_.empty()) {
            CURL* handle = idle_.back();
            idle_.pop_back();
            return handle;
        }
    }
    return curl_easy_init();
}

void CurlHandlePool::Release(CURL* handle, bool healthy) {
    if (handle == nullptr) return;
    curl_easy_reset(handle);  // forgets the options, keeps the connection
    std::lock_guard lock(mutex_);
    if (healthy && idle_.size() < max_idle_) {
        idle_.push_back(handle);
    } else {
        curl_easy_cleanup(handle);
    }
}

std::size_t CurlHandlePool::idle() const {
    std::lock_guard lock(mutex_);
    return idle_.size();
}

}  // namespace orderstream::http
