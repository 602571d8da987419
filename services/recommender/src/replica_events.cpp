#include "replica_events.hpp"

#include <cmath>

#include <rapidjson/document.h>

#include "orderstream/core/money.hpp"

namespace orderstream::recommender {
namespace {

constexpr std::size_t kMaxIdBytes = 200;

Result<rapidjson::Document> ParseData(const events::Envelope& event) {
    rapidjson::Document doc;
    doc.Parse(event.data.c_str(), event.data.size());
    if (doc.HasParseError() || !doc.IsObject()) return Error::InvalidArgument(event.type + ": data is not a JSON object");
    return doc;
}

Result<std::string> RequiredId(const rapidjson::Value& data, const char* field, const std::string& type) {
    auto it = data.FindMember(field);
    std::string id;
    if (it != data.MemberEnd() && it->value.IsString()) {
        id.assign(it->value.GetString(), it->value.GetStringLength());
    } else if (it != data.MemberEnd() && it->value.IsInt64()) {
        id = std::to_string(it->value.GetInt64());
    }
    if (id.empty() || id.size() > kMaxIdBytes) {
        return Error::InvalidArgument(type + ": " + field + " must be a non-empty id of at most 200 bytes");
    }
    return id;
}

std::string OptionalString(const rapidjson::Value& data, const char* field, std::string fallback = "") {
    auto it = data.FindMember(field);
    if (it == data.MemberEnd() || !it->value.IsString()) return fallback;
    return {it->value.GetString(), it->value.GetStringLength()};
}

}  // namespace

Result<std::optional<ProductChange>> ParseProductEvent(const events::Envelope& event) {
    ProductChange change;
    if (event.type == "product_deleted") {
        change.kind = ProductChange::Kind::kDelete;
    } else if (event.type != "product_created" && event.type != "product_updated") {
        return std::optional<ProductChange>();
    }
    auto data = ParseData(event);
    if (!data.ok()) return data.error();
    auto id = RequiredId(*data, "product_id", event.type);
    if (!id.ok()) return id.error();
    change.product_id = *id;
    if (change.kind == ProductChange::Kind::kDelete) return std::optional<ProductChange>(std::move(change));

    const auto& d = *data;
    auto name = d.FindMember("name");
    if (name == d.MemberEnd() || !name->value.IsString()) {
        return Error::InvalidArgument(event.type + ": name must be a string");
    }
    change.name.assign(name->value.GetString(), name->value.GetStringLength());
    change.description = OptionalString(d, "description");
    // Cents when the producer sent them (ours do); otherwise the seed's float price.
    if (auto cents = d.FindMember("price_cents"); cents != d.MemberEnd() && cents->value.IsInt64()) {
        change.price_cents = cents->value.GetInt64();
        if (change.price_cents < 0) return Error::InvalidArgument(event.type + ": price_cents must not be negative");
    } else if (auto price = d.FindMember("price"); price != d.MemberEnd() && price->value.IsNumber()) {
        auto parsed = money::ParseMajorUnits(price->value.GetDouble(), "price");
        if (!parsed.ok()) return Error::InvalidArgument(event.type + ": " + parsed.error().message);
        change.price_cents = *parsed;
    } else {
        return Error::InvalidArgument(event.type + ": price_cents or price is required");
    }
    change.currency = OptionalString(d, "currency", "USD");
    if (change.currency.size() != 3) return Error::InvalidArgument(event.type + ": currency must be a 3-letter code");
    if (auto account = d.FindMember("accountID"); account != d.MemberEnd() && account->value.IsInt64()) {
        change.account_id = account->value.GetInt64();
    }
    return std::optional<ProductChange>(std::move(change));
}

Result<std::optional<Interaction>> ParseInteractionEvent(const events::Envelope& event) {
    Interaction interaction;
    if (event.type == "purchase") {
        interaction.rating = kPurchaseRating;
    } else if (event.type == "product_retrieved") {
        interaction.rating = kViewRating;
    } else {
        return std::optional<Interaction>();
    }
    auto data = ParseData(event);
    if (!data.ok()) return data.error();
    auto user = RequiredId(*data, "user_id", event.type);
    if (!user.ok()) return user.error();
    auto product = RequiredId(*data, "product_id", event.type);
    if (!product.ok()) return product.error();
    interaction.user_id = *user;
    interaction.product_id = *product;
    return std::optional<Interaction>(std::move(interaction));
}

}  // namespace orderstream::recommender
