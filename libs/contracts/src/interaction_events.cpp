#include "orderstream/contracts/interaction_events.hpp"

#include "json_fields.hpp"

namespace orderstream::contracts {
namespace {

// The seed writes user_id as text; its readers take an integer too.
std::string UserId(detail::FieldReader& in) { return in.TextOrInteger("user_id", 200); }

}  // namespace

std::string ProductViewed::ToJson() const {
    detail::FieldWriter out;
    out.String("user_id", user_id).String("product_id", product_id);
    return out.Finish();
}

Result<ProductViewed> ProductViewed::Parse(std::string_view type, std::string_view data_json) {
    detail::FieldReader in(type, data_json);
    ProductViewed event;
    event.product_id = in.String("product_id", 200);
    event.user_id = UserId(in);
    if (!in.ok()) return in.error();
    return event;
}

std::string PurchaseMade::ToJson() const {
    detail::FieldWriter out;
    out.String("user_id", user_id)
        .String("product_id", product_id)
        .Integer("quantity", quantity)
        .Id("order_id", order_id);
    return out.Finish();
}

Result<PurchaseMade> PurchaseMade::Parse(std::string_view type, std::string_view data_json) {
    detail::FieldReader in(type, data_json);
    PurchaseMade event;
    event.product_id = in.String("product_id", 200);
    event.user_id = UserId(in);
    auto quantity = in.OptionalInteger("quantity").value_or(1);
    if (quantity < 1 || quantity > 1000) in.Fail("data.quantity must be between 1 and 1000");
    event.quantity = static_cast<std::uint32_t>(quantity);
    event.order_id = in.OptionalId("order_id").value_or(0);
    if (!in.ok()) return in.error();
    return event;
}

}  // namespace orderstream::contracts
