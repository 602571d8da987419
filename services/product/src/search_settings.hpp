#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace orderstream::product {

// Where product search runs. ELASTICSEARCH_URL (the seed's variable) switches the product
// role from PostgreSQL full-text search to an OpenSearch / Elasticsearch cluster.
struct SearchSettings {
    std::string url;                     // ELASTICSEARCH_URL
    std::string index = "products";      // ELASTICSEARCH_INDEX: the alias searched and written
    std::chrono::milliseconds timeout{1'500};          // ELASTICSEARCH_TIMEOUT_MS: one search, all stages
    std::chrono::milliseconds connect_timeout{500};    // ELASTICSEARCH_CONNECT_TIMEOUT_MS
    bool fallback_to_postgres = false;   // ELASTICSEARCH_FALLBACK=postgres
    int replicas = 1;                    // ELASTICSEARCH_REPLICAS of a new index
    int shards = 1;                      // ELASTICSEARCH_SHARDS of a new index
    std::string consumer_group = "product-search-indexer";  // PRODUCT_SEARCH_CONSUMER_GROUP

    // Nullopt when ELASTICSEARCH_URL is unset or empty (PostgreSQL search). Throws
    // config::ConfigError naming the variable for a malformed value.
    static std::optional<SearchSettings> FromEnv();
};

}  // namespace orderstream::product
