#include "orderstream/pg/arrays.hpp"

#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include "orderstream/testing/database.hpp"

namespace pg = orderstream::pg;

namespace {

TEST(Arrays, RoundTripThroughPostgres) {
    orderstream::testing::TemporaryDatabase db("arrays");
    pqxx::connection conn(db.url());
    pqxx::nontransaction tx(conn);
    std::vector<std::string> tricky = {"plain", "with \"quotes\"", "back\\slash", "comma,brace}{", "", "NULL"};
    auto rows = tx.exec_params("SELECT unnest($1::text[])", pg::TextArray(tricky));
    ASSERT_EQ(rows.size(), tricky.size());
    for (std::size_t i = 0; i < tricky.size(); ++i) EXPECT_EQ(rows[i][0].as<std::string>(), tricky[i]);
    auto numbers = tx.exec_params("SELECT sum(x) FROM unnest($1::bigint[]) x", pg::BigintArray({1, -2, 40}));
    EXPECT_EQ(numbers[0][0].as<long>(), 39);
    EXPECT_EQ(tx.exec_params("SELECT cardinality($1::bigint[])", pg::BigintArray({}))[0][0].as<int>(), 0);
}

}  // namespace
