#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <pqxx/pqxx>

namespace orderstream::pg {

// One SQL file of a service's migrations/ folder, embedded in the binary at build time.
struct Migration {
    std::string_view name;  // file name, e.g. "0001_accounts.sql"; applied in name order
    std::string_view sql;
};

// Applies every migration not yet recorded in schema_migrations, each in its own
// transaction together with its record, under an advisory lock so that several
// processes starting at once apply each file exactly once. Returns the names applied.
std::vector<std::string> ApplyMigrations(pqxx::connection& conn, const std::vector<Migration>& migrations);

}  // namespace orderstream::pg
