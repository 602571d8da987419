#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "opensearch_client.hpp"
#include "opensearch_search.hpp"
#include "orderstream/events/event_consumer.hpp"
#include "orderstream/pg/pool.hpp"
#include "product_search.hpp"
#include "search_index.hpp"
#include "search_indexer.hpp"
#include "search_settings.hpp"

namespace orderstream::product {

// The product role's search, chosen by SearchSettings::FromEnv: the PostgreSQL search it is
// given, or (ELASTICSEARCH_URL set) the engine plus what keeps its index fed: a product_events
// consumer of its own group and, when the alias does not exist yet, a first load from
// PostgreSQL. The engine being down at start is no reason not to serve: the index is
// created and filled as soon as it answers.
class SearchBackend {
public:
    // `postgres` answers when no engine is configured, and is the engine's fallback when
    // ELASTICSEARCH_FALLBACK=postgres.
    SearchBackend(pg::Pool& pool, std::string database_url, ProductSearch& postgres);
    ~SearchBackend();  // Stop()
    SearchBackend(const SearchBackend&) = delete;
    SearchBackend& operator=(const SearchBackend&) = delete;

    ProductSearch& search();
    void Start();
    void Stop();

private:
    void Bootstrap();
    bool SleepUnlessStopping(std::chrono::milliseconds delay);

    pg::Pool& pool_;
    std::string database_url_;
    std::optional<SearchSettings> settings_;
    ProductSearch& postgres_;
    std::unique_ptr<OpenSearchClient> client_;
    std::unique_ptr<SearchIndex> index_;
    std::unique_ptr<OpenSearchProductSearch> engine_;
    std::unique_ptr<SearchIndexer> indexer_;
    std::unique_ptr<events::EventConsumer> consumer_;
    std::thread bootstrap_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
};

}  // namespace orderstream::product
