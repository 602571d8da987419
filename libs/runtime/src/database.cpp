#include "orderstream/runtime/database.hpp"

#include <chrono>
#include <thread>

#include <spdlog/spdlog.h>

#include "orderstream/core/config.hpp"

namespace orderstream::runtime {

void PrepareDatabase(pg::Pool& pool, const std::vector<pg::Migration>& migrations) {
    auto timeout = std::chrono::seconds(config::Env::Int("DB_CONNECT_TIMEOUT_SECONDS", 30, 0, 3600));
    auto deadline = std::chrono::steady_clock::now() + timeout;
    for (auto delay = std::chrono::milliseconds(100);; delay = std::min(delay * 2, std::chrono::milliseconds(2000))) {
        try {
            auto lease = pool.Acquire();
            auto applied = pg::ApplyMigrations(*lease, migrations);
            for (const auto& name : applied) spdlog::info("applied migration {}", name);
            return;
        } catch (const pg::Unavailable& e) {
            if (std::chrono::steady_clock::now() + delay > deadline) {
                throw pg::Unavailable(std::string("DATABASE_URL: database unreachable: ") + e.what());
            }
            spdlog::warn("database not reachable yet, retrying: {}", e.what());
            std::this_thread::sleep_for(delay);
        }
    }
}

RoleDatabase OpenRoleDatabase(const std::string& default_database, const std::vector<pg::Migration>& migrations) {
    RoleDatabase database;
    database.url = config::Env::DatabaseUrl("DATABASE_URL",
                                            "postgresql://orderstream@127.0.0.1:55432/" + default_database);
    auto size = static_cast<std::size_t>(config::Env::Int("DB_POOL_SIZE", 16, 1, 500));
    database.pool = std::make_unique<pg::Pool>(pg::PoolOptions{database.url, size});
    PrepareDatabase(*database.pool, migrations);
    return database;
}

bool DatabaseAnswers(pg::Pool& pool) {
    try {
        return pool.Autocommit([](pqxx::nontransaction& tx) { return tx.exec1("SELECT 1")[0].as<int>() == 1; });
    } catch (const std::exception&) {
        return false;
    }
}

}  // namespace orderstream::runtime
