#include "order_rules.hpp"

#include <algorithm>
#include <set>

#include <sodium.h>

#include "orderstream/core/money.hpp"

namespace orderstream::order {

std::string ToString(OrderStatus status) {
    switch (status) {
        case OrderStatus::kPending: return "pending";
        case OrderStatus::kPaid: return "paid";
        case OrderStatus::kFailed: return "failed";
        case OrderStatus::kCancelled: return "cancelled";
        case OrderStatus::kRefunded: return "refunded";
    }
    return "pending";
}

Result<OrderStatus> ParseStatus(const std::string& text) {
    for (auto status : {OrderStatus::kPending, OrderStatus::kPaid, OrderStatus::kFailed, OrderStatus::kCancelled,
                        OrderStatus::kRefunded}) {
        if (ToString(status) == text) return status;
    }
    return Error::InvalidArgument("status must be one of pending, paid, failed, cancelled, refunded; got '" +
                                  text.substr(0, 40) + "'");
}

Status CheckTransition(std::uint64_t order_id, OrderStatus from, OrderStatus to) {
    bool allowed = from == to || (from == OrderStatus::kPending && to != OrderStatus::kRefunded) ||
                   (from == OrderStatus::kFailed && (to == OrderStatus::kPaid || to == OrderStatus::kCancelled)) ||
                   (from == OrderStatus::kPaid && to == OrderStatus::kRefunded);
    if (allowed) return Status::Ok();
    return Error::FailedPrecondition("order " + std::to_string(order_id) + " cannot move from " + ToString(from) +
                                     " to " + ToString(to));
}

Status ValidateCart(const std::vector<CartLine>& lines) {
    if (lines.empty()) return Error::InvalidArgument("products must not be empty");
    if (lines.size() > kMaxLines) return Error::InvalidArgument("an order may have at most 100 products");
    std::set<std::string> seen;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const auto& line = lines[i];
        auto where = "products[" + std::to_string(i) + "]";
        if (line.product_id.empty()) return Error::InvalidArgument(where + ".id must not be empty");
        if (line.product_id.size() > 64) return Error::NotFound("product " + line.product_id.substr(0, 64) + " not found");
        if (line.quantity < 1 || line.quantity > kMaxQuantity) {
            return Error::InvalidArgument(where + ".quantity must be between 1 and 1000");
        }
        if (!seen.insert(line.product_id).second) {
            return Error::InvalidArgument(where + ".id " + line.product_id + " appears twice; list each product once");
        }
    }
    return Status::Ok();
}

std::string CartFingerprint(const std::vector<CartLine>& lines) {
    std::vector<std::string> parts;
    parts.reserve(lines.size());
    for (const auto& line : lines) parts.push_back(line.product_id + "\x1f" + std::to_string(line.quantity));
    std::sort(parts.begin(), parts.end());
    std::string canonical;
    for (const auto& part : parts) canonical += part + "\x1e";
    unsigned char digest[crypto_generichash_BYTES];
    crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(canonical.data()),
                       canonical.size(), nullptr, 0);
    char hex[sizeof digest * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    return hex;
}

Result<PricedOrder> PriceCart(const std::vector<CartLine>& lines, const std::map<std::string, CatalogEntry>& catalog) {
    PricedOrder order;
    for (const auto& line : lines) {
        auto it = catalog.find(line.product_id);
        if (it == catalog.end()) return Error::NotFound("product " + line.product_id + " not found");
        auto subtotal = money::Multiply(it->second.price_cents, line.quantity);
        if (!subtotal.ok()) return subtotal.error();
        if (__builtin_add_overflow(order.total_cents, *subtotal, &order.total_cents)) {
            return Error::InvalidArgument("order total overflows");
        }
        order.lines.push_back({line, it->second});
    }
    return order;
}

}  // namespace orderstream::order
