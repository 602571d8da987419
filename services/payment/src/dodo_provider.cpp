#include "dodo_provider.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <mutex>
#include <optional>
#include <random>
#include <stdexcept>
#include <thread>
#include <utility>
#include <vector>

#include <curl/curl.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <spdlog/spdlog.h>

#include "orderstream/core/config.hpp"
#include "orderstream/core/text.hpp"
#include "orderstream/http/curl_handle_pool.hpp"

namespace orderstream::payment {
namespace {

using std::chrono::milliseconds;
using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

constexpr std::size_t kMaxResponseBytes = 1 << 20;
constexpr std::size_t kMaxIdleHandles = 8;

bool StartsWith(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

std::string_view TrimSpace(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

void Str(JsonWriter& w, std::string_view s) { w.String(s.data(), static_cast<rapidjson::SizeType>(s.size())); }

void StringMap(JsonWriter& w, const std::map<std::string, std::string>& map) {
    w.StartObject();
    for (const auto& [key, value] : map) {
        Str(w, key);
        Str(w, value);
    }
    w.EndObject();
}

// Dodo's metadata limits (docs: api-reference/metadata), checked here so a bad value is our
// InvalidArgument rather than a round trip.
Status CheckMetadata(const std::map<std::string, std::string>& metadata) {
    if (metadata.size() > 50) return Error::InvalidArgument("metadata has more than 50 keys");
    for (const auto& [key, value] : metadata) {
        bool key_ok = !key.empty() && key.size() <= 40 && std::all_of(key.begin(), key.end(), [](unsigned char c) {
            return std::isalnum(c) || c == '-' || c == '_';
        });
        if (!key_ok) return Error::InvalidArgument("metadata key '" + key + "' must be 1-40 of [A-Za-z0-9_-]");
        if (value.size() > 500) {
            return Error::InvalidArgument("metadata value for '" + key + "' exceeds 500 characters");
        }
    }
    return Status::Ok();
}

Status CheckProduct(const ProductSpec& product) {
    if (product.name.empty()) return Error::InvalidArgument("product name is empty");
    if (product.price_cents < 0) return Error::InvalidArgument("product price is negative");
    const auto& c = product.currency;
    if (c.size() != 3 || !std::all_of(c.begin(), c.end(), [](unsigned char ch) { return ch >= 'A' && ch <= 'Z'; })) {
        return Error::InvalidArgument("currency must be a 3-letter uppercase ISO 4217 code, got '" + c + "'");
    }
    return Status::Ok();
}

// The full one-time price object; the API treats `type` as the union discriminator and requires
// `purchasing_power_parity`, both of which the seed left out.
void PriceObject(JsonWriter& w, const ProductSpec& product) {
    w.StartObject();
    w.Key("type");
    w.String("one_time_price");
    w.Key("price");
    w.Int64(product.price_cents);
    w.Key("currency");
    Str(w, product.currency);
    w.Key("discount");
    w.Int(0);
    w.Key("purchasing_power_parity");
    w.Bool(false);
    if (product.pay_what_you_want) {
        // `price` is then the minimum; tax inclusive, so the amount a checkout names is what
        // the buyer pays and what the payment's total_amount reports.
        w.Key("pay_what_you_want");
        w.Bool(true);
    }
    w.Key("tax_inclusive");
    w.Bool(product.pay_what_you_want);
    w.EndObject();
}

std::string ProductBody(const ProductSpec& product, bool create) {
    rapidjson::StringBuffer buffer;
    JsonWriter w(buffer);
    w.StartObject();
    w.Key("name");
    Str(w, product.name);
    w.Key("description");
    Str(w, product.description);
    if (create) {
        w.Key("tax_category");
        w.String("digital_products");
    }
    w.Key("price");
    PriceObject(w, product);
    if (!product.local_product_id.empty()) {
        w.Key("metadata");
        StringMap(w, {{"product_id", product.local_product_id}});
    }
    w.EndObject();
    return buffer.GetString();
}

// The `message` of Dodo's {"code","message"} error body, or a short description when absent.
std::string ProviderMessage(const std::string& body) {
    rapidjson::Document doc;
    doc.Parse(body.data(), body.size());
    if (!doc.HasParseError() && doc.IsObject()) {
        auto message = doc.FindMember("message");
        if (message != doc.MemberEnd() && message->value.IsString() && message->value.GetStringLength() > 0) {
            std::string text(message->value.GetString(), message->value.GetStringLength());
            if (text.size() > 500) text = text.substr(0, 500) + "...";
            return text;
        }
        auto code = doc.FindMember("code");
        if (code != doc.MemberEnd() && code->value.IsString()) return code->value.GetString();
    }
    return body.empty() ? "no error message" : "unrecognised error body";
}

// A non-negative number of `unit`s from a header value, or nothing when absent or malformed.
std::optional<milliseconds> ParseDelay(std::string_view value, double unit_ms) {
    value = TrimSpace(value);
    if (value.empty()) return std::nullopt;
    double parsed = 0;
    auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), parsed);
    if (ec != std::errc() || ptr != value.data() + value.size() || !std::isfinite(parsed) || parsed < 0) {
        return std::nullopt;
    }
    return milliseconds(static_cast<std::int64_t>(std::min(parsed * unit_ms, 1e12)));
}

struct HttpOutcome {
    CURLcode curl = CURLE_OK;
    std::string curl_error;
    long status = 0;
    std::string body;
    std::string retry_after_ms;
    std::string retry_after;
    std::string should_retry;
};

std::size_t OnBody(char* data, std::size_t size, std::size_t count, void* user) {
    auto* out = static_cast<HttpOutcome*>(user);
    const std::size_t bytes = size * count;
    if (out->body.size() + bytes > kMaxResponseBytes) return 0;  // aborts the transfer with CURLE_WRITE_ERROR
    out->body.append(data, bytes);
    return bytes;
}

std::size_t OnHeader(char* data, std::size_t size, std::size_t count, void* user) {
    auto* out = static_cast<HttpOutcome*>(user);
    const std::size_t bytes = size * count;
    std::string_view line(data, bytes);
    if (StartsWith(line, "HTTP/")) {  // a new response (e.g. after 100 Continue): forget earlier headers
        out->retry_after_ms.clear();
        out->retry_after.clear();
        out->should_retry.clear();
        return bytes;
    }
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) return bytes;
    const auto name = TrimSpace(line.substr(0, colon));
    const auto value = std::string(TrimSpace(line.substr(colon + 1)));
    if (EqualsIgnoreCase(name, "retry-after-ms")) out->retry_after_ms = value;
    if (EqualsIgnoreCase(name, "retry-after")) out->retry_after = value;
    if (EqualsIgnoreCase(name, "x-should-retry")) out->should_retry = value;
    return bytes;
}

double Jitter() {
    thread_local std::mt19937 rng{std::random_device{}()};
    return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
}

}  // namespace

DodoOptions DodoOptions::FromEnv() {
    DodoOptions options;
    options.api_key = config::Env::Required("DODO_API_KEY");
    const bool test_mode = config::Env::Bool("DODO_TEST_MODE", false);
    options.base_url =
        config::Env::String("DODO_PAYMENTS_BASE_URL", std::string(test_mode ? kDodoTestUrl : kDodoLiveUrl));
    if (!StartsWith(options.base_url, "http://") && !StartsWith(options.base_url, "https://")) {
        throw config::ConfigError("DODO_PAYMENTS_BASE_URL: expected an http:// or https:// URL, got '" +
                                  options.base_url + "'");
    }
    return options;
}

// One HTTP exchange with retries. Handles are pooled: curl_easy_reset keeps a handle's live
// connections, so consecutive calls reuse the TLS session instead of handshaking again.
class DodoProvider::Transport {
public:
    struct Call {
        const char* method;
        std::string target;                      // path and query, already escaped
        std::optional<std::string> json_body;    // sent with Content-Type: application/json
        bool json_response = true;               // Accept: application/json, else */* (void endpoints, as the SDK)
    };

    explicit Transport(const DodoOptions& options)
        : options_(options), authorization_("Authorization: Bearer " + options.api_key) {}

    // The response body of a 2xx answer, or the classified error.
    Result<std::string> Send(const Call& call) {
        const std::string what = std::string(call.method) + " " + call.target;
        for (int attempt = 0;; ++attempt) {
            HttpOutcome outcome = Perform(call);
            bool retry = false;
            std::optional<Error> failure;
            if (outcome.curl != CURLE_OK) {
                retry = true;
                failure = Error::Unavailable("Dodo Payments " + what + " failed: " + outcome.curl_error);
            } else if (outcome.status >= 200 && outcome.status < 300) {
                return std::move(outcome.body);
            } else {
                const long s = outcome.status;
                retry = s == 408 || s == 409 || s == 429 || s >= 500;
                if (EqualsIgnoreCase(outcome.should_retry, "true")) retry = true;
                if (EqualsIgnoreCase(outcome.should_retry, "false")) retry = false;
                std::string message = "Dodo Payments " + what + " answered HTTP " + std::to_string(s) + ": " +
                                      ProviderMessage(outcome.body);
                const bool rejected = s >= 400 && s < 500 && s != 408 && s != 409 && s != 429;
                failure = rejected ? Error::InvalidArgument(std::move(message))
                                   : Error::Unavailable(std::move(message));
            }
            if (!retry) return *std::move(failure);
            if (attempt >= options_.max_retries) {
                if (attempt > 0) failure->message += " (gave up after " + std::to_string(attempt + 1) + " attempts)";
                return *std::move(failure);
            }
            const milliseconds delay = RetryDelay(attempt, outcome);
            spdlog::warn("{}; retrying in {} ms (retry {} of {})", failure->message, delay.count(), attempt + 1,
                         options_.max_retries);
            std::this_thread::sleep_for(delay);
        }
    }

private:
    milliseconds RetryDelay(int retry, const HttpOutcome& outcome) const {
        auto hinted = ParseDelay(outcome.retry_after_ms, 1.0);
        if (!hinted) hinted = ParseDelay(outcome.retry_after, 1000.0);
        if (hinted) return std::min(*hinted, options_.retry_after_cap);
        const double base = static_cast<double>(options_.retry_base_delay.count()) * std::pow(2.0, retry);
        const double capped = std::min(base, static_cast<double>(options_.retry_max_delay.count()));
        return milliseconds(static_cast<std::int64_t>(capped * (1.0 - 0.25 * Jitter())));
    }

    HttpOutcome Perform(const Call& call) {
        CURL* handle = handles_.Acquire();
        HttpOutcome outcome;
        if (handle == nullptr) {
            outcome.curl = CURLE_FAILED_INIT;
            outcome.curl_error = "could not create a curl handle";
            return outcome;
        }
        char error_buffer[CURL_ERROR_SIZE] = {0};
        curl_slist* headers = nullptr;
        headers = curl_slist_append(headers, authorization_.c_str());
        headers = curl_slist_append(headers, call.json_response ? "Accept: application/json" : "Accept: */*");
        // Without a JSON body, curl would otherwise label a POST as a form.
        headers = curl_slist_append(headers, call.json_body ? "Content-Type: application/json" : "Content-Type:");
        headers = curl_slist_append(headers, "Expect:");  // no 100-continue round trip for larger bodies

        const std::string url = options_.base_url + call.target;
        curl_easy_setopt(handle, CURLOPT_URL, url.c_str());
        curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
#if LIBCURL_VERSION_NUM >= 0x075500
        curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "http,https");
#else
        curl_easy_setopt(handle, CURLOPT_PROTOCOLS, static_cast<long>(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
        curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.connect_timeout.count()));
        curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.total_timeout.count()));
        curl_easy_setopt(handle, CURLOPT_USERAGENT, "orderstream-payment/0.1");
        curl_easy_setopt(handle, CURLOPT_HTTPHEADER, headers);
        curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, error_buffer);
        curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, &OnBody);
        curl_easy_setopt(handle, CURLOPT_WRITEDATA, &outcome);
        curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, &OnHeader);
        curl_easy_setopt(handle, CURLOPT_HEADERDATA, &outcome);

        const std::string_view method = call.method;
        const std::string& body = call.json_body ? *call.json_body : kEmpty;
        if (method == "POST") {
            curl_easy_setopt(handle, CURLOPT_POST, 1L);
        } else if (method != "GET") {
            curl_easy_setopt(handle, CURLOPT_CUSTOMREQUEST, call.method);
        }
        if (method == "POST" || call.json_body) {
            curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
            curl_easy_setopt(handle, CURLOPT_POSTFIELDS, body.c_str());
        }

        outcome.curl = curl_easy_perform(handle);
        if (outcome.curl == CURLE_OK) {
            curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &outcome.status);
        } else {
            outcome.curl_error = error_buffer[0] != '\0' ? error_buffer : curl_easy_strerror(outcome.curl);
        }
        curl_slist_free_all(headers);
        handles_.Release(handle, outcome.curl == CURLE_OK);
        return outcome;
    }

    static inline const std::string kEmpty;

    const DodoOptions& options_;
    const std::string authorization_;
    http::CurlHandlePool handles_{kMaxIdleHandles};
};

namespace {

Result<rapidjson::Document> ParseObject(const std::string& body, const std::string& what) {
    rapidjson::Document doc;
    doc.Parse(body.data(), body.size());
    if (doc.HasParseError() || !doc.IsObject()) {
        return Error::Unavailable("Dodo Payments " + what + " returned a body that is not a JSON object");
    }
    return Result<rapidjson::Document>(std::move(doc));
}

Result<std::string> StringField(const rapidjson::Document& doc, const char* field, const std::string& what) {
    auto it = doc.FindMember(field);
    if (it == doc.MemberEnd() || !it->value.IsString() || it->value.GetStringLength() == 0) {
        return Error::Unavailable("Dodo Payments " + what + " returned no '" + field + "'");
    }
    return std::string(it->value.GetString(), it->value.GetStringLength());
}

Result<std::string> FieldOf(const Result<std::string>& body, const char* field, const std::string& what) {
    if (!body) return body.error();
    auto doc = ParseObject(*body, what);
    if (!doc) return doc.error();
    return StringField(*doc, field, what);
}

}  // namespace

DodoProvider::DodoProvider(DodoOptions options) : options_(std::move(options)) {
    if (options_.api_key.empty()) throw std::invalid_argument("DodoProvider needs an API key");
    if (!StartsWith(options_.base_url, "http://") && !StartsWith(options_.base_url, "https://")) {
        throw std::invalid_argument("DodoProvider base URL must be http:// or https://, got '" + options_.base_url +
                                    "'");
    }
    while (!options_.base_url.empty() && options_.base_url.back() == '/') options_.base_url.pop_back();
    options_.max_retries = std::max(options_.max_retries, 0);
    transport_ = std::make_unique<Transport>(options_);
}

DodoProvider::~DodoProvider() = default;

Result<std::string> DodoProvider::CreateCustomer(const CustomerRequest& request) {
    if (request.email.empty()) return Error::InvalidArgument("customer email is empty");
    rapidjson::StringBuffer buffer;
    JsonWriter w(buffer);
    w.StartObject();
    w.Key("email");
    Str(w, request.email);
    w.Key("name");
    Str(w, request.name);
    w.Key("metadata");
    StringMap(w, {{"user_id", std::to_string(request.account_id)}});  // the seed sent no user_id
    w.EndObject();
    Transport::Call call{"POST", "/customers", std::string(buffer.GetString()), true};
    return FieldOf(transport_->Send(call), "customer_id", "POST /customers");
}

Result<std::string> DodoProvider::CreatePortalSession(const std::string& customer_id, const std::string& return_url) {
    if (customer_id.empty()) return Error::InvalidArgument("customer id is empty");
    std::string target = "/customers/" + text::PercentEncode(customer_id) + "/customer-portal/session?send_email=false";
    if (!return_url.empty()) target += "&return_url=" + text::PercentEncode(return_url);
    Transport::Call call{"POST", target, std::nullopt, true};
    return FieldOf(transport_->Send(call), "link", "POST " + target);
}

Result<std::string> DodoProvider::CreateProduct(const ProductSpec& product) {
    if (auto s = CheckProduct(product); !s) return s.error();
    Transport::Call call{"POST", "/products", ProductBody(product, true), true};
    return FieldOf(transport_->Send(call), "product_id", "POST /products");
}

Status DodoProvider::UpdateProduct(const std::string& provider_product_id, const ProductSpec& product) {
    if (provider_product_id.empty()) return Error::InvalidArgument("provider product id is empty");
    if (auto s = CheckProduct(product); !s) return s;
    Transport::Call call{"PATCH", "/products/" + text::PercentEncode(provider_product_id), ProductBody(product, false),
                         false};
    auto body = transport_->Send(call);
    if (!body) return body.error();
    return Status::Ok();
}

Status DodoProvider::ArchiveProduct(const std::string& provider_product_id) {
    if (provider_product_id.empty()) return Error::InvalidArgument("provider product id is empty");
    Transport::Call call{"DELETE", "/products/" + text::PercentEncode(provider_product_id), std::nullopt, false};
    auto body = transport_->Send(call);
    if (!body) return body.error();
    return Status::Ok();
}

Result<CheckoutSession> DodoProvider::CreateCheckout(const CheckoutRequest& request) {
    if (request.customer_id.empty()) return Error::InvalidArgument("checkout needs a provider customer id");
    if (request.order_product_id.empty()) return Error::InvalidArgument("checkout needs the order product's id");
    if (request.amount_cents <= 0) return Error::InvalidArgument("checkout amount must be positive");
    if (auto s = CheckMetadata(request.metadata); !s) return s.error();

    rapidjson::StringBuffer buffer;
    JsonWriter w(buffer);
    w.StartObject();
    // One line, quantity 1, of the pay-what-you-want product with the order's total as its
    // amount: whether Dodo reads a line's amount per unit or per line, the charge is the total.
    w.Key("product_cart");
    w.StartArray();
    w.StartObject();
    w.Key("product_id");
    Str(w, request.order_product_id);
    w.Key("quantity");
    w.Uint(1);
    w.Key("amount");
    w.Int64(request.amount_cents);
    w.EndObject();
    w.EndArray();
    w.Key("customer");
    w.StartObject();
    w.Key("customer_id");
    Str(w, request.customer_id);
    w.EndObject();
    if (!request.return_url.empty()) {
        w.Key("return_url");
        Str(w, request.return_url);
    }
    w.Key("metadata");
    StringMap(w, request.metadata);
    w.EndObject();

    const std::string what = "POST /checkouts";
    auto body = transport_->Send({"POST", "/checkouts", std::string(buffer.GetString()), true});
    if (!body) return body.error();
    auto doc = ParseObject(*body, what);
    if (!doc) return doc.error();
    auto session_id = StringField(*doc, "session_id", what);
    if (!session_id) return session_id.error();
    // checkout_url is nullable in the API (null only when a payment method is pre-selected, which we never do).
    auto url = StringField(*doc, "checkout_url", what);
    if (!url) return url.error();
    return CheckoutSession{std::move(session_id).value(), std::move(url).value()};
}

Status DodoProvider::ExpireCheckout(const std::string& /*session_id*/) {
    return Status::Ok();  // no such endpoint: a late payment is refunded when its webhook arrives
}

Result<RefundReceipt> DodoProvider::CreateRefund(const RefundRequest& request) {
    if (request.payment_id.empty()) return Error::InvalidArgument("refund needs a payment id");
    // No amount and no items: a full refund of what is left of the payment, the one shape the
    // API versions agree on.
    rapidjson::StringBuffer buffer;
    JsonWriter w(buffer);
    w.StartObject();
    w.Key("payment_id");
    Str(w, request.payment_id);
    if (!request.reason.empty()) {
        w.Key("reason");
        Str(w, request.reason.substr(0, 3000));
    }
    w.EndObject();
    const std::string what = "POST /refunds";
    auto body = transport_->Send({"POST", "/refunds", std::string(buffer.GetString()), true});
    if (!body) return body.error();
    auto doc = ParseObject(*body, what);
    if (!doc) return doc.error();
    auto refund_id = StringField(*doc, "refund_id", what);
    if (!refund_id) return refund_id.error();
    RefundReceipt receipt{std::move(refund_id).value(), "pending"};
    if (auto status = doc->FindMember("status"); status != doc->MemberEnd() && status->value.IsString()) {
        receipt.status = status->value.GetString();
    }
    return receipt;
}

}  // namespace orderstream::payment
