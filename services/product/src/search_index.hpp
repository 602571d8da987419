#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "opensearch_client.hpp"
#include "orderstream/core/error.hpp"
#include "product_catalog.hpp"
#include "search_settings.hpp"

namespace orderstream::product {

// A product as written to the index, with the version that orders writes: the row's
// updated_at in microseconds. Writes use external versioning, so an older state (a reindex
// that read the row before an update) never overwrites a newer one, whoever writes last.
struct IndexedProduct {
    ProductRecord record;
    std::int64_t version = 0;
};

// The product index of the engine: an alias (settings.index) over one concrete index
// "<alias>-<millis>", so a reindex builds a new index and swaps the alias atomically. The
// mapping is explicit and strict: English analyzer on name and description, price as integer
// cents, id as a keyword for the stable tie-break of equal scores.
class SearchIndex {
public:
    SearchIndex(OpenSearchClient& client, const SearchSettings& settings);

    const std::string& alias() const { return alias_; }
    OpenSearchClient& client() { return client_; }

    // Creates the alias with a new empty index when it does not exist yet. True when created.
    Result<bool> EnsureExists();
    // A new concrete index name for this alias.
    std::string NewIndexName() const;
    // `bulk_load` turns refresh off and replicas to 0 until FinishBulkLoad (much faster
    // loading), which restores them, refreshes and merges the segments.
    Status CreateIndex(const std::string& name, bool with_alias, bool bulk_load);
    Status FinishBulkLoad(const std::string& name);
    // The concrete indices behind the alias (empty when there is no alias).
    Result<std::vector<std::string>> AliasTargets();
    // Atomically moves the alias from `previous` to `index`.
    Status PointAliasAt(const std::string& index, const std::vector<std::string>& previous);
    Status DeleteIndex(const std::string& name);

    // Single-document writes (the indexer). A version conflict is success: the index already
    // holds this state or a newer one. `index` may be the alias.
    Status Put(const std::string& index, const IndexedProduct& product);
    Status Remove(const std::string& index, const std::string& id, std::int64_t version);
    // One _bulk request: index `products`, delete `removals` (by id and version). Returns how
    // many items changed the index (version conflicts and absent deletions change nothing).
    Result<std::size_t> Bulk(const std::string& index, const std::vector<IndexedProduct>& products,
                             const std::vector<IndexedProduct>& removals = {});

private:
    Result<EngineReply> Call(const char* method, const std::string& target, const std::string& body = "",
                             const char* content_type = "application/json");
    std::string Definition(bool with_alias, bool bulk_load) const;

    OpenSearchClient& client_;
    std::string alias_;
    int replicas_;
    int shards_;
};

// The _source document of a product.
std::string ProductDocument(const ProductRecord& product);


}  // namespace orderstream::product
