#include "search_cache.hpp"

#include "orderstream/core/metrics.hpp"

namespace orderstream::product {
namespace {

std::string KeyOf(const std::string& query, std::uint64_t skip, std::uint64_t take) {
    // The query cannot contain NUL (it is valid UTF-8 text from protobuf), so this is unambiguous.
    std::string key = query;
    key += '\0';
    key += std::to_string(skip);
    key += ':';
    key += std::to_string(take);
    return key;
}

// What an entry holds, near enough to bound the cache's memory: the list and map nodes
// (about 128 bytes), the key twice, and every record with its strings.
std::size_t SizeOf(const std::string& key, const std::vector<ProductRecord>& page) {
    std::size_t size = 128 + key.size() * 2;
    for (const auto& record : page) {
        size += sizeof(ProductRecord) + record.id.size() + record.name.size() + record.description.size() +
                record.currency.size();
    }
    return size;
}

}  // namespace

SearchResultCache::SearchResultCache(std::size_t max_bytes, std::chrono::milliseconds ttl)
    : max_bytes_(max_bytes), ttl_(ttl) {}

std::optional<std::vector<ProductRecord>> SearchResultCache::Find(const std::string& query, std::uint64_t skip,
                                                                  std::uint64_t take, std::int64_t version,
                                                                  Clock::time_point now) {
    std::lock_guard lock(mutex_);
    auto found = by_key_.find(KeyOf(query, skip, take));
    if (found == by_key_.end()) return std::nullopt;
    auto entry = found->second;
    if (entry->version != version || now - entry->stored > ttl_) {
        Erase(entry);
        return std::nullopt;
    }
    order_.splice(order_.begin(), order_, entry);
    return entry->page;
}

void SearchResultCache::Store(const std::string& query, std::uint64_t skip, std::uint64_t take, std::int64_t version,
                              Clock::time_point now, std::vector<ProductRecord> page) {
    auto key = KeyOf(query, skip, take);
    auto size = SizeOf(key, page);
    std::lock_guard lock(mutex_);
    if (auto found = by_key_.find(key); found != by_key_.end()) {
        // A result computed under an older version than the one held must not replace it.
        if (found->second->version > version) return;
        Erase(found->second);
    }
    if (size > max_bytes_) return;
    while (bytes_ + size > max_bytes_) Erase(std::prev(order_.end()));
    order_.push_front(Entry{key, version, now, std::move(page), size});
    by_key_.emplace(std::move(key), order_.begin());
    bytes_ += size;
}

void SearchResultCache::Erase(Order::iterator entry) {
    bytes_ -= entry->bytes;
    by_key_.erase(entry->key);
    order_.erase(entry);
}

std::size_t SearchResultCache::bytes() const {
    std::lock_guard lock(mutex_);
    return bytes_;
}

std::size_t SearchResultCache::entries() const {
    std::lock_guard lock(mutex_);
    return order_.size();
}

CachedProductSearch::CachedProductSearch(ProductSearch& inner, CatalogVersion& version, SearchResultCache& cache)
    : inner_(inner),
      version_(version),
      cache_(cache),
      hits_(metrics::Registry::Global().GetCounter("product_search_cache_total",
                                                   "Searches answered from the result cache or not",
                                                   {{"outcome", "hit"}})),
      misses_(metrics::Registry::Global().GetCounter("product_search_cache_total",
                                                     "Searches answered from the result cache or not",
                                                     {{"outcome", "miss"}})) {}

std::vector<ProductRecord> CachedProductSearch::Search(const std::string& query, std::uint64_t skip,
                                                       std::uint64_t take) {
    // The version is read before the catalog, so the page stored under it can only be newer.
    auto version = version_.Current();
    if (auto page = cache_.Find(query, skip, take, version, SearchResultCache::Clock::now())) {
        hits_.Increment();
        return std::move(*page);
    }
    misses_.Increment();
    auto page = inner_.Search(query, skip, take);
    cache_.Store(query, skip, take, version, SearchResultCache::Clock::now(), page);
    return page;
}

}  // namespace orderstream::product
