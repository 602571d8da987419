#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "orderstream/http/server.hpp"

namespace orderstream::payment::testing {

// One request as the fake received it.
struct RecordedRequest {
    std::string method;
    std::string path;                          // without the query, as sent (still percent-encoded)
    std::map<std::string, std::string> query;  // decoded
    http::Headers headers;
    std::string body;  // raw bytes
    int status = 0;    // what the fake answered
    std::chrono::steady_clock::time_point received_at;

    // Case-insensitive; empty when absent (see HasHeader to tell absent from empty).
    std::string_view Header(std::string_view name) const;
    bool HasHeader(std::string_view name) const;
    // True when the body is JSON equal to `expected` (member order ignored, types compared exactly).
    bool JsonEquals(std::string_view expected) const;
};

struct FakeCustomer {
    std::string id;
    std::string email;
    std::string name;
    std::map<std::string, std::string> metadata;  // values rendered as text
};

struct FakeProduct {
    std::string id;
    std::string name;
    std::string description;
    std::string tax_category;
    std::int64_t price = 0;
    std::string currency;
    std::map<std::string, std::string> metadata;
    bool archived = false;
    bool pay_what_you_want = false;  // price is then the minimum a checkout line may name
    bool tax_inclusive = false;
    int updates = 0;  // accepted PATCH calls
};

struct FakeCheckout {
    std::string id;
    std::string customer_id;
    std::vector<std::pair<std::string, std::int64_t>> cart;  // product id, quantity
    std::int64_t total = 0;  // what paying the session would take: amounts (pay what you want) or prices
    std::string currency;
    std::string return_url;
    std::map<std::string, std::string> metadata;
};

// A payment the buyer made on Dodo's page (tests say so with AddPayment), and its refunds.
struct FakePayment {
    std::string id;
    std::int64_t amount = 0;
    std::string currency;
    std::int64_t refunded = 0;
};

struct FakeRefund {
    std::string id;
    std::string payment_id;
    std::int64_t amount = 0;
    std::string reason;
};

// A scripted answer for the next `count` requests whose path starts with a prefix.
struct ScriptedFailure {
    int status = 500;
    int count = 1;
    std::optional<std::chrono::seconds> retry_after;          // sent as Retry-After
    std::optional<std::chrono::milliseconds> retry_after_ms;  // sent as Retry-After-Ms
};

// A local stand-in for the Dodo Payments API (http://127.0.0.1:<port>) covering the endpoints
// OrderStream calls: POST /customers, POST /customers/{id}/customer-portal/session,
// POST /products, PATCH /products/{id}, DELETE /products/{id}, POST /checkouts, POST /refunds. It checks the
// bearer key (401) and the JSON shapes the API requires (422, or 404 for unknown ids) and answers
// with Dodo's {"code","message"} error body, records every request, and serves GET /session/{id}
// and GET /portal/{id} so the URLs it hands out resolve. Thread-safe; starts in the constructor.
class FakeDodo {
public:
    explicit FakeDodo(std::string api_key = "sk_test_fake_dodo");
    ~FakeDodo();
    FakeDodo(const FakeDodo&) = delete;
    FakeDodo& operator=(const FakeDodo&) = delete;

    std::string base_url() const;  // e.g. http://127.0.0.1:41235, no trailing '/'
    const std::string& api_key() const { return api_key_; }

    std::vector<RecordedRequest> requests() const;
    // Requests with this method (empty: any) whose path starts with `path_prefix`.
    std::vector<RecordedRequest> requests(std::string_view method, std::string_view path_prefix) const;
    void ClearRequests();

    // The next `count` requests to a path starting with `path_prefix` (any method) get `status`
    // with a Dodo error body, before any other check. Scripts queue up in the order given.
    void FailNext(std::string path_prefix, int status, int count = 1,
                  std::optional<std::chrono::seconds> retry_after = std::nullopt);
    void FailNext(std::string path_prefix, ScriptedFailure failure);

    std::optional<FakeCustomer> customer(const std::string& id) const;
    std::vector<FakeCustomer> customers() const;
    std::optional<FakeProduct> product(const std::string& id) const;
    std::vector<FakeProduct> products() const;
    std::optional<FakeCheckout> checkout(const std::string& id) const;
    std::vector<FakeCheckout> checkouts() const;
    // The buyer paid on Dodo's page: refunds of it may now be asked for.
    void AddPayment(FakePayment payment);
    std::vector<FakeRefund> refunds() const;

private:
    struct Reply {
        int status;
        std::string body;
        http::Headers headers;
    };

    void Handle(http::Request&& request, const http::Respond& respond);
    Reply Route(const http::Request& request, const RecordedRequest& recorded);
    std::optional<Reply> TakeScriptedFailure(std::string_view path);
    Reply CreateCustomer(const std::string& body);
    Reply CreatePortalSession(const std::string& customer_id, const RecordedRequest& recorded);
    Reply CreateProduct(const std::string& body);
    Reply UpdateProduct(const std::string& id, const std::string& body);
    Reply ArchiveProduct(const std::string& id);
    Reply CreateCheckout(const std::string& body);
    Reply CreateRefund(const std::string& body);

    const std::string api_key_;
    mutable std::mutex mutex_;
    std::vector<RecordedRequest> requests_;
    std::deque<std::pair<std::string, ScriptedFailure>> failures_;
    std::map<std::string, FakeCustomer> customers_;
    std::map<std::string, FakeProduct> products_;
    std::map<std::string, FakeCheckout> checkouts_;
    std::map<std::string, FakePayment> payments_;
    std::vector<FakeRefund> refunds_;
    std::unique_ptr<http::Server> server_;
};

// A TCP listener on 127.0.0.1 that never accepts or answers: a request to it connects and then
// hangs until the client's own timeout fires.
class SilentServer {
public:
    SilentServer();
    ~SilentServer();
    SilentServer(const SilentServer&) = delete;
    SilentServer& operator=(const SilentServer&) = delete;

    std::string base_url() const;

private:
    int fd_ = -1;
    int port_ = 0;
};

}  // namespace orderstream::payment::testing
