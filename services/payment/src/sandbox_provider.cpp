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

// The order's lines as the checkout page lists them.
std::string LinesJson(const std::vector<CheckoutLine>& lines) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    writer.StartArray();
    for (const auto& line : lines) {
        writer.StartObject();
        writer.Key("name");
        writer.String(line.name.c_str(), static_cast<rapidjson::SizeType>(line.name.size()));
        writer.Key("quantity");
        writer.Uint(line.quantity);
        writer.Key("unit_price_cents");
        writer.Int64(line.unit_price_cents);
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

SandboxProvider::SandboxProvider(pg::Pool& pool, std::string public_url, SandboxWebhooks& webhooks)
    : pool_(pool), public_url_(std::move(public_url)), webhooks_(webhooks) {
    pool_.Prepare("sandbox_customer_insert",
                  "INSERT INTO sandbox_customers (id, email, name, account_id) VALUES ($1, $2, $3, $4)");
    pool_.Prepare("sandbox_customer_exists", "SELECT 1 FROM sandbox_customers WHERE id = $1");
    pool_.Prepare("sandbox_session_insert",
                  "INSERT INTO sandbox_sessions (id, kind, customer_id, cart, metadata, return_url, amount_cents, "
                  "currency, expires_at) VALUES ($1, $2, $3, $4::jsonb, $5::jsonb, $6, $7, $8, "
                  "now() + $9 * interval '1 second')");
    pool_.Prepare("sandbox_product_insert",
                  "INSERT INTO sandbox_products (id, name, price_cents, currency, pay_what_you_want) "
                  "VALUES ($1, $2, $3, $4, $5)");
    pool_.Prepare("sandbox_product_update",
                  "UPDATE sandbox_products SET name = $2, price_cents = $3, currency = $4 WHERE id = $1");
    pool_.Prepare("sandbox_product_archive", "UPDATE sandbox_products SET archived = true WHERE id = $1");
    pool_.Prepare("sandbox_product",
                  "SELECT price_cents, currency, archived, pay_what_you_want FROM sandbox_products WHERE id = $1");
    pool_.Prepare("sandbox_expire",
                  "UPDATE sandbox_sessions SET expires_at = least(expires_at, now()) WHERE id = $1 "
                  "AND kind = 'checkout' AND completed_status IS NULL");
    pool_.Prepare("sandbox_paid_session",
                  "SELECT s.amount_cents, s.currency, s.metadata::text AS metadata, "
                  "COALESCE((SELECT sum(amount_cents) FROM sandbox_refunds r WHERE r.payment_id = s.payment_id), 0) "
                  "AS refunded FROM sandbox_sessions s WHERE s.payment_id = $1 AND s.completed_status = 'succeeded' "
                  "FOR UPDATE");
    pool_.Prepare("sandbox_refund_insert",
                  "INSERT INTO sandbox_refunds (id, payment_id, amount_cents, currency, reason) VALUES ($1, $2, $3, $4, $5)");
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
        tx.exec_prepared0("sandbox_product_insert", id, product.name, product.price_cents, product.currency,
                          product.pay_what_you_want);
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
    if (request.amount_cents <= 0) return Error::InvalidArgument("amount must be positive");
    std::int64_t lines_total = 0;
    for (const auto& line : request.lines) lines_total += line.unit_price_cents * line.quantity;
    if (!request.lines.empty() && lines_total != request.amount_cents) {
        return Error::InvalidArgument("the lines add up to " + std::to_string(lines_total) + ", not the amount " +
                                      std::to_string(request.amount_cents));
    }
    CheckoutSession session{SandboxId("cks_"), ""};
    auto created = pool_.Transact([&](pqxx::work& tx) -> Status {
        if (tx.exec_prepared("sandbox_customer_exists", request.customer_id).empty()) {
            return Error::InvalidArgument("customer " + request.customer_id + " does not exist");
        }
        auto product = tx.exec_prepared("sandbox_product", request.order_product_id);
        if (product.empty()) return Error::InvalidArgument("product " + request.order_product_id + " does not exist");
        if (product[0]["archived"].as<bool>()) {
            return Error::InvalidArgument("product " + request.order_product_id + " is archived");
        }
        if (!product[0]["pay_what_you_want"].as<bool>()) {
            return Error::InvalidArgument("product " + request.order_product_id + " does not take an amount");
        }
        if (product[0]["currency"].as<std::string>() != request.currency) {
            return Error::InvalidArgument("product " + request.order_product_id + " is priced in " +
                                          product[0]["currency"].as<std::string>());
        }
        if (request.amount_cents < product[0]["price_cents"].as<std::int64_t>()) {
            return Error::InvalidArgument("amount is below the product's minimum");
        }
        tx.exec_prepared0("sandbox_session_insert", session.session_id, "checkout", request.customer_id,
                          LinesJson(request.lines), JsonObject(request.metadata), request.return_url,
                          request.amount_cents, request.currency, 24 * 3600);
        return Status::Ok();
    });
    if (!created.ok()) return created.error();
    session.url = public_url_ + "/sandbox/checkout/" + session.session_id;
    return session;
}

Status SandboxProvider::ExpireCheckout(const std::string& session_id) {
    pool_.Transact([&](pqxx::work& tx) { tx.exec_prepared0("sandbox_expire", session_id); });
    return Status::Ok();
}

Result<RefundReceipt> SandboxProvider::CreateRefund(const RefundRequest& request) {
    auto refund_id = SandboxId("ref_");
    auto refunded = pool_.Transact([&](pqxx::work& tx) -> Status {
        auto rows = tx.exec_prepared("sandbox_paid_session", request.payment_id);
        if (rows.empty()) return Error::InvalidArgument("payment " + request.payment_id + " was not paid here");
        auto paid = rows[0]["amount_cents"].as<std::int64_t>();
        auto left = paid - rows[0]["refunded"].as<std::int64_t>();
        auto amount = request.amount_cents == 0 ? left : request.amount_cents;
        if (left <= 0) return Error::InvalidArgument("payment " + request.payment_id + " is already fully refunded");
        if (amount > left) return Error::InvalidArgument("the refund is more than is left of the payment");
        auto currency = rows[0]["currency"].as<std::string>();
        tx.exec_prepared0("sandbox_refund_insert", refund_id, request.payment_id, amount, currency, request.reason);
        // Like Dodo: the refund is accepted now and confirmed by a signed refund.succeeded.
        SandboxWebhooks::Queue(tx,
                               RefundEventBody(refund_id, request.payment_id, amount, currency,
                                               rows[0]["metadata"].as<std::string>(), amount < left),
                               std::chrono::milliseconds(0));
        return Status::Ok();
    });
    if (!refunded.ok()) return refunded.error();
    webhooks_.Nudge();
    return RefundReceipt{refund_id, "pending"};
}

}  // namespace orderstream::payment
