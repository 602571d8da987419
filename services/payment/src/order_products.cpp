#include "order_products.hpp"

namespace orderstream::payment {
namespace {

constexpr std::int32_t kOrderProductLockSpace = 0x70617950;  // "payP"

}  // namespace

OrderProducts::OrderProducts(pg::Pool& pool, PaymentProvider& provider) : pool_(pool), provider_(provider) {}

Result<std::string> OrderProducts::ProductFor(const std::string& currency) {
    {
        std::lock_guard lock(mutex_);
        if (auto it = known_.find(currency); it != known_.end()) return it->second;
    }
    auto product = pool_.Transact([&](pqxx::work& tx) -> Result<std::string> {
        tx.exec_params("SELECT pg_advisory_xact_lock($1, hashtext($2))", kOrderProductLockSpace, currency);
        auto rows = tx.exec_params("SELECT provider_product_id FROM order_products WHERE currency = $1", currency);
        if (!rows.empty()) return rows[0][0].as<std::string>();
        ProductSpec spec;
        spec.name = "Order";
        spec.description = "An order from the shop; the checkout lists its lines.";
        spec.price_cents = 1;  // the minimum; a checkout always names the order's total
        spec.currency = currency;
        spec.pay_what_you_want = true;
        auto created = provider_.CreateProduct(spec);
        if (!created.ok()) return created.error();
        tx.exec_params0("INSERT INTO order_products (currency, provider_product_id) VALUES ($1, $2)", currency, *created);
        return *created;
    });
    if (!product.ok()) return product.error();
    std::lock_guard lock(mutex_);
    known_[currency] = *product;
    return *product;
}

}  // namespace orderstream::payment
