#pragma once

#include <functional>
#include <string>
#include <vector>

#include "orderstream/pg/migrations.hpp"

namespace orderstream::cmd {

// One role of the platform, as the `orderstream` executable knows it.
struct RoleSpec {
    std::string name;
    std::function<int()> run;
    const std::vector<pg::Migration>& (*migrations)();  // null when the role has no database
    std::string database;                               // default database name
    std::string listen_variable;                        // env var of its main listening address
    std::string default_listen;
    std::string admin_variable;                         // env var of its admin (metrics/health) address
    std::string default_admin;
};

const std::vector<RoleSpec>& Roles();
const RoleSpec* FindRole(const std::string& name);

}  // namespace orderstream::cmd
