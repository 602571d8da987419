#include <gtest/gtest.h>

#include "search_cache.hpp"

namespace product = orderstream::product;
using Cache = product::SearchResultCache;
using namespace std::chrono_literals;

namespace {

std::vector<product::ProductRecord> Page(std::initializer_list<const char*> ids) {
    std::vector<product::ProductRecord> page;
    for (const char* id : ids) page.push_back({id, 1, std::string("name ") + id, "description", 100, "USD"});
    return page;
}

std::vector<std::string> Ids(const std::optional<std::vector<product::ProductRecord>>& page) {
    std::vector<std::string> ids;
    if (page) {
        for (const auto& record : *page) ids.push_back(record.id);
    }
    return ids;
}

const Cache::Clock::time_point kStart{};

}  // namespace

TEST(SearchResultCache, AnswersTheSamePageAtTheSameVersion) {
    Cache cache(1 << 20, 30s);
    cache.Store("mug", 0, 20, 7, kStart, Page({"a", "b"}));
    EXPECT_EQ(Ids(cache.Find("mug", 0, 20, 7, kStart + 1s)), (std::vector<std::string>{"a", "b"}));
    EXPECT_FALSE(cache.Find("mug", 20, 20, 7, kStart)) << "another page";
    EXPECT_FALSE(cache.Find("mug", 0, 10, 7, kStart)) << "another page size";
    EXPECT_FALSE(cache.Find("Mug", 0, 20, 7, kStart)) << "another query text";
}

TEST(SearchResultCache, AChangedCatalogOrAnOldEntryMisses) {
    Cache cache(1 << 20, 30s);
    cache.Store("mug", 0, 20, 7, kStart, Page({"a"}));
    EXPECT_FALSE(cache.Find("mug", 0, 20, 8, kStart)) << "the catalog moved on";
    EXPECT_FALSE(cache.Find("mug", 0, 20, 7, kStart)) << "a stale entry is dropped, not kept for later";
    EXPECT_EQ(cache.entries(), 0u);

    cache.Store("mug", 0, 20, 7, kStart, Page({"a"}));
    EXPECT_TRUE(cache.Find("mug", 0, 20, 7, kStart + 30s));
    EXPECT_FALSE(cache.Find("mug", 0, 20, 7, kStart + 30s + 1ms)) << "older than the TTL";
}

TEST(SearchResultCache, AnOlderResultNeverReplacesANewerOne) {
    Cache cache(1 << 20, 30s);
    cache.Store("mug", 0, 20, 9, kStart, Page({"new"}));
    cache.Store("mug", 0, 20, 8, kStart, Page({"old"}));
    EXPECT_EQ(Ids(cache.Find("mug", 0, 20, 9, kStart)), (std::vector<std::string>{"new"}));
    cache.Store("mug", 0, 20, 10, kStart, Page({"newer"}));
    EXPECT_EQ(Ids(cache.Find("mug", 0, 20, 10, kStart)), (std::vector<std::string>{"newer"}));
    EXPECT_EQ(cache.entries(), 1u);
}

TEST(SearchResultCache, EvictsTheLeastRecentlyUsedWithinItsBudget) {
    Cache probe(1 << 20, 30s);
    probe.Store("q0", 0, 20, 1, kStart, Page({"a", "b", "c"}));
    auto entry_bytes = probe.bytes();

    Cache cache(entry_bytes * 3, 30s);  // room for three pages like that one
    cache.Store("q0", 0, 20, 1, kStart, Page({"a", "b", "c"}));
    cache.Store("q1", 0, 20, 1, kStart, Page({"a", "b", "c"}));
    cache.Store("q2", 0, 20, 1, kStart, Page({"a", "b", "c"}));
    ASSERT_TRUE(cache.Find("q0", 0, 20, 1, kStart));  // q1 is now the least recently used
    cache.Store("q3", 0, 20, 1, kStart, Page({"a", "b", "c"}));
    EXPECT_EQ(cache.entries(), 3u);
    EXPECT_LE(cache.bytes(), entry_bytes * 3);
    EXPECT_TRUE(cache.Find("q0", 0, 20, 1, kStart));
    EXPECT_FALSE(cache.Find("q1", 0, 20, 1, kStart));
    EXPECT_TRUE(cache.Find("q2", 0, 20, 1, kStart));
    EXPECT_TRUE(cache.Find("q3", 0, 20, 1, kStart));
}

TEST(SearchResultCache, APageLargerThanTheWholeBudgetIsNotKept) {
    Cache cache(64, 30s);
    cache.Store("mug", 0, 20, 1, kStart, Page({"a"}));
    EXPECT_EQ(cache.entries(), 0u);
    EXPECT_EQ(cache.bytes(), 0u);
    EXPECT_FALSE(cache.Find("mug", 0, 20, 1, kStart));
}

TEST(SearchResultCache, EmptyPagesAreCachedToo) {
    Cache cache(1 << 20, 30s);
    cache.Store("nothing matches", 0, 20, 3, kStart, {});
    auto page = cache.Find("nothing matches", 0, 20, 3, kStart);
    ASSERT_TRUE(page);
    EXPECT_TRUE(page->empty());
}
