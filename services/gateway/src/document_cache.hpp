#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "orderstream/graphql/language/ast.hpp"

namespace orderstream::gateway {

// Parsed documents that passed validation, by query text: clients send the same few queries
// over and over, and parsing plus validation is most of a small request's work. Bounded; when
// full it starts over (the working set refills within a few requests).
class DocumentCache {
public:
    explicit DocumentCache(std::size_t capacity = 1000) : capacity_(capacity) {}

    std::shared_ptr<const graphql::ast::Document> Find(const std::string& query) const;
    void Remember(const std::string& query, std::shared_ptr<const graphql::ast::Document> document);

private:
    std::size_t capacity_;
    mutable std::mutex mutex_;
    std::unordered_map<std::string, std::shared_ptr<const graphql::ast::Document>> documents_;
};

}  // namespace orderstream::gateway
