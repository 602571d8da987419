#include "product_rules.hpp"

#include "orderstream/core/money.hpp"
#include "orderstream/core/text.hpp"
#include "orderstream/core/uuid.hpp"

namespace orderstream::product {

Result<ProductDraft> ValidateDraft(const std::string& name, const std::string& description, double price,
                                   std::int64_t account_id) {
    ProductDraft draft;
    draft.name = text::Trim(name);
    draft.description = text::Trim(description);
    if (draft.name.empty()) return Error::InvalidArgument("name must not be empty");
    auto name_length = text::Utf8Length(draft.name);
    if (!name_length) return Error::InvalidArgument("name must be valid UTF-8");
    if (*name_length > kMaxNameChars) return Error::InvalidArgument("name must be at most 200 characters");
    if (text::HasControlCharacters(draft.name)) return Error::InvalidArgument("name must not contain control characters");
    auto description_length = text::Utf8Length(draft.description);
    if (!description_length) return Error::InvalidArgument("description must be valid UTF-8");
    if (*description_length > kMaxDescriptionChars) {
        return Error::InvalidArgument("description must be at most 5000 characters");
    }
    if (draft.description.find('\0') != std::string::npos) {
        return Error::InvalidArgument("description must not contain NUL characters");
    }
    auto cents = money::ParseMajorUnits(price, "price");
    if (!cents.ok()) return cents.error();
    draft.price_cents = *cents;
    if (account_id <= 0) return Error::InvalidArgument("accountId must be a positive account id");
    draft.account_id = account_id;
    return draft;
}

Status ValidateProductId(const std::string& id, const std::string& field) {
    if (id.empty()) return Error::InvalidArgument(field + " must not be empty");
    if (!uuid::IsValid(id)) return Error::NotFound("product " + id.substr(0, 64) + " not found");
    return Status::Ok();
}

}  // namespace orderstream::product
