#include "search_indexer.hpp"

#include "indexed_products.hpp"
#include "orderstream/contracts/product_events.hpp"

namespace orderstream::product {

SearchIndexer::SearchIndexer(SearchIndex& index) : index_(index) {}

Status SearchIndexer::Apply(pqxx::work& tx, const events::Envelope& event) {
    auto change = contracts::Read<contracts::ProductEvent>(event);
    if (!change.ok()) return change.error();
    if (!change->has_value()) return Status::Ok();  // not a catalog change
    auto current = IndexedProducts::Current(tx, (*change)->product_id);
    // Not in this database: an event of another catalog sharing the topic; nothing of ours to index.
    if (!current) return Status::Ok();
    if (current->deleted) {
        return index_.Remove(index_.alias(), current->product.record.id, current->product.version);
    }
    return index_.Put(index_.alias(), current->product);
}

}  // namespace orderstream::product
