#include "orderstream/pg/migrations.hpp"

#include <thread>

#include <gtest/gtest.h>

#include "orderstream/testing/database.hpp"

namespace pg = orderstream::pg;
using orderstream::testing::TemporaryDatabase;

namespace {

const std::vector<pg::Migration> kMigrations = {
    {"0002_add_column.sql", "ALTER TABLE widgets ADD COLUMN colour TEXT"},
    {"0001_widgets.sql", "CREATE TABLE widgets (id SERIAL PRIMARY KEY)"},
};

std::vector<std::string> Recorded(pqxx::connection& conn) {
    pqxx::work tx(conn);
    std::vector<std::string> names;
    for (const auto& row : tx.exec("SELECT version FROM schema_migrations ORDER BY version")) {
        names.push_back(row[0].as<std::string>());
    }
    return names;
}

TEST(Migrations, AppliesInNameOrderOnceAndRecordsThem) {
    TemporaryDatabase db("migrate");
    pqxx::connection conn(db.url());
    auto applied = pg::ApplyMigrations(conn, kMigrations);
    EXPECT_EQ(applied, (std::vector<std::string>{"0001_widgets.sql", "0002_add_column.sql"}));
    EXPECT_EQ(Recorded(conn), applied);
    // Idempotent: a second run applies nothing and does not fail on the existing objects.
    EXPECT_TRUE(pg::ApplyMigrations(conn, kMigrations).empty());
    // A new file is picked up on its own.
    auto more = kMigrations;
    more.push_back({"0003_index.sql", "CREATE INDEX widgets_colour ON widgets (colour)"});
    EXPECT_EQ(pg::ApplyMigrations(conn, more), (std::vector<std::string>{"0003_index.sql"}));
}

TEST(Migrations, FailingMigrationLeavesNothingBehind) {
    TemporaryDatabase db("migrate");
    pqxx::connection conn(db.url());
    std::vector<pg::Migration> broken = {
        {"0001_widgets.sql", "CREATE TABLE widgets (id SERIAL PRIMARY KEY)"},
        {"0002_broken.sql", "CREATE TABLE half (id INT); SELECT no_such_function()"},
    };
    EXPECT_THROW(pg::ApplyMigrations(conn, broken), pqxx::sql_error);
    EXPECT_EQ(Recorded(conn), (std::vector<std::string>{"0001_widgets.sql"}));
    pqxx::work tx(conn);
    EXPECT_TRUE(tx.exec("SELECT 1 FROM pg_tables WHERE tablename = 'half'").empty());
}

TEST(Migrations, ConcurrentRunnersApplyEachFileOnce) {
    TemporaryDatabase db("migrate");
    std::vector<std::thread> runners;
    std::atomic<int> total_applied{0};
    for (int i = 0; i < 4; ++i) {
        runners.emplace_back([&] {
            pqxx::connection conn(db.url());
            total_applied += static_cast<int>(pg::ApplyMigrations(conn, kMigrations).size());
        });
    }
    for (auto& r : runners) r.join();
    EXPECT_EQ(total_applied.load(), 2);
    pqxx::connection conn(db.url());
    EXPECT_EQ(Recorded(conn).size(), 2U);
}

}  // namespace
