#pragma once

#include <string>
#include <vector>

namespace orderstream::cmd {

// `orderstream migrate [role...]`: applies the migrations of the named roles (all by
// default) to <ROLE>_DATABASE_URL, DATABASE_URL (one role only) or the local default.
int Migrate(const std::vector<std::string>& roles);

// The database URL a role uses: <ROLE>_DATABASE_URL, else the local default database.
std::string DatabaseUrlFor(const std::string& role, const std::string& database);

}  // namespace orderstream::cmd
