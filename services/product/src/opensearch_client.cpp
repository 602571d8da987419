#include "opensearch_client.hpp"

#include <algorithm>
#include <stdexcept>

#include <curl/curl.h>
#include <rapidjson/document.h>

namespace orderstream::product {
namespace {

// Search answers are small (a page of products); bulk answers list every item. 64 MiB bounds
// a misbehaving server without limiting a 1,000-document bulk reply.
constexpr std::size_t kMaxResponseBytes = 64u << 20;

struct Transfer {
    std::string body;
};

std::size_t OnBody(char* data, std::size_t size, std::size_t count, void* user) {
    auto* out = static_cast<Transfer*>(user);
    const std::size_t bytes = size * count;
    if (out->body.size() + bytes > kMaxResponseBytes) return 0;  // aborts with CURLE_WRITE_ERROR
    out->body.append(data, bytes);
    return bytes;
}

// "http://user:secret@host:9200/" -> "http://host:9200"
std::string WithoutCredentials(const std::string& url) {
    auto scheme = url.find("://");
    auto start = scheme == std::string::npos ? 0 : scheme + 3;
    auto at = url.find('@', start);
    auto slash = url.find('/', start);
    if (at != std::string::npos && (slash == std::string::npos || at < slash)) {
        return url.substr(0, start) + url.substr(at + 1);
    }
    return url;
}

}  // namespace

OpenSearchClient::OpenSearchClient(std::string base_url, std::chrono::milliseconds connect_timeout)
    : base_url_(std::move(base_url)), connect_timeout_(connect_timeout) {
    while (!base_url_.empty() && base_url_.back() == '/') base_url_.pop_back();
    display_url_ = WithoutCredentials(base_url_);
}

Result<EngineReply> OpenSearchClient::Send(std::string_view method, const std::string& target,
                                           const std::string& body, std::chrono::milliseconds timeout,
                                           const char* content_type) {
    const std::string what = std::string(method) + " " + display_url_ + target;
    if (timeout.count() <= 0) return Error::Unavailable(what + ": deadline exceeded before sending");
    CURL* handle = handles_.Acquire();
    if (handle == nullptr) return Error::Unavailable(what + ": could not create a curl handle");

    char error_buffer[CURL_ERROR_SIZE] = {0};
    curl_slist* headers = nullptr;
    const std::string content = std::string("Content-Type: ") + content_type;
    if (!body.empty()) headers = curl_slist_append(headers, content.c_str());
    headers = curl_slist_append(headers, "Accept: application/json");
    headers = curl_slist_append(headers, "Expect:");  // no 100-continue round trip for bulk bodies

    const std::string url = base_url_ + target;
    Transfer transfer;
    curl_easy_setopt(handle, CURLOPT_URL, url.c_str());
    curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
#if LIBCURL_VERSION_NUM >= 0x075500
    curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "http,https");
#else
    curl_easy_setopt(handle, CURLOPT_PROTOCOLS, static_cast<long>(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
    // The connect phase counts against the same deadline as the whole exchange.
    const auto connect = std::min(connect_timeout_, timeout);
    curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(connect.count()));
    curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
    curl_easy_setopt(handle, CURLOPT_USERAGENT, "orderstream-product/0.1");
    curl_easy_setopt(handle, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, error_buffer);
    curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, &OnBody);
    curl_easy_setopt(handle, CURLOPT_WRITEDATA, &transfer);
    if (method == "POST") {
        curl_easy_setopt(handle, CURLOPT_POST, 1L);
    } else if (method == "HEAD") {
        curl_easy_setopt(handle, CURLOPT_NOBODY, 1L);
    } else if (method != "GET") {
        curl_easy_setopt(handle, CURLOPT_CUSTOMREQUEST, std::string(method).c_str());
    }
    if (method == "POST" || !body.empty()) {
        curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
        curl_easy_setopt(handle, CURLOPT_POSTFIELDS, body.c_str());
    }

    const CURLcode code = curl_easy_perform(handle);
    EngineReply reply;
    std::string failure;
    if (code == CURLE_OK) {
        curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &reply.status);
        reply.body = std::move(transfer.body);
    } else {
        failure = error_buffer[0] != '\0' ? error_buffer : curl_easy_strerror(code);
    }
    curl_slist_free_all(headers);
    handles_.Release(handle, code == CURLE_OK);
    if (code != CURLE_OK) return Error::Unavailable(what + " failed: " + failure);
    return reply;
}

bool IsTransientStatus(long status) { return status == 429 || status >= 500; }

std::string DescribeFailure(std::string_view what, const EngineReply& reply) {
    std::string message = std::string(what) + " answered HTTP " + std::to_string(reply.status);
    rapidjson::Document doc;
    doc.Parse(reply.body.c_str(), reply.body.size());
    if (!doc.HasParseError() && doc.IsObject()) {
        auto error = doc.FindMember("error");
        if (error != doc.MemberEnd() && error->value.IsObject()) {
            auto type = error->value.FindMember("type");
            auto reason = error->value.FindMember("reason");
            if (type != error->value.MemberEnd() && type->value.IsString()) {
                message += std::string(": ") + type->value.GetString();
            }
            if (reason != error->value.MemberEnd() && reason->value.IsString()) {
                message += std::string(" (") + reason->value.GetString() + ")";
            }
            return message;
        }
    }
    return message + ": " + reply.body.substr(0, 200);
}

}  // namespace orderstream::product
