#include "orderstream/pg/migrations.hpp"

#include <algorithm>

namespace orderstream::pg {
namespace {

// Arbitrary constant shared by every OrderStream process: serialises migration runs.
constexpr long long kMigrationLockKey = 0x0D5E'57EA'0001LL;

}  // namespace

std::vector<std::string> ApplyMigrations(pqxx::connection& conn, const std::vector<Migration>& migrations) {
    std::vector<Migration> ordered(migrations);
    std::sort(ordered.begin(), ordered.end(), [](const auto& a, const auto& b) { return a.name < b.name; });

    {
        pqxx::work tx(conn);
        tx.exec_params("SELECT pg_advisory_xact_lock($1)", kMigrationLockKey);
        tx.exec0(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " version TEXT PRIMARY KEY,"
            " applied_at TIMESTAMPTZ NOT NULL DEFAULT now())");
        tx.commit();
    }

    std::vector<std::string> applied;
    for (const auto& migration : ordered) {
        pqxx::work tx(conn);
        tx.exec_params("SELECT pg_advisory_xact_lock($1)", kMigrationLockKey);
        std::string name(migration.name);
        if (!tx.exec_params("SELECT 1 FROM schema_migrations WHERE version = $1", name).empty()) continue;
        tx.exec0(std::string(migration.sql));
        tx.exec_params("INSERT INTO schema_migrations (version) VALUES ($1)", name);
        tx.commit();
        applied.push_back(std::move(name));
    }
    return applied;
}

}  // namespace orderstream::pg
