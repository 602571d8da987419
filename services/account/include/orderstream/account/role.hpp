#pragma once

#include <vector>

#include "orderstream/pg/migrations.hpp"

namespace orderstream::account {

// `orderstream account`: serves pb.AccountService until SIGINT/SIGTERM. Returns the exit code.
int RunRole();

// account_db's migrations (services/account/migrations/*.sql, embedded at build time).
const std::vector<pg::Migration>& Migrations();

}  // namespace orderstream::account
