#include "document_cache.hpp"

namespace orderstream::gateway {

std::shared_ptr<const graphql::ast::Document> DocumentCache::Find(const std::string& query) const {
    std::lock_guard lock(mutex_);
    auto it = documents_.find(query);
    return it == documents_.end() ? nullptr : it->second;
}

void DocumentCache::Remember(const std::string& query, std::shared_ptr<const graphql::ast::Document> document) {
    if (query.size() > 64 * 1024) return;  // large documents are rare; do not let them crowd the cache
    std::lock_guard lock(mutex_);
    if (documents_.size() >= capacity_) documents_.clear();
    documents_.emplace(query, std::move(document));
}

}  // namespace orderstream::gateway
