#include "orderstream/pg/pool.hpp"

#include <atomic>
#include <thread>

#include <gtest/gtest.h>

#include "orderstream/testing/database.hpp"

namespace pg = orderstream::pg;
using orderstream::testing::TemporaryDatabase;

namespace {

TEST(Pool, TransactCommitsAndReturnsValue) {
    TemporaryDatabase db("pool");
    pg::Pool pool({db.url(), 2});
    pool.Transact([](pqxx::work& tx) { tx.exec0("CREATE TABLE t (v INT)"); });
    int inserted = pool.Transact([](pqxx::work& tx) {
        tx.exec0("INSERT INTO t VALUES (1), (2)");
        return 2;
    });
    EXPECT_EQ(inserted, 2);
    auto count = pool.Transact([](pqxx::work& tx) { return tx.exec1("SELECT count(*) FROM t")[0].as<int>(); });
    EXPECT_EQ(count, 2);
}

TEST(Pool, ExceptionRollsBack) {
    TemporaryDatabase db("pool");
    pg::Pool pool({db.url(), 1});
    pool.Transact([](pqxx::work& tx) { tx.exec0("CREATE TABLE t (v INT)"); });
    EXPECT_THROW(pool.Transact([](pqxx::work& tx) {
        tx.exec0("INSERT INTO t VALUES (1)");
        throw std::runtime_error("handler failed");
    }),
                 std::runtime_error);
    auto count = pool.Transact([](pqxx::work& tx) { return tx.exec1("SELECT count(*) FROM t")[0].as<int>(); });
    EXPECT_EQ(count, 0);
}

TEST(Pool, PreparedStatementsExistOnEveryConnection) {
    TemporaryDatabase db("pool");
    pg::Pool pool({db.url(), 3});
    pool.Prepare("add", "SELECT $1::int + $2::int");
    std::vector<std::thread> threads;
    std::atomic<int> sum{0};
    for (int i = 0; i < 6; ++i) {
        threads.emplace_back([&, i] {
            sum += pool.Transact([&](pqxx::work& tx) { return tx.exec_prepared1("add", i, 1)[0].as<int>(); });
        });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(sum.load(), 0 + 1 + 2 + 3 + 4 + 5 + 6);
}

TEST(Pool, AcquireTimesOutWhenExhausted) {
    TemporaryDatabase db("pool");
    pg::Pool pool({db.url(), 1, std::chrono::milliseconds(100)});
    auto held = pool.Acquire();
    EXPECT_THROW(pool.Acquire(), pg::Unavailable);
}

TEST(Pool, UnreachableDatabaseIsUnavailable) {
    pg::Pool pool({"postgresql://nobody@127.0.0.1:1/none?connect_timeout=1", 1});
    EXPECT_THROW(pool.Acquire(), pg::Unavailable);
    // The failed attempt must not leak the slot.
    EXPECT_THROW(pool.Acquire(), pg::Unavailable);
}

TEST(Pool, UniqueViolationIsRecognised) {
    TemporaryDatabase db("pool");
    pg::Pool pool({db.url(), 1});
    pool.Transact([](pqxx::work& tx) { tx.exec0("CREATE TABLE u (v INT PRIMARY KEY); INSERT INTO u VALUES (1)"); });
    try {
        pool.Transact([](pqxx::work& tx) { tx.exec0("INSERT INTO u VALUES (1)"); });
        FAIL() << "expected a unique violation";
    } catch (const pqxx::sql_error& e) {
        EXPECT_TRUE(pg::IsUniqueViolation(e));
    }
}

}  // namespace
