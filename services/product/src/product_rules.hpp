#pragma once

#include <cstdint>
#include <string>

#include "orderstream/core/error.hpp"

namespace orderstream::product {

inline constexpr std::size_t kMaxNameChars = 200;
inline constexpr std::size_t kMaxDescriptionChars = 5000;
inline constexpr std::size_t kMaxQueryChars = 200;
inline constexpr const char* kDefaultCurrency = "USD";

// A product as a client asked for it, validated: name trimmed, price in cents.
struct ProductDraft {
    std::string name;
    std::string description;
    std::int64_t price_cents = 0;
    std::int64_t account_id = 0;
};

// Validates create/update input; the error names the offending field.
Result<ProductDraft> ValidateDraft(const std::string& name, const std::string& description, double price,
                                   std::int64_t account_id);

// Product ids are UUID text; anything else cannot exist and is rejected up front.
Status ValidateProductId(const std::string& id, const std::string& field);

}  // namespace orderstream::product
