#include "sandbox_provider.hpp"

#include <array>
#include <map>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <sodium.h>

#include "orderstream/pg/arrays.hpp"

namespace orderstream::payment {
namespace {

std::string Base64(const unsigned char* bytes, std::size_t size, int variant) {
    std::string out(sodium_base64_encoded_len(size, variant), '\0');
    sodium_bin2base64(out.data(), out.size(), bytes, size, variant);
    out.resize(out.size() - 1);  // the terminating NUL
    return out;
}

std::string JsonObject(const std::map<std::string, std::string>& fields) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    writer.StartObject();
    for (const auto& [key, value] : fields) {
        writer.Key(key.c_str(), static_cast<rapidjson::SizeType>(key.size()));
        writer.String(value.c_str(), static_cast<rapidjson::SizeType>(value.size()));
    }
    writer.EndObject();
    return {buffer.GetString(), buffer.GetSize()};
}

std::string CartJson(const std::vector<CartLine>& cart) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    writer.StartArray();
    for (const auto& line : cart) {
        writer.StartObject();
        writer.Key("product_id");
        writer.String(line.provider_product_id.c_str(), static_cast<rapidjson::SizeType>(line.provider_product_id.size()));
        writer.Key("quantity");
        writer.Uint(line.quantity);
        writer.EndObject();
    }
    writer.EndArray();
    return {buffer.GetString(), buffer.GetSize()};
}

}  // namespace

std::string SandboxId(const char* prefix) {
    std::array<unsigned char, 15> bytes{};
    randombytes_buf(bytes.data(), bytes.size());
    return prefix + Base64(bytes.data(), bytes.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

std::string SandboxWebhookSecret(pg::Pool& pool) {
    std::array<unsigned char, 32> key{};
    randombytes_buf(key.data(), key.size());
    auto candidate = "whsec_" + Base64(key.data(), key.size(), sodium_base64_VARIANT_ORIGINAL);
    return pool.Transact([&](pqxx::work& tx) {
        tx.exec_params0(
            "INSERT INTO sandbox_settings (name, value) VALUES ('webhook_secret', $1) ON CONFLICT (name) DO NOTHING",
            candidate);
        return tx.exec1("SELECT value FROM sandbox_settings WHERE name = 'webhook_secret'")[0].as<std::string>();
    });
}

SandboxProvider::SandboxProvider(pg::Pool& pool, std::string public_url)
    : pool_(pool), public_url_(std::move(public_url)) {
    pool_.Prepare("sandbox_customer_insert",
                  "INSERT INTO sandbox_customers (id, email, name, account_id) VALUES ($1, $2, $3, $4)");
    pool_.Prepare("sandbox_customer_exists", "SELECT 1 FROM sandbox_customers WHERE id = $1");
    pool_.Prepare("sandbox_session_insert",
                  "INSERT INTO sandbox_sessions (id, kind, customer_id, cart, metadata, return_url, amount_cents, "
                  "currency, expires_at) VALUES ($1, $2, $3, $4::jsonb, $5::jsonb, $6, $7, $8, "
                  "now() + $9 * interval '1 second')");
    pool_.Prepare("sandbox_product_insert",
                  "INSERT INTO sandbox_products (id, name, price_cents, currency) VALUES ($1, $2, $3, $4)");
    pool_.Prepare("sandbox_product_update",
                  "UPDATE sandbox_products SET name = $2, price_cents = $3, currency = $4 WHERE id = $1");
    pool_.Prepare("sandbox_product_archive", "UPDATE sandbox_products SET archived = true WHERE id = $1");
    pool_.Prepare("sandbox_product_prices",
                  "SELECT id, price_cents, currency, archived FROM sandbox_products WHERE id = ANY($1::text[])");
}

Result<std::string> SandboxProvider::CreateCustomer(const CustomerRequest& request) {
    auto id = SandboxId("cus_");
    pool_.Transact([&](pqxx::work& tx) {
        tx.exec_prepared0("sandbox_customer_insert", id, request.email, request.name,
                          static_cast<std::int64_t>(request.account_id));
    });
    return id;
}

Result<std::string> SandboxProvider::CreatePortalSession(const std::string& customer_id,
                                                         const std::string& return_url) {
    auto id = SandboxId("pss_");
    auto created = pool_.Transact([&](pqxx::work& tx) -> Status {
        if (tx.exec_prepared("sandbox_customer_exists", customer_id).empty()) {
            return Error::InvalidArgument("customer " + customer_id + " does not exist");
        }
        tx.exec_prepared0("sandbox_session_insert", id, "portal", customer_id, "[]", "{}", return_url, 0, "USD",
                          3600);
        return Status::Ok();
    });
    if (!created.ok()) return created.error();
    return public_url_ + "/sandbox/portal/" + id;
}

Result<std::string> SandboxProvider::CreateProduct(const ProductSpec& product) {
    auto id = SandboxId("pdt_");
    pool_.Transact([&](pqxx::work& tx) {
        tx.exec_prepared0("sandbox_product_insert", id, product.name, product.price_cents, product.currency);
    });
    return id;
}

Status SandboxProvider::UpdateProduct(const std::string& provider_product_id, const ProductSpec& product) {
    return pool_.Transact([&](pqxx::work& tx) -> Status {
        auto updated = tx.exec_prepared0("sandbox_product_update", provider_product_id, product.name,
                                         product.price_cents, product.currency);
        if (updated.affected_rows() == 0) return Error::InvalidArgument("product " + provider_product_id + " does not exist");
        return Status::Ok();
    });
}

Status SandboxProvider::ArchiveProduct(const std::string& provider_product_id) {
    return pool_.Transact([&](pqxx::work& tx) -> Status {
        if (tx.exec_prepared0("sandbox_product_archive", provider_product_id).affected_rows() == 0) {
            return Error::InvalidArgument("product " + provider_product_id + " does not exist");
        }
        return Status::Ok();
    });
}

Result<CheckoutSession> SandboxProvider::CreateCheckout(const CheckoutRequest& request) {
    if (request.cart.empty()) return Error::InvalidArgument("product_cart must not be empty");
    CheckoutSession session{SandboxId("cks_"), ""};
    auto created = pool_.Transact([&](pqxx::work& tx) -> Status {
        if (tx.exec_prepared("sandbox_customer_exists", request.customer_id).empty()) {
            return Error::InvalidArgument("customer " + request.customer_id + " does not exist");
        }
        std::vector<std::string> ids;
        for (const auto& line : request.cart) ids.push_back(line.provider_product_id);
        std::map<std::string, pqxx::row> products;
        for (const auto& row : tx.exec_prepared("sandbox_product_prices", pg::TextArray(ids))) {
            products.emplace(row["id"].as<std::string>(), row);
        }
        std::int64_t amount = 0;
        std::string currency;
        for (const auto& line : request.cart) {
            auto it = products.find(line.provider_product_id);
            if (it == products.end()) return Error::InvalidArgument("product " + line.provider_product_id + " does not exist");
            if (it->second["archived"].as<bool>()) {
                return Error::InvalidArgument("product " + line.provider_product_id + " is archived");
            }
            auto line_currency = it->second["currency"].as<std::string>();
            if (!currency.empty() && currency != line_currency) {
                return Error::InvalidArgument("all products of a checkout must share one currency");
            }
            currency = line_currency;
            amount += it->second["price_cents"].as<std::int64_t>() * line.quantity;
        }
        tx.exec_prepared0("sandbox_session_insert", session.session_id, "checkout", request.customer_id,
                          CartJson(request.cart), JsonObject(request.metadata), request.return_url, amount, currency,
                          24 * 3600);
        return Status::Ok();
    });
    if (!created.ok()) return created.error();
    session.url = public_url_ + "/sandbox/checkout/" + session.session_id;
    return session;
}

}  // namespace orderstream::payment
