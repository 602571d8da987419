#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "catalog_version.hpp"
#include "product_search.hpp"

namespace orderstream::metrics {
class Counter;
}

namespace orderstream::product {

// Pages of search results by (query, skip, take), each tagged with the catalog version it
// was computed under. An entry answers only while the catalog is still at that version and
// for at most `ttl` (the bound on staleness if a writer died between its commit and
// advancing the version). Least recently used entries go first once `max_bytes` is reached.
class SearchResultCache {
public:
    using Clock = std::chrono::steady_clock;

    SearchResultCache(std::size_t max_bytes, std::chrono::milliseconds ttl);

    std::optional<std::vector<ProductRecord>> Find(const std::string& query, std::uint64_t skip, std::uint64_t take,
                                                   std::int64_t version, Clock::time_point now);
    void Store(const std::string& query, std::uint64_t skip, std::uint64_t take, std::int64_t version,
               Clock::time_point now, std::vector<ProductRecord> page);

    std::size_t bytes() const;
    std::size_t entries() const;

private:
    struct Entry {
        std::string key;
        std::int64_t version;
        Clock::time_point stored;
        std::vector<ProductRecord> page;
        std::size_t bytes;
    };
    using Order = std::list<Entry>;  // most recently used first

    void Erase(Order::iterator entry);

    const std::size_t max_bytes_;
    const std::chrono::milliseconds ttl_;
    mutable std::mutex mutex_;
    Order order_;
    std::unordered_map<std::string, Order::iterator> by_key_;
    std::size_t bytes_ = 0;
};

// A ProductSearch that answers repeated searches from a SearchResultCache while the
// catalog has not changed, and asks `inner` otherwise. Costs one sequence read per search.
class CachedProductSearch final : public ProductSearch {
public:
    CachedProductSearch(ProductSearch& inner, CatalogVersion& version, SearchResultCache& cache);
    std::vector<ProductRecord> Search(const std::string& query, std::uint64_t skip, std::uint64_t take) override;

private:
    ProductSearch& inner_;
    CatalogVersion& version_;
    SearchResultCache& cache_;
    metrics::Counter& hits_;
    metrics::Counter& misses_;
};

}  // namespace orderstream::product
