#include "search_relevance_cases.hpp"

#include <set>

#include <gtest/gtest.h>

namespace orderstream::product::testing {
namespace {

std::set<std::string> AsSet(const std::vector<std::string>& names) { return {names.begin(), names.end()}; }

}  // namespace

void ExpectSearchRelevance(const SearchSubject& subject) {
    subject.post("Wireless Headphones", "High-quality Bluetooth headphones with noise cancellation");
    subject.post("Running Shoes", "Lightweight shoes for marathon runners");
    subject.post("Compact Earbuds", "Small wireless earbuds for the gym");
    subject.post("Coffee Mug", "Ceramic mug that holds 350 ml");
    subject.post("Headphone Stand", "Wooden stand for over-ear headphones");
    subject.await_searchable();
    auto search = [&](const std::string& query) { return subject.search(query, 0, 10); };

    // Name matches outrank description matches.
    EXPECT_EQ(search("wireless"), (std::vector<std::string>{"Wireless Headphones", "Compact Earbuds"}));
    // Stemming: "run" finds "Running".
    EXPECT_EQ(search("run"), (std::vector<std::string>{"Running Shoes"}));
    EXPECT_EQ(AsSet(search("headphones")), (std::set<std::string>{"Wireless Headphones", "Headphone Stand"}));
    EXPECT_EQ(search("\"bluetooth headphones\""), (std::vector<std::string>{"Wireless Headphones"}));
    EXPECT_EQ(search("headphones -stand"), (std::vector<std::string>{"Wireless Headphones"}));
    EXPECT_EQ(AsSet(search("mug or shoes")), (std::set<std::string>{"Coffee Mug", "Running Shoes"}));
    // Typos and prefixes fall back to trigram and prefix matching.
    auto typo = search("hedphones");
    ASSERT_FALSE(typo.empty());
    EXPECT_NE(typo.front().find("Headphone"), std::string::npos);
    EXPECT_EQ(search("coffe mugg"), (std::vector<std::string>{"Coffee Mug"}));
    EXPECT_EQ(search("earb"), (std::vector<std::string>{"Compact Earbuds"}));
    // No product has both words: products with either come back.
    EXPECT_EQ(AsSet(search("ceramic shoes")), (std::set<std::string>{"Coffee Mug", "Running Shoes"}));
    EXPECT_TRUE(search("zzzzqqq").empty());
    // Query syntax never errors.
    for (const char* odd : {"!!!", "\"", "a & | b", "-", "or", "'; DROP TABLE products; --", "(((", ":*"}) {
        auto status = subject.search_status(odd);
        EXPECT_TRUE(status.ok()) << odd << ": " << status.error_message();
    }
}

void ExpectStableSearchPages(const SearchSubject& subject, const std::string& query, std::size_t expected,
                             std::uint64_t page) {
    std::vector<std::string> searched;
    for (std::uint64_t skip = 0; skip < expected + page; skip += page) {
        auto names = subject.search(query, skip, page);
        searched.insert(searched.end(), names.begin(), names.end());
    }
    EXPECT_EQ(AsSet(searched).size(), expected);
    EXPECT_EQ(searched.size(), expected);
}

}  // namespace orderstream::product::testing
