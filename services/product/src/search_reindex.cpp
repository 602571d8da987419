#include "search_reindex.hpp"

#include <algorithm>
#include <chrono>
#include <future>

#include "indexed_products.hpp"

namespace orderstream::product {
namespace {

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// updated_at is its writer's transaction start, so a change that committed after the load
// read its row may carry an earlier time; product transactions last milliseconds, a minute
// of margin covers them with room to spare.
constexpr const char* kCatchUpMargin = "1 minute";

}  // namespace

SearchReindex::SearchReindex(pg::Pool& pool, SearchIndex& index, std::size_t batch)
    : pool_(pool), index_(index), batch_(batch) {}

Result<std::uint64_t> SearchReindex::Load(const std::string& target, const Progress& progress,
                                          std::int64_t remember_from,
                                          std::unordered_map<std::string, std::int64_t>* remembered) {
    const auto start = Clock::now();
    ReindexProgress state;
    state.total = pool_.Autocommit([](pqxx::nontransaction& tx) { return IndexedProducts::LiveCount(tx); });
    auto fetch = [this](std::string after) {
        return pool_.Autocommit(
            [&](pqxx::nontransaction& tx) { return IndexedProducts::LivePage(tx, after, batch_); });
    };
    // The next page is read from PostgreSQL while the engine indexes this one.
    auto page = fetch("");
    while (!page.empty()) {
        auto next = std::async(std::launch::async, fetch, page.back().record.id);
        if (auto written = index_.Bulk(target, page); !written.ok()) {
            next.wait();
            return written.error();
        }
        if (remembered != nullptr) {
            for (const auto& product : page) {
                if (product.version >= remember_from) (*remembered)[product.record.id] = product.version;
            }
        }
        state.indexed += page.size();
        state.seconds = SecondsSince(start);
        if (progress) progress(state);
        page = next.get();
    }
    return state.indexed;
}

Result<ReindexSummary> SearchReindex::Rebuild(const Progress& progress) {
    const auto start = Clock::now();
    auto previous = index_.AliasTargets();
    if (!previous.ok()) return previous.error();
    // Changes from here on may have missed the new index; the load notes what it wrote from
    // this version on, so the catch-up below sends only rows that changed after it read them.
    const auto catch_up_from = pool_.Autocommit(
        [](pqxx::nontransaction& tx) { return IndexedProducts::VersionAgo(tx, kCatchUpMargin); });
    std::unordered_map<std::string, std::int64_t> loaded_recently;

    ReindexSummary summary;
    summary.index = index_.NewIndexName();
    if (auto created = index_.CreateIndex(summary.index, false, true); !created.ok()) return created.error();
    auto loaded = Load(summary.index, progress, catch_up_from, &loaded_recently);
    if (loaded.ok()) {
        summary.indexed = *loaded;
        if (auto finished = index_.FinishBulkLoad(summary.index); !finished.ok()) loaded = finished.error();
    }
    if (loaded.ok()) {
        if (auto swapped = index_.PointAliasAt(summary.index, *previous); !swapped.ok()) loaded = swapped.error();
    }
    if (!loaded.ok()) {
        (void)index_.DeleteIndex(summary.index);  // the alias still points at the old index
        return loaded.error();
    }

    auto changed = pool_.Autocommit(
        [&](pqxx::nontransaction& tx) { return IndexedProducts::ChangedSince(tx, catch_up_from); });
    std::erase_if(changed, [&](const IndexedProducts::Row& row) {
        auto seen = loaded_recently.find(row.product.record.id);
        return seen != loaded_recently.end() && seen->second == row.product.version && !row.deleted;
    });
    // What is left changed after the load read it (or was created or deleted meanwhile).
    for (std::size_t from = 0; from < changed.size(); from += batch_) {
        std::vector<IndexedProduct> live;
        std::vector<IndexedProduct> deleted;
        for (std::size_t i = from; i < std::min(changed.size(), from + batch_); ++i) {
            (changed[i].deleted ? deleted : live).push_back(changed[i].product);
        }
        auto written = index_.Bulk(summary.index, live, deleted);
        if (!written.ok()) return written.error();
        summary.caught_up += *written;
    }
    for (const auto& old : *previous) {
        if (old != summary.index) (void)index_.DeleteIndex(old);
    }
    summary.seconds = SecondsSince(start);
    return summary;
}

}  // namespace orderstream::product
