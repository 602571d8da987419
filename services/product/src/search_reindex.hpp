#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <unordered_map>

#include "orderstream/core/error.hpp"
#include "orderstream/pg/pool.hpp"
#include "search_index.hpp"

namespace orderstream::product {

struct ReindexProgress {
    std::uint64_t indexed = 0;
    std::uint64_t total = 0;  // live products when the load started
    double seconds = 0;
};

struct ReindexSummary {
    std::string index;           // the concrete index now behind the alias
    std::uint64_t indexed = 0;   // live products bulk-loaded
    std::uint64_t caught_up = 0; // products changed during the load, written again afterwards
    double seconds = 0;
};

// Builds the index from PostgreSQL, the source of truth.
//
// Rebuild loads every live product into a new index (refresh off while loading), then moves
// the alias to it in one atomic step and deletes the old index, so searches never see a half
// index. Changes made while it loaded went to the old index through the alias; they are
// written again from PostgreSQL right after the swap (external versions keep whichever state
// is newest), so nothing is lost to the race.
class SearchReindex {
public:
    using Progress = std::function<void(const ReindexProgress&)>;

    SearchReindex(pg::Pool& pool, SearchIndex& index, std::size_t batch = 1'000);

    Result<ReindexSummary> Rebuild(const Progress& progress);
    // Loads every live product into `target` (an index or the alias), in id order. Rows with
    // a version of at least `remember_from` are noted in `remembered` (id -> version).
    Result<std::uint64_t> Load(const std::string& target, const Progress& progress,
                               std::int64_t remember_from = INT64_MAX,
                               std::unordered_map<std::string, std::int64_t>* remembered = nullptr);

private:
    pg::Pool& pool_;
    SearchIndex& index_;
    std::size_t batch_;
};

}  // namespace orderstream::product
