#pragma once

#include <chrono>
#include <string>

#include "opensearch_client.hpp"
#include "product_search.hpp"

namespace orderstream::product {

// Product search on an OpenSearch / Elasticsearch index (SearchIndex's alias), with the
// PostgreSQL backend's query language and stages (search_query.hpp). Results come from the
// index's _source, so a search costs PostgreSQL nothing; they trail writes by the indexing lag.
//
// Every search has one deadline for all its stages. An engine that cannot be reached, is
// overloaded or misses the deadline raises UnavailableError (the handler answers
// UNAVAILABLE) or, with a fallback, is answered by PostgreSQL instead.
class OpenSearchProductSearch final : public ProductSearch {
public:
    OpenSearchProductSearch(OpenSearchClient& client, std::string index, std::chrono::milliseconds timeout,
                            ProductSearch* fallback = nullptr);

    std::vector<ProductRecord> Search(const std::string& query, std::uint64_t skip, std::uint64_t take) override;

private:
    std::vector<ProductRecord> SearchEngine(const std::string& query, std::uint64_t skip, std::uint64_t take);

    OpenSearchClient& client_;
    std::string index_;
    std::chrono::milliseconds timeout_;
    ProductSearch* fallback_;
};

// The engine's default index.max_result_window: from + size beyond it is refused, so deeper
// pages are empty on this backend.
inline constexpr std::uint64_t kMaxResultWindow = 10'000;

}  // namespace orderstream::product
