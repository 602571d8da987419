#include "fake_dodo.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <initializer_list>
#include <random>
#include <stdexcept>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "orderstream/core/time_format.hpp"

namespace orderstream::payment::testing {
namespace {

using rapidjson::Value;
using Writer = rapidjson::Writer<rapidjson::StringBuffer>;
using Problem = std::optional<std::string>;  // what is wrong with a request body, if anything

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

std::string PercentDecode(std::string_view text, bool plus_is_space) {
    auto hex = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size() && hex(text[i + 1]) >= 0 && hex(text[i + 2]) >= 0) {
            out.push_back(static_cast<char>(hex(text[i + 1]) * 16 + hex(text[i + 2])));
            i += 2;
        } else if (text[i] == '+' && plus_is_space) {
            out.push_back(' ');
        } else {
            out.push_back(text[i]);
        }
    }
    return out;
}

std::map<std::string, std::string> ParseQuery(std::string_view query) {
    std::map<std::string, std::string> out;
    while (!query.empty()) {
        auto amp = query.find('&');
        auto pair = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
        if (pair.empty()) continue;
        auto eq = pair.find('=');
        auto key = PercentDecode(pair.substr(0, eq), true);
        auto value = eq == std::string_view::npos ? std::string() : PercentDecode(pair.substr(eq + 1), true);
        out[key] = value;
    }
    return out;
}

std::vector<std::string> Segments(std::string_view path) {
    std::vector<std::string> out;
    while (!path.empty()) {
        if (path.front() == '/') {
            path.remove_prefix(1);
            continue;
        }
        auto slash = path.find('/');
        out.push_back(PercentDecode(path.substr(0, slash), false));
        path = slash == std::string_view::npos ? std::string_view() : path.substr(slash);
    }
    return out;
}

std::string NewId(std::string_view prefix) {
    static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    thread_local std::mt19937 rng{std::random_device{}()};
    std::uniform_int_distribution<int> pick(0, sizeof kAlphabet - 2);
    std::string id(prefix);
    for (int i = 0; i < 21; ++i) id.push_back(kAlphabet[pick(rng)]);
    return id;
}

std::string Now() { return time_format::Rfc3339Utc(std::chrono::system_clock::now(), 6); }

void Str(Writer& w, std::string_view s) { w.String(s.data(), static_cast<rapidjson::SizeType>(s.size())); }

void StringMap(Writer& w, const std::map<std::string, std::string>& map) {
    w.StartObject();
    for (const auto& [k, v] : map) {
        Str(w, k);
        Str(w, v);
    }
    w.EndObject();
}

std::string ErrorBody(std::string_view code, std::string_view message) {
    rapidjson::StringBuffer buffer;
    Writer w(buffer);
    w.StartObject();
    w.Key("code");
    Str(w, code);
    w.Key("message");
    Str(w, message);
    w.EndObject();
    return buffer.GetString();
}

// ---- body checks, following the request schemas of the Dodo SDK ----

Problem OnlyFields(const Value& object, std::initializer_list<std::string_view> allowed, std::string_view where) {
    for (auto it = object.MemberBegin(); it != object.MemberEnd(); ++it) {
        std::string_view name(it->name.GetString(), it->name.GetStringLength());
        if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
            return "unknown field '" + std::string(name) + "' in " + std::string(where);
        }
    }
    return std::nullopt;
}

const Value* Member(const Value& object, const char* name) {
    auto it = object.FindMember(name);
    return it == object.MemberEnd() ? nullptr : &it->value;
}

Problem RequireString(const Value& object, const char* name, std::string_view where) {
    const Value* v = Member(object, name);
    if (v == nullptr) return "missing field '" + std::string(name) + "' in " + std::string(where);
    if (!v->IsString()) return "field '" + std::string(name) + "' in " + std::string(where) + " must be a string";
    return std::nullopt;
}

Problem OptionalString(const Value& object, const char* name, std::string_view where) {
    const Value* v = Member(object, name);
    if (v != nullptr && !v->IsString() && !v->IsNull()) {
        return "field '" + std::string(name) + "' in " + std::string(where) + " must be a string or null";
    }
    return std::nullopt;
}

Problem OptionalBool(const Value& object, const char* name, std::string_view where) {
    const Value* v = Member(object, name);
    if (v != nullptr && !v->IsBool()) {
        return "field '" + std::string(name) + "' in " + std::string(where) + " must be a boolean";
    }
    return std::nullopt;
}

// Dodo's metadata rules: at most 50 pairs, keys of 1-40 [A-Za-z0-9_-], values of at most 500
// characters that are strings, numbers or booleans.
Problem CheckMetadata(const Value* metadata) {
    if (metadata == nullptr) return std::nullopt;
    if (!metadata->IsObject()) return "metadata must be an object";
    if (metadata->MemberCount() > 50) return "metadata has more than 50 keys";
    for (auto it = metadata->MemberBegin(); it != metadata->MemberEnd(); ++it) {
        std::string_view key(it->name.GetString(), it->name.GetStringLength());
        bool key_ok = !key.empty() && key.size() <= 40 && std::all_of(key.begin(), key.end(), [](unsigned char c) {
            return std::isalnum(c) || c == '-' || c == '_';
        });
        if (!key_ok) return "metadata key '" + std::string(key) + "' is invalid";
        const Value& v = it->value;
        if (!v.IsString() && !v.IsNumber() && !v.IsBool()) {
            return "metadata value for '" + std::string(key) + "' must be a string, number or boolean";
        }
        if (v.IsString() && v.GetStringLength() > 500) {
            return "metadata value for '" + std::string(key) + "' is too long";
        }
    }
    return std::nullopt;
}

std::map<std::string, std::string> MetadataText(const Value* metadata) {
    std::map<std::string, std::string> out;
    if (metadata == nullptr || !metadata->IsObject()) return out;
    for (auto it = metadata->MemberBegin(); it != metadata->MemberEnd(); ++it) {
        const Value& v = it->value;
        std::string text;
        if (v.IsString()) {
            text.assign(v.GetString(), v.GetStringLength());
        } else if (v.IsBool()) {
            text = v.GetBool() ? "true" : "false";
        } else {
            rapidjson::StringBuffer buffer;
            Writer w(buffer);
            v.Accept(w);
            text = buffer.GetString();
        }
        out[it->name.GetString()] = text;
    }
    return out;
}

bool IsCurrency(const Value& v) {
    if (!v.IsString() || v.GetStringLength() != 3) return false;
    std::string_view s(v.GetString(), 3);
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

// PriceOneTimePriceParam: the only price type OrderStream uses.
Problem CheckPrice(const Value* price) {
    if (price == nullptr) return "missing field 'price'";
    if (!price->IsObject()) return "price must be an object";
    if (auto p = RequireString(*price, "type", "price")) return p;
    if (std::string_view((*price)["type"].GetString()) != "one_time_price") {
        return "price.type must be one_time_price (the only type this fake supports), got '" +
               std::string((*price)["type"].GetString()) + "'";
    }
    if (auto p = OnlyFields(*price,
                            {"type", "price", "currency", "discount", "purchasing_power_parity", "pay_what_you_want",
                             "suggested_price", "tax_inclusive"},
                            "price")) {
        return p;
    }
    const Value* amount = Member(*price, "price");
    if (amount == nullptr || !amount->IsInt64() || amount->GetInt64() < 0) {
        return "price.price must be a non-negative integer in the currency's smallest unit";
    }
    const Value* currency = Member(*price, "currency");
    if (currency == nullptr || !IsCurrency(*currency)) return "price.currency must be an uppercase ISO 4217 code";
    const Value* discount = Member(*price, "discount");
    if (discount == nullptr || !discount->IsInt64() || discount->GetInt64() < 0 || discount->GetInt64() > 100) {
        return "price.discount must be an integer percentage 0..100";
    }
    const Value* ppp = Member(*price, "purchasing_power_parity");
    if (ppp == nullptr || !ppp->IsBool()) return "price.purchasing_power_parity is required and must be a boolean";
    if (auto p = OptionalBool(*price, "pay_what_you_want", "price")) return p;
    if (auto p = OptionalBool(*price, "tax_inclusive", "price")) return p;
    const Value* suggested = Member(*price, "suggested_price");
    if (suggested != nullptr && !suggested->IsNull() && !suggested->IsInt64()) {
        return "price.suggested_price must be an integer or null";
    }
    return std::nullopt;
}

Problem CheckTaxCategory(const Value* v) {
    static constexpr std::string_view kCategories[] = {"digital_products", "saas", "e_book", "edtech", "live_tutoring"};
    if (v == nullptr) return "missing field 'tax_category'";
    if (!v->IsString() || std::find(std::begin(kCategories), std::end(kCategories),
                                    std::string_view(v->GetString())) == std::end(kCategories)) {
        return "tax_category must be one of digital_products, saas, e_book, edtech, live_tutoring";
    }
    return std::nullopt;
}

std::string ProductJson(const FakeProduct& p, const std::string& created_at) {
    rapidjson::StringBuffer buffer;
    Writer w(buffer);
    w.StartObject();
    w.Key("product_id");
    Str(w, p.id);
    w.Key("business_id");
    w.String("bus_FakeDodoBusiness");
    w.Key("brand_id");
    w.String("bus_FakeDodoBusiness");
    w.Key("created_at");
    Str(w, created_at);
    w.Key("updated_at");
    Str(w, created_at);
    w.Key("name");
    Str(w, p.name);
    w.Key("description");
    Str(w, p.description);
    w.Key("image");
    w.Null();
    w.Key("is_recurring");
    w.Bool(false);
    w.Key("license_key_enabled");
    w.Bool(false);
    w.Key("tax_category");
    Str(w, p.tax_category);
    w.Key("price");
    w.StartObject();
    w.Key("type");
    w.String("one_time_price");
    w.Key("price");
    w.Int64(p.price);
    w.Key("currency");
    Str(w, p.currency);
    w.Key("discount");
    w.Int(0);
    w.Key("purchasing_power_parity");
    w.Bool(false);
    w.EndObject();
    w.Key("metadata");
    StringMap(w, p.metadata);
    w.Key("entitlements");
    w.StartArray();
    w.EndArray();
    w.Key("credit_entitlements");
    w.StartArray();
    w.EndArray();
    w.EndObject();
    return buffer.GetString();
}

}  // namespace

std::string_view RecordedRequest::Header(std::string_view name) const {
    for (const auto& [key, value] : headers) {
        if (EqualsIgnoreCase(key, name)) return value;
    }
    return {};
}

bool RecordedRequest::HasHeader(std::string_view name) const {
    return std::any_of(headers.begin(), headers.end(), [&](const auto& h) { return EqualsIgnoreCase(h.first, name); });
}

bool RecordedRequest::JsonEquals(std::string_view expected) const {
    rapidjson::Document actual_doc;
    rapidjson::Document expected_doc;
    actual_doc.Parse(body.data(), body.size());
    expected_doc.Parse(expected.data(), expected.size());
    if (expected_doc.HasParseError()) throw std::invalid_argument("JsonEquals: expected text is not JSON");
    return !actual_doc.HasParseError() && actual_doc == expected_doc;
}

FakeDodo::FakeDodo(std::string api_key) : api_key_(std::move(api_key)) {
    http::ServerOptions options;
    options.address = "127.0.0.1:0";
    options.threads = 2;
    server_ = std::make_unique<http::Server>(
        options, [this](http::Request&& request, http::Respond respond) { Handle(std::move(request), respond); });
    server_->Start();
}

FakeDodo::~FakeDodo() { server_->Stop(); }

std::string FakeDodo::base_url() const { return "http://127.0.0.1:" + std::to_string(server_->port()); }

std::vector<RecordedRequest> FakeDodo::requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
}

std::vector<RecordedRequest> FakeDodo::requests(std::string_view method, std::string_view path_prefix) const {
    std::lock_guard lock(mutex_);
    std::vector<RecordedRequest> out;
    for (const auto& r : requests_) {
        const bool method_matches = method.empty() || r.method == method;
        if (method_matches && std::string_view(r.path).substr(0, path_prefix.size()) == path_prefix) {
            out.push_back(r);
        }
    }
    return out;
}

void FakeDodo::ClearRequests() {
    std::lock_guard lock(mutex_);
    requests_.clear();
}

void FakeDodo::FailNext(std::string path_prefix, int status, int count,
                        std::optional<std::chrono::seconds> retry_after) {
    ScriptedFailure failure;
    failure.status = status;
    failure.count = count;
    failure.retry_after = retry_after;
    FailNext(std::move(path_prefix), failure);
}

void FakeDodo::FailNext(std::string path_prefix, ScriptedFailure failure) {
    if (failure.count <= 0) return;
    std::lock_guard lock(mutex_);
    failures_.emplace_back(std::move(path_prefix), failure);
}

std::optional<FakeCustomer> FakeDodo::customer(const std::string& id) const {
    std::lock_guard lock(mutex_);
    auto it = customers_.find(id);
    return it == customers_.end() ? std::nullopt : std::optional(it->second);
}

std::vector<FakeCustomer> FakeDodo::customers() const {
    std::lock_guard lock(mutex_);
    std::vector<FakeCustomer> out;
    for (const auto& [id, c] : customers_) out.push_back(c);
    return out;
}

std::optional<FakeProduct> FakeDodo::product(const std::string& id) const {
    std::lock_guard lock(mutex_);
    auto it = products_.find(id);
    return it == products_.end() ? std::nullopt : std::optional(it->second);
}

std::vector<FakeProduct> FakeDodo::products() const {
    std::lock_guard lock(mutex_);
    std::vector<FakeProduct> out;
    for (const auto& [id, p] : products_) out.push_back(p);
    return out;
}

std::optional<FakeCheckout> FakeDodo::checkout(const std::string& id) const {
    std::lock_guard lock(mutex_);
    auto it = checkouts_.find(id);
    return it == checkouts_.end() ? std::nullopt : std::optional(it->second);
}

std::vector<FakeCheckout> FakeDodo::checkouts() const {
    std::lock_guard lock(mutex_);
    std::vector<FakeCheckout> out;
    for (const auto& [id, c] : checkouts_) out.push_back(c);
    return out;
}

void FakeDodo::Handle(http::Request&& request, const http::Respond& respond) {
    RecordedRequest recorded;
    recorded.method = request.method;
    recorded.path = std::string(request.Path());
    recorded.query = ParseQuery(request.Query());
    recorded.headers = request.headers;
    recorded.body = request.body;
    recorded.received_at = std::chrono::steady_clock::now();

    Reply reply = Route(request, recorded);
    recorded.status = reply.status;
    {
        std::lock_guard lock(mutex_);
        requests_.push_back(std::move(recorded));
    }
    http::Response response;
    response.status = reply.status;
    response.content_type = reply.body.empty()          ? "text/plain; charset=utf-8"
                            : reply.body.front() == '<' ? "text/html; charset=utf-8"
                                                        : "application/json";
    response.headers = std::move(reply.headers);
    response.body = std::move(reply.body);
    respond(std::move(response));
}

std::optional<FakeDodo::Reply> FakeDodo::TakeScriptedFailure(std::string_view path) {
    std::lock_guard lock(mutex_);
    for (auto it = failures_.begin(); it != failures_.end(); ++it) {
        if (path.substr(0, it->first.size()) != it->first) continue;
        ScriptedFailure& f = it->second;
        const char* code = f.status == 429 ? "TOO_MANY_REQUESTS"
                           : f.status >= 500 ? "INTERNAL_SERVER_ERROR"
                                             : "INVALID_REQUEST";
        const std::string message = "scripted failure " + std::to_string(f.status) + " from the fake Dodo API";
        Reply reply{f.status, ErrorBody(code, message), {}};
        if (f.retry_after) reply.headers.emplace_back("Retry-After", std::to_string(f.retry_after->count()));
        if (f.retry_after_ms) reply.headers.emplace_back("Retry-After-Ms", std::to_string(f.retry_after_ms->count()));
        if (--f.count == 0) failures_.erase(it);
        return reply;
    }
    return std::nullopt;
}

FakeDodo::Reply FakeDodo::Route(const http::Request& request, const RecordedRequest& recorded) {
    if (auto scripted = TakeScriptedFailure(recorded.path)) return *scripted;
    const auto segments = Segments(recorded.path);
    const std::string& method = request.method;

    // The pages behind the URLs the fake hands out; browsers carry no API key.
    if (method == "GET" && segments.size() == 2 && (segments[0] == "session" || segments[0] == "portal")) {
        std::lock_guard lock(mutex_);
        bool known = segments[0] == "session" ? checkouts_.count(segments[1]) > 0 : customers_.count(segments[1]) > 0;
        if (!known) return {404, "<p>unknown " + segments[0] + "</p>", {}};
        return {200, "<p>fake Dodo " + segments[0] + " " + segments[1] + "</p>", {}};
    }

    if (request.Header("Authorization") != "Bearer " + api_key_) {
        return {401, ErrorBody("UNAUTHORIZED", "missing or invalid API key in the Authorization header"), {}};
    }
    if (!request.body.empty() && request.Header("Content-Type").substr(0, 16) != "application/json") {
        return {400, ErrorBody("INVALID_REQUEST", "a request body must be sent as Content-Type: application/json"), {}};
    }

    auto not_allowed = [] { return Reply{405, ErrorBody("METHOD_NOT_ALLOWED", "method not allowed"), {}}; };
    if (segments.size() == 1 && segments[0] == "customers") {
        return method == "POST" ? CreateCustomer(request.body) : not_allowed();
    }
    if (segments.size() == 4 && segments[0] == "customers" && segments[2] == "customer-portal" &&
        segments[3] == "session") {
        return method == "POST" ? CreatePortalSession(segments[1], recorded) : not_allowed();
    }
    if (segments.size() == 1 && segments[0] == "products") {
        return method == "POST" ? CreateProduct(request.body) : not_allowed();
    }
    if (segments.size() == 2 && segments[0] == "products") {
        if (method == "PATCH") return UpdateProduct(segments[1], request.body);
        if (method == "DELETE") return ArchiveProduct(segments[1]);
        return not_allowed();
    }
    if (segments.size() == 1 && segments[0] == "checkouts") {
        return method == "POST" ? CreateCheckout(request.body) : not_allowed();
    }
    if (segments.size() == 1 && segments[0] == "refunds") {
        return method == "POST" ? CreateRefund(request.body) : not_allowed();
    }
    return {404, ErrorBody("NOT_FOUND", "no route for " + method + " " + recorded.path), {}};
}

namespace {

// Parses a JSON object body or says why it is not one.
Problem ParseBody(const std::string& body, rapidjson::Document& doc) {
    doc.Parse(body.data(), body.size());
    if (doc.HasParseError()) return std::string("request body is not valid JSON");
    if (!doc.IsObject()) return std::string("request body must be a JSON object");
    return std::nullopt;
}

}  // namespace

FakeDodo::Reply FakeDodo::CreateCustomer(const std::string& body) {
    auto invalid = [](const std::string& m) { return Reply{422, ErrorBody("INVALID_REQUEST", m), {}}; };
    rapidjson::Document doc;
    if (auto p = ParseBody(body, doc)) return invalid(*p);
    if (auto p = OnlyFields(doc, {"email", "name", "phone_number", "metadata"}, "customer")) return invalid(*p);
    if (auto p = RequireString(doc, "email", "customer")) return invalid(*p);
    if (auto p = RequireString(doc, "name", "customer")) return invalid(*p);
    if (auto p = OptionalString(doc, "phone_number", "customer")) return invalid(*p);
    if (auto p = CheckMetadata(Member(doc, "metadata"))) return invalid(*p);
    std::string email = doc["email"].GetString();
    if (email.find('@') == std::string::npos) return invalid("email is not an email address");

    FakeCustomer customer{NewId("cus_"), email, doc["name"].GetString(), MetadataText(Member(doc, "metadata"))};
    rapidjson::StringBuffer buffer;
    Writer w(buffer);
    w.StartObject();
    w.Key("customer_id");
    Str(w, customer.id);
    w.Key("business_id");
    w.String("bus_FakeDodoBusiness");
    w.Key("created_at");
    Str(w, Now());
    w.Key("email");
    Str(w, customer.email);
    w.Key("name");
    Str(w, customer.name);
    w.Key("phone_number");
    w.Null();
    w.Key("metadata");
    StringMap(w, customer.metadata);
    w.EndObject();
    std::lock_guard lock(mutex_);
    customers_[customer.id] = customer;
    return {200, buffer.GetString(), {}};
}

FakeDodo::Reply FakeDodo::CreatePortalSession(const std::string& customer_id, const RecordedRequest& recorded) {
    {
        std::lock_guard lock(mutex_);
        if (customers_.count(customer_id) == 0) {
            return {404, ErrorBody("NOT_FOUND", "customer " + customer_id + " not found"), {}};
        }
    }
    for (const auto& [key, value] : recorded.query) {
        if (key != "send_email" && key != "return_url") {
            return {422, ErrorBody("INVALID_REQUEST", "unknown query parameter '" + key + "'"), {}};
        }
    }
    auto send_email = recorded.query.find("send_email");
    if (send_email != recorded.query.end() && send_email->second != "true" && send_email->second != "false") {
        return {422, ErrorBody("INVALID_REQUEST", "send_email must be true or false"), {}};
    }
    rapidjson::StringBuffer buffer;
    Writer w(buffer);
    w.StartObject();
    w.Key("link");
    Str(w, base_url() + "/portal/" + customer_id);
    w.EndObject();
    return {200, buffer.GetString(), {}};
}

FakeDodo::Reply FakeDodo::CreateProduct(const std::string& body) {
    auto invalid = [](const std::string& m) { return Reply{422, ErrorBody("INVALID_REQUEST", m), {}}; };
    rapidjson::Document doc;
    if (auto p = ParseBody(body, doc)) return invalid(*p);
    if (auto p = OnlyFields(doc,
                            {"name", "description", "price", "tax_category", "metadata", "brand_id", "addons",
                             "entitlements", "credit_entitlements", "pricing_mode", "license_key_enabled",
                             "license_key_activations_limit", "license_key_activation_message",
                             "license_key_duration", "digital_product_delivery"},
                            "product")) {
        return invalid(*p);
    }
    if (auto p = RequireString(doc, "name", "product")) return invalid(*p);
    if (auto p = OptionalString(doc, "description", "product")) return invalid(*p);
    if (auto p = CheckTaxCategory(Member(doc, "tax_category"))) return invalid(*p);
    if (auto p = CheckPrice(Member(doc, "price"))) return invalid(*p);
    if (auto p = CheckMetadata(Member(doc, "metadata"))) return invalid(*p);

    FakeProduct product;
    product.id = NewId("pdt_");
    product.name = doc["name"].GetString();
    if (doc.HasMember("description") && doc["description"].IsString()) {
        product.description = doc["description"].GetString();
    }
    product.tax_category = doc["tax_category"].GetString();
    product.price = doc["price"]["price"].GetInt64();
    product.currency = doc["price"]["currency"].GetString();
    if (const Value* pwyw = Member(doc["price"], "pay_what_you_want"); pwyw != nullptr && pwyw->IsBool()) {
        product.pay_what_you_want = pwyw->GetBool();
    }
    if (const Value* inclusive = Member(doc["price"], "tax_inclusive"); inclusive != nullptr && inclusive->IsBool()) {
        product.tax_inclusive = inclusive->GetBool();
    }
    product.metadata = MetadataText(Member(doc, "metadata"));
    std::string json = ProductJson(product, Now());
    std::lock_guard lock(mutex_);
    products_[product.id] = product;
    return {200, json, {}};
}

FakeDodo::Reply FakeDodo::UpdateProduct(const std::string& id, const std::string& body) {
    auto invalid = [](const std::string& m) { return Reply{422, ErrorBody("INVALID_REQUEST", m), {}}; };
    {
        std::lock_guard lock(mutex_);
        if (products_.count(id) == 0) return {404, ErrorBody("NOT_FOUND", "product " + id + " not found"), {}};
    }
    rapidjson::Document doc;
    if (auto p = ParseBody(body, doc)) return invalid(*p);
    if (auto p = OnlyFields(doc,
                            {"name", "description", "price", "tax_category", "metadata", "image_id", "brand_id",
                             "addons", "entitlements", "credit_entitlements", "pricing_mode", "license_key_enabled",
                             "license_key_activations_limit", "license_key_activation_message",
                             "license_key_duration", "digital_product_delivery"},
                            "product update")) {
        return invalid(*p);
    }
    if (auto p = OptionalString(doc, "name", "product update")) return invalid(*p);
    if (auto p = OptionalString(doc, "description", "product update")) return invalid(*p);
    if (doc.HasMember("tax_category")) {
        if (auto p = CheckTaxCategory(Member(doc, "tax_category"))) return invalid(*p);
    }
    if (doc.HasMember("price")) {
        if (auto p = CheckPrice(Member(doc, "price"))) return invalid(*p);
    }
    if (auto p = CheckMetadata(Member(doc, "metadata"))) return invalid(*p);

    std::lock_guard lock(mutex_);
    auto it = products_.find(id);
    if (it == products_.end()) return {404, ErrorBody("NOT_FOUND", "product " + id + " not found"), {}};
    FakeProduct& product = it->second;
    if (doc.HasMember("name") && doc["name"].IsString()) product.name = doc["name"].GetString();
    if (doc.HasMember("description") && doc["description"].IsString()) {
        product.description = doc["description"].GetString();
    }
    if (doc.HasMember("tax_category")) product.tax_category = doc["tax_category"].GetString();
    if (doc.HasMember("price")) {
        product.price = doc["price"]["price"].GetInt64();
        product.currency = doc["price"]["currency"].GetString();
    }
    if (doc.HasMember("metadata")) product.metadata = MetadataText(Member(doc, "metadata"));
    ++product.updates;
    return {200, "", {}};
}

FakeDodo::Reply FakeDodo::ArchiveProduct(const std::string& id) {
    std::lock_guard lock(mutex_);
    auto it = products_.find(id);
    if (it == products_.end()) return {404, ErrorBody("NOT_FOUND", "product " + id + " not found"), {}};
    it->second.archived = true;
    return {200, "", {}};
}

FakeDodo::Reply FakeDodo::CreateCheckout(const std::string& body) {
    auto invalid = [](const std::string& m) { return Reply{422, ErrorBody("INVALID_REQUEST", m), {}}; };
    rapidjson::Document doc;
    if (auto p = ParseBody(body, doc)) return invalid(*p);
    if (auto p = OnlyFields(doc,
                            {"product_cart", "customer", "return_url", "cancel_url", "metadata", "billing_address",
                             "allowed_payment_method_types", "billing_currency", "confirm", "discount_codes",
                             "show_saved_payment_methods", "short_link", "feature_flags", "customization",
                             "subscription_data", "tax_id"},
                            "checkout")) {
        return invalid(*p);
    }
    const Value* cart = Member(doc, "product_cart");
    if (cart == nullptr || !cart->IsArray() || cart->Empty() || cart->Size() > 100) {
        return invalid("product_cart must be an array of 1 to 100 items");
    }
    if (auto p = OptionalString(doc, "return_url", "checkout")) return invalid(*p);
    if (auto p = CheckMetadata(Member(doc, "metadata"))) return invalid(*p);
    const Value* customer = Member(doc, "customer");
    if (customer == nullptr || !customer->IsObject()) return invalid("customer must be an object");
    if (auto p = OnlyFields(*customer, {"customer_id", "email", "name", "phone_number"}, "customer")) {
        return invalid(*p);
    }
    const Value* customer_id = Member(*customer, "customer_id");
    const Value* email = Member(*customer, "email");
    if (customer_id == nullptr && email == nullptr) return invalid("customer needs customer_id or email");
    if (customer_id != nullptr && !customer_id->IsString()) return invalid("customer.customer_id must be a string");
    if (email != nullptr && !email->IsString()) return invalid("customer.email must be a string");

    FakeCheckout checkout;
    checkout.id = NewId("cks_");
    std::vector<std::optional<std::int64_t>> amounts;
    for (const auto& item : cart->GetArray()) {
        if (!item.IsObject()) return invalid("product_cart items must be objects");
        if (auto p = OnlyFields(item, {"product_id", "quantity", "addons", "amount", "credit_entitlements"},
                                "product_cart item")) {
            return invalid(*p);
        }
        if (auto p = RequireString(item, "product_id", "product_cart item")) return invalid(*p);
        const Value* quantity = Member(item, "quantity");
        if (quantity == nullptr || !quantity->IsInt64() || quantity->GetInt64() < 1) {
            return invalid("product_cart item quantity must be an integer of at least 1");
        }
        checkout.cart.emplace_back(item["product_id"].GetString(), quantity->GetInt64());
        const Value* amount = Member(item, "amount");
        if (amount != nullptr && (!amount->IsInt64() || amount->GetInt64() < 0)) {
            return invalid("product_cart item amount must be a non-negative integer in the smallest unit");
        }
        amounts.push_back(amount == nullptr ? std::nullopt : std::optional(amount->GetInt64()));
    }
    if (doc.HasMember("return_url") && doc["return_url"].IsString()) {
        checkout.return_url = doc["return_url"].GetString();
    }
    checkout.metadata = MetadataText(Member(doc, "metadata"));
    if (customer_id != nullptr) checkout.customer_id = customer_id->GetString();

    std::lock_guard lock(mutex_);
    if (customer_id != nullptr && customers_.count(checkout.customer_id) == 0) {
        return {404, ErrorBody("NOT_FOUND", "customer " + checkout.customer_id + " not found"), {}};
    }
    for (std::size_t i = 0; i < checkout.cart.size(); ++i) {
        const auto& [product_id, quantity] = checkout.cart[i];
        auto it = products_.find(product_id);
        if (it == products_.end()) return {404, ErrorBody("NOT_FOUND", "product " + product_id + " not found"), {}};
        if (it->second.archived) return invalid("product " + product_id + " is archived");
        if (amounts[i] && !it->second.pay_what_you_want) {
            return invalid("amount is only accepted for pay-what-you-want products");
        }
        if (amounts[i] && *amounts[i] < it->second.price) {
            return invalid("amount is below the product's minimum price");
        }
        if (!checkout.currency.empty() && checkout.currency != it->second.currency) {
            return invalid("all products of a checkout must share one currency");
        }
        checkout.currency = it->second.currency;
        // A pay-what-you-want amount is what the buyer pays per unit of the line.
        checkout.total += amounts[i].value_or(it->second.price) * quantity;
    }
    checkouts_[checkout.id] = checkout;
    rapidjson::StringBuffer buffer;
    Writer w(buffer);
    w.StartObject();
    w.Key("session_id");
    Str(w, checkout.id);
    w.Key("checkout_url");
    Str(w, base_url() + "/session/" + checkout.id);
    w.EndObject();
    return {200, buffer.GetString(), {}};
}

void FakeDodo::AddPayment(FakePayment payment) {
    std::lock_guard lock(mutex_);
    payments_[payment.id] = std::move(payment);
}

std::vector<FakeRefund> FakeDodo::refunds() const {
    std::lock_guard lock(mutex_);
    return refunds_;
}

FakeDodo::Reply FakeDodo::CreateRefund(const std::string& body) {
    auto invalid = [](const std::string& m) { return Reply{422, ErrorBody("INVALID_REQUEST", m), {}}; };
    rapidjson::Document doc;
    if (auto p = ParseBody(body, doc)) return invalid(*p);
    if (auto p = OnlyFields(doc, {"payment_id", "items", "reason", "amount", "metadata"}, "refund")) return invalid(*p);
    if (auto p = RequireString(doc, "payment_id", "refund")) return invalid(*p);
    if (auto p = OptionalString(doc, "reason", "refund")) return invalid(*p);
    if (doc.HasMember("reason") && doc["reason"].GetStringLength() > 3000) return invalid("reason is over 3000 characters");
    const Value* amount = Member(doc, "amount");
    if (amount != nullptr && (!amount->IsInt64() || amount->GetInt64() <= 0)) {
        return invalid("amount must be a positive integer");
    }
    std::lock_guard lock(mutex_);
    auto it = payments_.find(doc["payment_id"].GetString());
    if (it == payments_.end()) {
        return {404, ErrorBody("NOT_FOUND", std::string("payment ") + doc["payment_id"].GetString() + " not found"), {}};
    }
    auto& payment = it->second;
    auto left = payment.amount - payment.refunded;
    auto refunded = amount == nullptr ? left : amount->GetInt64();
    if (left <= 0) return invalid("the payment is already fully refunded");
    if (refunded > left) return invalid("the refund exceeds what is left of the payment");
    payment.refunded += refunded;
    FakeRefund refund{NewId("ref_"), payment.id, refunded,
                      doc.HasMember("reason") ? doc["reason"].GetString() : std::string()};
    refunds_.push_back(refund);
    rapidjson::StringBuffer buffer;
    Writer w(buffer);
    w.StartObject();
    w.Key("refund_id");
    Str(w, refund.id);
    w.Key("payment_id");
    Str(w, refund.payment_id);
    w.Key("business_id");
    Str(w, "bus_fake");
    w.Key("created_at");
    Str(w, Now());
    w.Key("status");
    Str(w, "pending");
    w.Key("amount");
    w.Int64(refund.amount);
    w.Key("currency");
    Str(w, payment.currency);
    w.EndObject();
    return {200, buffer.GetString(), {}};
}

SilentServer::SilentServer() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd_ < 0) throw std::runtime_error("SilentServer: socket() failed");
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    socklen_t length = sizeof address;
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 || ::listen(fd_, 64) != 0 ||
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
        ::close(fd_);
        throw std::runtime_error("SilentServer: cannot listen on 127.0.0.1");
    }
    port_ = ntohs(address.sin_port);
}

SilentServer::~SilentServer() {
    if (fd_ >= 0) ::close(fd_);
}

std::string SilentServer::base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }

}  // namespace orderstream::payment::testing
