#include "orderstream/contracts/product_events.hpp"

#include "json_fields.hpp"
#include "orderstream/core/money.hpp"

namespace orderstream::contracts {

std::string_view ProductEvent::Type() const {
    switch (kind) {
        case Kind::kCreated: return "product_created";
        case Kind::kUpdated: return "product_updated";
        case Kind::kDeleted: return "product_deleted";
    }
    return "product_updated";
}

bool ProductEvent::Handles(std::string_view type) {
    return type == "product_created" || type == "product_updated" || type == "product_deleted";
}

std::string ProductEvent::ToJson() const {
    detail::FieldWriter out;
    out.String("product_id", product_id)
        .String("name", name)
        .String("description", description)
        .Double("price", money::ToMajorUnits(price_cents))
        .Integer("price_cents", price_cents)
        .String("currency", currency)
        .Integer("accountID", account_id);
    return out.Finish();
}

Result<ProductEvent> ProductEvent::Parse(std::string_view type, std::string_view data_json) {
    detail::FieldReader in(type, data_json);
    ProductEvent event;
    event.kind = type == "product_created" ? Kind::kCreated : type == "product_deleted" ? Kind::kDeleted : Kind::kUpdated;
    event.product_id = in.String("product_id", 200);
    if (event.kind == Kind::kDeleted) {
        if (!in.ok()) return in.error();
        return event;
    }
    event.name = in.String("name");
    event.description = in.OptionalString("description");
    if (auto cents = in.OptionalInteger("price_cents")) {
        event.price_cents = *cents;
        if (*cents < 0) in.Fail("data.price_cents must not be negative");
    } else if (auto price = in.OptionalNumber("price")) {
        auto parsed = money::ParseMajorUnits(*price, "data.price");
        if (parsed.ok()) {
            event.price_cents = *parsed;
        } else {
            in.Fail(parsed.error().message);
        }
    } else {
        in.Fail("data.price_cents or data.price is required");
    }
    event.currency = in.OptionalString("currency", "USD", 3);
    if (event.currency.size() != 3) in.Fail("data.currency must be a three-letter code");
    event.account_id = in.OptionalInteger("accountID").value_or(0);
    if (!in.ok()) return in.error();
    return event;
}

}  // namespace orderstream::contracts
