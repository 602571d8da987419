#pragma once

#include <pqxx/pqxx>

#include "orderstream/core/error.hpp"
#include "orderstream/events/envelope.hpp"
#include "search_index.hpp"

namespace orderstream::product {

// Keeps the index in step with product_events (the handler of the product role's own
// consumer group, so the offset moves only after the index took the change: an engine that
// was down is caught up from where it stopped).
//
// An event only says *which* product changed; the handler indexes that product's current
// row, read in the consumer's transaction. So redelivered, reordered or skipped-over events
// all converge on PostgreSQL's state, and external versions keep an older state from
// overwriting a newer one written by a concurrent reindex.
class SearchIndexer {
public:
    explicit SearchIndexer(SearchIndex& index);

    // EventHandler for product_events. Unavailable (engine down, index missing) is retried by
    // the consumer with backoff; a malformed event is INVALID_ARGUMENT (dead-lettered).
    Status Apply(pqxx::work& tx, const events::Envelope& event);

private:
    SearchIndex& index_;
};

}  // namespace orderstream::product
