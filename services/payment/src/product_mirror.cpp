#include "product_mirror.hpp"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "orderstream/contracts/product_events.hpp"
#include "orderstream/core/metrics.hpp"

namespace orderstream::payment {
namespace {

// Run on the event consumer's own connection, so not a pool statement.
constexpr const char* kUpsertDesiredState =
    "INSERT INTO provider_products (product_id, name, description, price_cents, currency, deleted) "
    "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (product_id) DO UPDATE SET name = EXCLUDED.name, "
    "description = EXCLUDED.description, price_cents = EXCLUDED.price_cents, "
    "currency = EXCLUDED.currency, deleted = provider_products.deleted OR EXCLUDED.deleted, "
    "revision = provider_products.revision + 1, attempts = 0, next_attempt_at = now(), "
    "last_error = NULL, updated_at = now()";

constexpr const char* kRowColumns =
    "product_id, COALESCE(provider_product_id, '') AS provider_product_id, name, description, price_cents, "
    "currency, deleted, revision, synced_revision, attempts";

// The first `limit` characters of UTF-8 text (never splitting a character).
std::string Utf8Prefix(const std::string& text, std::size_t limit) {
    std::size_t chars = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        auto byte = static_cast<unsigned char>(text[i]);
        if ((byte & 0xC0) != 0x80) {
            if (chars == limit) return text.substr(0, i);
            ++chars;
        }
    }
    return text;
}

}  // namespace

struct ProductMirror::Row {
    std::string product_id;
    std::string provider_product_id;
    ProductSpec spec;
    bool deleted = false;
    std::int64_t revision = 0;
    std::int64_t synced_revision = 0;
    int attempts = 0;

    static Row From(const pqxx::row& row) {
        Row out;
        out.product_id = row["product_id"].as<std::string>();
        out.provider_product_id = row["provider_product_id"].as<std::string>();
        out.spec = ProviderSpec(out.product_id, row["name"].as<std::string>(), row["description"].as<std::string>(),
                                row["price_cents"].as<std::int64_t>(), row["currency"].as<std::string>());
        out.deleted = row["deleted"].as<bool>();
        out.revision = row["revision"].as<std::int64_t>();
        out.synced_revision = row["synced_revision"].as<std::int64_t>();
        out.attempts = row["attempts"].as<int>();
        return out;
    }
};

ProductSpec ProviderSpec(std::string product_id, std::string name, std::string description, std::int64_t price_cents,
                         std::string currency) {
    ProductSpec spec;
    spec.local_product_id = std::move(product_id);
    spec.name = Utf8Prefix(name, 100);
    spec.description = Utf8Prefix(description, 1000);
    spec.price_cents = price_cents;
    spec.currency = std::move(currency);
    return spec;
}

ProductMirror::ProductMirror(pg::Pool& pool, PaymentProvider& provider, ProductMirrorOptions options)
    : pool_(pool), provider_(provider), options_(options),
      loop_("product mirror", options.poll_interval, [this] { RunOnce(); }) {
    pool_.Prepare("mirror_register",
                  "INSERT INTO provider_products (product_id, name, description, price_cents, currency) "
                  "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (product_id) DO NOTHING");
    pool_.Prepare("mirror_lock", std::string("SELECT ") + kRowColumns +
                                     " FROM provider_products WHERE product_id = $1 FOR UPDATE");
    pool_.Prepare("mirror_claim", std::string("SELECT ") + kRowColumns +
                                      " FROM provider_products WHERE synced_revision < revision "
                                      "AND next_attempt_at <= now() ORDER BY next_attempt_at LIMIT 1 "
                                      "FOR UPDATE SKIP LOCKED");
    pool_.Prepare("mirror_synced",
                  "UPDATE provider_products SET provider_product_id = NULLIF($2, ''), synced_revision = $3, "
                  "attempts = 0, last_error = NULL WHERE product_id = $1");
    pool_.Prepare("mirror_failed",
                  "UPDATE provider_products SET attempts = attempts + 1, last_error = $2, "
                  "next_attempt_at = now() + $3 * interval '1 millisecond' WHERE product_id = $1");
}

ProductMirror::~ProductMirror() { Stop(); }

Status ProductMirror::Apply(pqxx::work& tx, const events::Envelope& event) {
    auto change = contracts::Read<contracts::ProductEvent>(event);
    if (!change.ok()) return change.error();
    if (!change->has_value()) return Status::Ok();
    const auto& product = **change;
    tx.exec_params0(kUpsertDesiredState, product.product_id, product.name, product.description, product.price_cents,
                    product.currency, product.kind == contracts::ProductEvent::Kind::kDeleted);
    loop_.Nudge();  // the worker picks the row up once this transaction commits
    return Status::Ok();
}

Result<std::string> ProductMirror::SyncLocked(pqxx::work& tx, const Row& row) {
    std::string provider_id = row.provider_product_id;
    Status outcome;
    if (row.deleted) {
        if (!provider_id.empty()) outcome = provider_.ArchiveProduct(provider_id);
    } else if (provider_id.empty()) {
        auto created = provider_.CreateProduct(row.spec);
        if (created.ok()) {
            provider_id = *created;
        } else {
            outcome = created.error();
        }
    } else {
        outcome = provider_.UpdateProduct(provider_id, row.spec);
    }
    if (!outcome.ok()) {
        auto delay = std::min<std::chrono::milliseconds>(std::chrono::milliseconds(500) * (1LL << std::min(row.attempts, 12)),
                                                         options_.max_backoff);
        tx.exec_prepared0("mirror_failed", row.product_id, outcome.error().message,
                          static_cast<std::int64_t>(delay.count()));
        spdlog::warn("product {} not synced to the payment provider (retry in {} ms): {}", row.product_id,
                     delay.count(), outcome.error().message);
        return outcome.error();
    }
    tx.exec_prepared0("mirror_synced", row.product_id, provider_id, row.revision);
    return provider_id;
}

Result<std::string> ProductMirror::ProviderIdFor(const std::string& product_id, const ProductSpec& known) {
    return pool_.Transact([&](pqxx::work& tx) -> Result<std::string> {
        tx.exec_prepared0("mirror_register", product_id, known.name, known.description, known.price_cents,
                          known.currency);
        auto rows = tx.exec_prepared("mirror_lock", product_id);
        auto row = Row::From(rows[0]);
        if (row.deleted) {
            return Error::FailedPrecondition("product " + product_id + " was deleted and can no longer be paid for");
        }
        if (row.synced_revision == row.revision && !row.provider_product_id.empty()) return row.provider_product_id;
        auto result = SyncLocked(tx, row);
        if (!result.ok()) {
            return Error::Unavailable("product " + product_id +
                                      " could not be registered with the payment provider: " + result.error().message);
        }
        return result;
    });
}

std::size_t ProductMirror::RunOnce() {
    std::size_t synced = 0;
    for (int i = 0; i < 50; ++i) {
        bool claimed = pool_.Transact([&](pqxx::work& tx) {
            auto rows = tx.exec_prepared("mirror_claim");
            if (rows.empty()) return false;
            if (SyncLocked(tx, Row::From(rows[0])).ok()) ++synced;
            return true;
        });
        if (!claimed) break;
    }
    return synced;
}

}  // namespace orderstream::payment
