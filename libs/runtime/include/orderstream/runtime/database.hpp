#pragma once

#include <vector>

#include "orderstream/pg/migrations.hpp"
#include "orderstream/pg/pool.hpp"

namespace orderstream::runtime {

// Waits for the database (up to DB_CONNECT_TIMEOUT_SECONDS, default 30) and applies the
// role's migrations. Throws pg::Unavailable naming DATABASE_URL when it never answers.
void PrepareDatabase(pg::Pool& pool, const std::vector<pg::Migration>& migrations);

// Readiness probe: true when a trivial query succeeds.
bool DatabaseAnswers(pg::Pool& pool);

}  // namespace orderstream::runtime
