#pragma once

#include <chrono>
#include <cmath>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "graphql_reply.hpp"
#include "shop_catalog.hpp"
#include "shop_stats.hpp"

namespace orderstream::bench {

struct ShopAccount {
    std::string email;
    std::string name;
    std::string token;
    std::int64_t id = 0;
};

// Signs in with login, registering the account first when it does not exist yet (so repeated
// runs reuse their accounts), then reads its id with `me`. Empty error on success.
inline std::string SignIn(KeepAliveConnection& gateway, const std::string& email, const std::string& name,
                          const std::string& password, ShopAccount& account) {
    static constexpr std::string_view kLogin =
        "mutation SignIn($account: LoginInput!) { login(account: $account) { token } }";
    static constexpr std::string_view kRegister =
        "mutation SignUp($account: RegisterInput!) { register(account: $account) { token } }";
    static constexpr std::string_view kMe = "query Me { me { id name email } }";
    auto credentials = [&](bool with_name) {
        return [&, with_name](JsonWriter& writer) {
            writer.Key("account");
            writer.StartObject();
            if (with_name) WriteString(writer, "name", name);
            WriteString(writer, "email", email);
            WriteString(writer, "password", password);
            writer.EndObject();
        };
    };
    auto login = PostGraphql(gateway, GraphqlBody(kLogin, credentials(false)), "login");
    if (!login.ok() && login.kind() == "graphql UNAUTHENTICATED") {
        auto registered = PostGraphql(gateway, GraphqlBody(kRegister, credentials(true)), "register");
        login = PostGraphql(gateway, GraphqlBody(kLogin, credentials(false)), "login");
        // Registered meanwhile by another run: the login works and the register error does not matter.
        if (!registered.ok() && !login.ok()) {
            return "register " + email + ": " + registered.kind() + ": " + registered.message();
        }
    }
    if (!login.ok()) return "login " + email + ": " + login.kind() + ": " + login.message();
    const auto& token = login.field();
    if (!token.IsObject() || !token.HasMember("token") || !token["token"].IsString() ||
        token["token"].GetStringLength() == 0) {
        return "login " + email + ": no token in the reply";
    }
    account = {email, name, token["token"].GetString(), 0};
    auto me = PostGraphql(gateway, GraphqlBody(kMe, [](JsonWriter&) {}), "me", account.token);
    if (!me.ok()) return "me for " + email + ": " + me.kind() + ": " + me.message();
    const auto& self = me.field();
    if (!self.IsObject() || !self.HasMember("id") || !self["id"].IsInt64() || !self.HasMember("email") ||
        !self["email"].IsString()) {
        return "me for " + email + ": no id in the reply";
    }
    account.id = self["id"].GetInt64();
    return {};
}

// SignIn for set-up, which runs on a machine that may be busy (argon2id hashing is deliberately
// slow): a transient failure (UNAVAILABLE, a timeout, HTTP 5xx) is retried with backoff.
inline std::string SignInPatiently(KeepAliveConnection& gateway, const std::string& email, const std::string& name,
                                   const std::string& password, ShopAccount& account) {
    std::string problem;
    for (int attempt = 0; attempt < 5; ++attempt) {
        problem = SignIn(gateway, email, name, password, account);
        bool transient = problem.find("UNAVAILABLE") != std::string::npos ||
                         problem.find("transport") != std::string::npos || problem.find("http 5") != std::string::npos;
        if (problem.empty() || !transient) return problem;
        std::this_thread::sleep_for(std::chrono::milliseconds(500) * (1 << attempt));
    }
    return problem + " (after 5 attempts)";
}

// One virtual user: its own account and connections, the products it looked at and the orders
// it has not paid yet. Every reply is checked; a failure is counted, never taken as a success.
class Shopper {
public:
    using Clock = std::chrono::steady_clock;

    struct Settings {
        std::string gateway_host;
        std::string gateway_port;
        std::chrono::milliseconds timeout{5000};
        bool pay = true;  // press Pay on the sandbox checkout page after createCheckoutSession
        std::string key_prefix;  // idempotency keys: <prefix>-<user>-<n>
    };

    Shopper(int index, ShopAccount account, const Catalog& catalog, const Settings& settings, std::uint64_t seed)
        : index_(index),
          account_(std::move(account)),
          catalog_(catalog),
          settings_(settings),
          gateway_(settings.gateway_host, settings.gateway_port, settings.timeout),
          random_(seed) {}

    // Runs one operation of the mix. `started` is when it was due: now for a closed loop, the
    // scheduled arrival for an open loop (so queueing delay counts in its latency).
    void Perform(Operation operation, Clock::time_point started, ShopStats& stats) {
        switch (operation) {
            case Operation::kBrowse: return Browse(started, stats);
            case Operation::kSearch: return Search(started, stats);
            case Operation::kView: return View(started, stats);
            case Operation::kRecommend: return Recommend(started, stats);
            case Operation::kOrder: PlaceOrder(started, stats); return;
            case Operation::kCheckout: return Checkout(started, stats);
            case Operation::kPay: return;  // only after a checkout
        }
    }

    std::mt19937_64& random() { return random_; }
    std::size_t connects() const {
        std::size_t total = gateway_.connects();
        for (const auto& [address, connection] : payment_pages_) total += connection->connects();
        return total;
    }

private:
    struct OrderLine {
        std::string id;
        int quantity = 1;
    };
    struct PendingOrder {
        std::int64_t id = 0;
        std::vector<OrderLine> lines;
    };

    static constexpr int kPageSize = 20;
    static constexpr std::size_t kViewedKept = 5;
    static constexpr std::size_t kPendingKept = 20;

    GraphqlReply Post(const std::string& body, std::string_view field) {
        return PostGraphql(gateway_, body, field, account_.token);
    }
    static void WritePage(JsonWriter& writer, std::size_t skip, int take) {
        writer.Key("page");
        writer.StartObject();
        writer.Key("skip");
        writer.Uint64(skip);
        writer.Key("take");
        writer.Int(take);
        writer.EndObject();
    }
    // A list of products, each with a string id and a numeric price; empty error when it is one.
    static std::string CheckProductList(const rapidjson::Value& list) {
        if (!list.IsArray()) return "product is not a list";
        for (const auto& product : list.GetArray()) {
            if (!product.IsObject() || !product.HasMember("id") || !product["id"].IsString() ||
                !product.HasMember("price") || !product["price"].IsNumber()) {
                return "a product without a string id and a numeric price";
            }
        }
        return {};
    }
    void Record(Operation operation, Clock::time_point started, GraphqlReply& reply, ShopStats& stats) {
        if (reply.ok()) {
            stats.Success(operation, started);
        } else {
            stats.Failure(operation, started, reply.kind(), reply.message());
        }
    }
    const CatalogProduct& AnyProduct() { return catalog_.products[random_() % catalog_.products.size()]; }

    // The product list page: a random page of the catalog.
    void Browse(Clock::time_point started, ShopStats& stats) {
        static constexpr std::string_view kDocument =
            "query Browse($page: PaginationInput) { product(pagination: $page) { id name price } }";
        auto size = catalog_.products.size();
        auto pages = (size + kPageSize - 1) / kPageSize;
        auto skip = (random_() % pages) * kPageSize;
        auto reply = Post(GraphqlBody(kDocument, [&](JsonWriter& w) { WritePage(w, skip, kPageSize); }), "product");
        if (reply.ok()) {
            if (auto problem = CheckProductList(reply.field()); !problem.empty()) {
                reply.Reject(problem);
            } else if (auto expected = std::min<std::size_t>(kPageSize, size - skip);
                       catalog_.complete && reply.field().Size() != expected) {
                reply.Reject("page at skip " + std::to_string(skip) + " has " + std::to_string(reply.field().Size()) +
                             " products, expected " + std::to_string(expected));
            } else if (reply.field().Empty()) {
                reply.Reject("page at skip " + std::to_string(skip) + " is empty");
            }
        }
        Record(Operation::kBrowse, started, reply, stats);
    }

    void Search(Clock::time_point started, ShopStats& stats) {
        static constexpr std::string_view kDocument =
            "query Search($q: String, $page: PaginationInput) "
            "{ product(query: $q, pagination: $page) { id name price } }";
        const auto& term = kSearchTerms[random_() % kSearchTerms.size()];
        auto reply = Post(GraphqlBody(kDocument,
                                      [&](JsonWriter& w) {
                                          WriteString(w, "q", term);
                                          WritePage(w, 0, kPageSize);
                                      }),
                          "product");
        if (reply.ok()) {
            if (auto problem = CheckProductList(reply.field()); !problem.empty()) {
                reply.Reject(problem);
            } else if (reply.field().Empty()) {
                reply.Reject("a search for \"" + term + "\" (words of the catalog) found nothing");
            }
        }
        Record(Operation::kSearch, started, reply, stats);
    }

    void View(Clock::time_point started, ShopStats& stats) {
        static constexpr std::string_view kDocument =
            "query View($id: String) { product(id: $id) { id name description price accountId } }";
        const auto& product = AnyProduct();
        auto reply = Post(GraphqlBody(kDocument, [&](JsonWriter& w) { WriteString(w, "id", product.id); }), "product");
        if (reply.ok()) {
            const auto& list = reply.field();
            if (auto problem = CheckProductList(list); !problem.empty()) {
                reply.Reject(problem);
            } else if (list.Size() != 1 || list[0u]["id"].GetString() != product.id) {
                reply.Reject("product(id: " + product.id + ") did not return exactly that product");
            } else {
                viewed_.push_back(&product);
                if (viewed_.size() > kViewedKept) viewed_.pop_front();
            }
        }
        Record(Operation::kView, started, reply, stats);
    }

    // "For you" (byAccountId) or "similar to what you viewed", alternately when there are views.
    void Recommend(Clock::time_point started, ShopStats& stats) {
        static constexpr std::string_view kForYou =
            "query ForYou($page: PaginationInput) { product(byAccountId: true, pagination: $page) { id name price } }";
        static constexpr std::string_view kSimilar =
            "query Similar($ids: [String], $page: PaginationInput) "
            "{ product(viewedProductsIds: $ids, pagination: $page) { id name price } }";
        bool similar = !viewed_.empty() && (recommendations_++ % 2 == 0);
        std::string body = similar ? GraphqlBody(kSimilar,
                                                 [&](JsonWriter& w) {
                                                     w.Key("ids");
                                                     w.StartArray();
                                                     for (const auto* product : viewed_) w.String(product->id.c_str());
                                                     w.EndArray();
                                                     WritePage(w, 0, 5);
                                                 })
                                   : GraphqlBody(kForYou, [&](JsonWriter& w) { WritePage(w, 0, 5); });
        auto reply = Post(body, "product");
        if (reply.ok()) {
            if (auto problem = CheckProductList(reply.field()); !problem.empty()) {
                reply.Reject(problem);
            } else if (similar) {
                std::set<std::string> seen;
                for (const auto* product : viewed_) seen.insert(product->id);
                for (const auto& product : reply.field().GetArray()) {
                    if (seen.contains(product["id"].GetString())) {
                        reply.Reject(std::string("recommended a viewed product: ") + product["id"].GetString());
                        break;
                    }
                }
            }
        }
        Record(Operation::kRecommend, started, reply, stats);
    }

    // createOrder with 1-3 lines, mostly of viewed products; checks the id, status, lines and the
    // total against the catalog's prices. Returns the order when it was placed.
    std::optional<PendingOrder> PlaceOrder(Clock::time_point started, ShopStats& stats) {
        static constexpr std::string_view kDocument =
            "mutation PlaceOrder($order: OrderInput!, $key: String) { createOrder(order: $order, idempotencyKey: $key) "
            "{ id totalPrice status products { id quantity } } }";
        std::map<std::string, int> cart;
        std::int64_t expected_cents = 0;
        auto lines = 1 + random_() % 3;
        for (std::size_t i = 0; i < lines; ++i) {
            const CatalogProduct* product =
                !viewed_.empty() && random_() % 3 != 0 ? viewed_[random_() % viewed_.size()] : &AnyProduct();
            int quantity = 1 + static_cast<int>(random_() % 3);
            cart[product->id] += quantity;
            expected_cents += product->price_cents * quantity;
        }
        PendingOrder order;
        for (const auto& [id, quantity] : cart) order.lines.push_back({id, quantity});
        auto key = settings_.key_prefix + "-" + std::to_string(index_) + "-" + std::to_string(++orders_placed_) + "-" +
                   std::to_string(random_() % 1000000);
        auto body = GraphqlBody(kDocument, [&](JsonWriter& w) {
            w.Key("order");
            w.StartObject();
            w.Key("products");
            w.StartArray();
            for (const auto& line : order.lines) {
                w.StartObject();
                WriteString(w, "id", line.id);
                w.Key("quantity");
                w.Int(line.quantity);
                w.EndObject();
            }
            w.EndArray();
            w.EndObject();
            WriteString(w, "key", key);
        });
        auto reply = Post(body, "createOrder");
        if (reply.ok()) {
            const auto& placed = reply.field();
            if (!placed.IsObject() || !placed.HasMember("id") || !placed["id"].IsInt64() ||
                placed["id"].GetInt64() < 1) {
                reply.Reject("createOrder returned no order id");
            } else if (!placed.HasMember("status") || !placed["status"].IsString() ||
                       std::string_view(placed["status"].GetString()) != "pending") {
                reply.Reject("a new order is not pending");
            } else if (!placed.HasMember("products") || !placed["products"].IsArray() ||
                       placed["products"].Size() != order.lines.size()) {
                reply.Reject("the order does not have the " + std::to_string(order.lines.size()) + " lines sent");
            } else if (!placed.HasMember("totalPrice") || !placed["totalPrice"].IsNumber() ||
                       std::llround(placed["totalPrice"].GetDouble() * 100.0) != expected_cents) {
                reply.Reject("order total is not the catalog's " + std::to_string(expected_cents) + " cents");
            } else {
                order.id = placed["id"].GetInt64();
            }
        }
        Record(Operation::kOrder, started, reply, stats);
        if (!reply.ok()) return std::nullopt;
        pending_.push_back(order);
        if (pending_.size() > kPendingKept) pending_.pop_front();
        return order;
    }

    // createCheckoutSession for the oldest unpaid order (placing one first when there is none),
    // then, with --pay, the Pay button of the sandbox's checkout page.
    void Checkout(Clock::time_point started, ShopStats& stats) {
        static constexpr std::string_view kDocument =
            "mutation Checkout($details: CheckoutInput) { createCheckoutSession(details: $details) { url } }";
        if (pending_.empty()) {
            if (!PlaceOrder(started, stats)) return;
            started = Clock::now();
        }
        auto order = pending_.front();
        pending_.pop_front();
        auto body = GraphqlBody(kDocument, [&](JsonWriter& w) {
            w.Key("details");
            w.StartObject();
            w.Key("accounId");
            w.Int64(account_.id);
            WriteString(w, "name", account_.name);
            WriteString(w, "email", account_.email);
            WriteString(w, "redirectUrl", "http://shop.local/orders/" + std::to_string(order.id) + "/thanks");
            w.Key("products");
            w.StartArray();
            for (const auto& line : order.lines) {
                w.StartObject();
                WriteString(w, "id", line.id);
                w.Key("quantity");
                w.Int(line.quantity);
                w.EndObject();
            }
            w.EndArray();
            w.Key("orderId");
            w.Int64(order.id);
            w.EndObject();
        });
        auto reply = Post(body, "createCheckoutSession");
        std::string url;
        if (reply.ok()) {
            const auto& session = reply.field();
            if (!session.IsObject() || !session.HasMember("url") || !session["url"].IsString() ||
                !std::string_view(session["url"].GetString()).starts_with("http")) {
                reply.Reject("createCheckoutSession returned no checkout URL");
            } else {
                url = session["url"].GetString();
            }
        }
        Record(Operation::kCheckout, started, reply, stats);
        if (reply.ok() && settings_.pay) Pay(url, order.id, stats);
    }

    // The buyer presses Pay: POST <checkout url>/pay answers 303 to the shop with status=succeeded.
    void Pay(const std::string& url, std::int64_t order_id, ShopStats& stats) {
        auto started = Clock::now();
        constexpr std::string_view kScheme = "http://";
        auto slash = url.find('/', kScheme.size());
        auto colon = url.find(':', kScheme.size());
        if (!url.starts_with(kScheme) || slash == std::string::npos || colon == std::string::npos || colon > slash) {
            stats.Failure(Operation::kPay, started, "shape", "checkout URL is not http://host:port/...: " + url);
            return;
        }
        auto host = url.substr(kScheme.size(), colon - kScheme.size());
        auto port = url.substr(colon + 1, slash - colon - 1);
        auto& connection = payment_pages_[host + ":" + port];
        if (!connection) connection = std::make_unique<KeepAliveConnection>(host, port, settings_.timeout);
        auto outcome = connection->Send("POST", url.substr(slash) + "/pay", "",
                                        {{"Content-Type", "application/x-www-form-urlencoded"}});
        if (!outcome.reply) {
            stats.Failure(Operation::kPay, started, "transport", outcome.error);
        } else if (outcome.reply->status != 303) {
            stats.Failure(Operation::kPay, started, "http " + std::to_string(outcome.reply->status),
                          "order " + std::to_string(order_id) + ": " + GraphqlReply::Excerpt(outcome.reply->body));
        } else if (outcome.reply->location.find("status=succeeded") == std::string::npos) {
            stats.Failure(Operation::kPay, started, "shape", "Pay redirected to " + outcome.reply->location);
        } else {
            stats.Success(Operation::kPay, started);
        }
    }

    int index_;
    ShopAccount account_;
    const Catalog& catalog_;
    const Settings& settings_;
    KeepAliveConnection gateway_;
    std::map<std::string, std::unique_ptr<KeepAliveConnection>> payment_pages_;
    std::mt19937_64 random_;
    std::deque<const CatalogProduct*> viewed_;  // into the catalog, which outlives every shopper
    std::deque<PendingOrder> pending_;
    std::uint64_t recommendations_ = 0;
    std::uint64_t orders_placed_ = 0;
};

}  // namespace orderstream::bench
