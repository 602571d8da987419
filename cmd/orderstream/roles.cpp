#include "roles.hpp"

#include "orderstream/account/role.hpp"
#include "orderstream/gateway/role.hpp"
#include "orderstream/order/role.hpp"
#include "orderstream/payment/role.hpp"
#include "orderstream/product/role.hpp"
#include "orderstream/recommender/role.hpp"

namespace orderstream::cmd {

const std::vector<RoleSpec>& Roles() {
    static const std::vector<RoleSpec> kRoles = {
        {"account", account::RunRole, account::Migrations, "account_db", "ACCOUNT_LISTEN", "127.0.0.1:50051",
         "ACCOUNT_ADMIN_LISTEN", "127.0.0.1:9101"},
        {"product", product::RunRole, product::Migrations, "product_db", "PRODUCT_LISTEN", "127.0.0.1:50052",
         "PRODUCT_ADMIN_LISTEN", "127.0.0.1:9102"},
        {"order", order::RunRole, order::Migrations, "order_db", "ORDER_LISTEN", "127.0.0.1:50053",
         "ORDER_ADMIN_LISTEN", "127.0.0.1:9103"},
        {"payment", payment::RunRole, payment::Migrations, "payment_db", "PAYMENT_LISTEN", "127.0.0.1:50054",
         "PAYMENT_ADMIN_LISTEN", "127.0.0.1:9104"},
        {"recommender", recommender::RunRole, recommender::Migrations, "recommender_db", "RECOMMENDER_LISTEN",
         "127.0.0.1:50055", "RECOMMENDER_ADMIN_LISTEN", "127.0.0.1:9105"},
        // The gateway is HTTP only; its metrics and readiness are on an admin address like the others'.
        {"gateway", gateway::RunRole, nullptr, "", "GATEWAY_LISTEN", "127.0.0.1:8080", "GATEWAY_ADMIN_LISTEN",
         "127.0.0.1:9106"},
    };
    return kRoles;
}

const RoleSpec* FindRole(const std::string& name) {
    for (const auto& role : Roles()) {
        if (role.name == name) return &role;
    }
    return nullptr;
}

}  // namespace orderstream::cmd
