#include "roles.hpp"

#include "orderstream/account/role.hpp"

namespace orderstream::cmd {

const std::vector<RoleSpec>& Roles() {
    static const std::vector<RoleSpec> kRoles = {
        {"account", account::RunRole, account::Migrations, "account_db", "ACCOUNT_LISTEN", "127.0.0.1:50051",
         "ACCOUNT_ADMIN_LISTEN", "127.0.0.1:9101"},
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
