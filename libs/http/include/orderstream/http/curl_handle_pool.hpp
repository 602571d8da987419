#pragma once

#include <cstddef>
#include <mutex>
#include <vector>

#include <curl/curl.h>

namespace orderstream::http {

// libcurl easy handles kept between requests, so each keeps its connection (and TLS session)
// to the server it last talked to: a request from a pooled handle costs no handshake. Safe to
// share between threads; each handle is used by one thread at a time.
class CurlHandlePool {
public:
    // Initialises libcurl once per process. At most `max_idle` handles are kept.
    explicit CurlHandlePool(std::size_t max_idle);
    ~CurlHandlePool();
    CurlHandlePool(const CurlHandlePool&) = delete;
    CurlHandlePool& operator=(const CurlHandlePool&) = delete;

    // A handle with no options set: an idle one, else a new one; nullptr if libcurl cannot
    // create one.
    CURL* Acquire();
    // Takes the handle back with its options reset and its connection open; a handle whose
    // transfer failed (`healthy` false), or one over the limit, is closed instead.
    void Release(CURL* handle, bool healthy);

    std::size_t idle() const;

private:
    const std::size_t max_idle_;
    mutable std::mutex mutex_;
    std::vector<CURL*> idle_;
};

}  // namespace orderstream::http
