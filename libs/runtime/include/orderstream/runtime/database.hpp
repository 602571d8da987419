#pragma once

#include <memory>
#include <string>
#include <vector>

#include "orderstream/pg/migrations.hpp"
#include "orderstream/pg/pool.hpp"

namespace orderstream::runtime {

// Waits for the database (up to DB_CONNECT_TIMEOUT_SECONDS, default 30) and applies the
// role's migrations. Throws pg::Unavailable naming DATABASE_URL when it never answers.
void PrepareDatabase(pg::Pool& pool, const std::vector<pg::Migration>& migrations);

// A role's own database: DATABASE_URL (default: `default_database` on the local PostgreSQL)
// with a pool of DB_POOL_SIZE connections, migrated before the role serves.
struct RoleDatabase {
    std::string url;
    std::unique_ptr<pg::Pool> pool;
};
RoleDatabase OpenRoleDatabase(const std::string& default_database, const std::vector<pg::Migration>& migrations);

// Readiness probe: true when a trivial query succeeds.
bool DatabaseAnswers(pg::Pool& pool);

}  // namespace orderstream::runtime
