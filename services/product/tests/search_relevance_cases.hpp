#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>

namespace orderstream::product::testing {

// A product service under test, as the shared search cases use it. Both search backends
// (PostgreSQL and the search engine) run the same cases through this.
struct SearchSubject {
    std::function<void(const std::string& name, const std::string& description)> post;
    // Blocks until everything posted so far is visible to search (PostgreSQL: at once).
    std::function<void()> await_searchable;
    // Names of the products found, in order; a failed call fails the test.
    std::function<std::vector<std::string>(const std::string& query, std::uint64_t skip, std::uint64_t take)> search;
    std::function<grpc::Status(const std::string& query)> search_status;
};

// Ranking (name above description), stemming, phrases, exclusion, OR, prefixes and typos,
// any-word fallback, and queries that must never be an error. Posts its own five products
// into an empty catalog.
void ExpectSearchRelevance(const SearchSubject& subject);

// Paging a search for `query` `page` at a time returns each of `expected` products exactly
// once (equal scores are ordered by id, so pages never overlap).
void ExpectStableSearchPages(const SearchSubject& subject, const std::string& query, std::size_t expected,
                             std::uint64_t page);

}  // namespace orderstream::product::testing
