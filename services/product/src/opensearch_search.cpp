#include "opensearch_search.hpp"

#include <stdexcept>

#include <rapidjson/document.h>
#include <spdlog/spdlog.h>

#include "orderstream/core/metrics.hpp"
#include "search_query.hpp"

namespace orderstream::product {
namespace {

using Clock = std::chrono::steady_clock;

struct Page {
    std::vector<ProductRecord> products;
    std::uint64_t total = 0;  // matches of the stage, counted up to 1 (track_total_hits)
};

std::string StringField(const rapidjson::Value& source, const char* name) {
    auto it = source.FindMember(name);
    if (it == source.MemberEnd() || !it->value.IsString()) return {};
    return {it->value.GetString(), it->value.GetStringLength()};
}

std::int64_t IntField(const rapidjson::Value& source, const char* name) {
    auto it = source.FindMember(name);
    return it != source.MemberEnd() && it->value.IsInt64() ? it->value.GetInt64() : 0;
}

Page ParsePage(const std::string& body) {
    rapidjson::Document doc;
    doc.Parse(body.c_str(), body.size());
    if (doc.HasParseError() || !doc.IsObject()) throw std::runtime_error("search answer is not a JSON object");
    auto hits = doc.FindMember("hits");
    if (hits == doc.MemberEnd() || !hits->value.IsObject()) throw std::runtime_error("search answer has no hits");
    Page page;
    // {"value": n, "relation": ...} since Elasticsearch 7; a bare number before.
    auto total = hits->value.FindMember("total");
    if (total != hits->value.MemberEnd()) {
        if (total->value.IsObject() && total->value.HasMember("value") && total->value["value"].IsUint64()) {
            page.total = total->value["value"].GetUint64();
        } else if (total->value.IsUint64()) {
            page.total = total->value.GetUint64();
        }
    }
    auto list = hits->value.FindMember("hits");
    if (list == hits->value.MemberEnd() || !list->value.IsArray()) return page;
    for (const auto& hit : list->value.GetArray()) {
        auto source = hit.FindMember("_source");
        if (source == hit.MemberEnd() || !source->value.IsObject()) continue;
        ProductRecord record;
        record.id = StringField(source->value, "id");
        record.account_id = IntField(source->value, "account_id");
        record.name = StringField(source->value, "name");
        record.description = StringField(source->value, "description");
        record.price_cents = IntField(source->value, "price_cents");
        record.currency = StringField(source->value, "currency");
        if (!record.id.empty()) page.products.push_back(std::move(record));
    }
    return page;
}

metrics::Counter& FallbackCounter() {
    static auto& counter = metrics::Registry::Global().GetCounter(
        "product_search_fallbacks_total", "searches answered by PostgreSQL because the search engine was unavailable");
    return counter;
}

}  // namespace

OpenSearchProductSearch::OpenSearchProductSearch(OpenSearchClient& client, std::string index,
                                                 std::chrono::milliseconds timeout, ProductSearch* fallback)
    : client_(client), index_(std::move(index)), timeout_(timeout), fallback_(fallback) {}

std::vector<ProductRecord> OpenSearchProductSearch::Search(const std::string& query, std::uint64_t skip,
                                                           std::uint64_t take) {
    if (fallback_ == nullptr) return SearchEngine(query, skip, take);
    try {
        return SearchEngine(query, skip, take);
    } catch (const UnavailableError& e) {
        FallbackCounter().Increment();
        spdlog::warn("search engine unavailable, answering from PostgreSQL: {}", e.what());
        return fallback_->Search(query, skip, take);
    }
}

std::vector<ProductRecord> OpenSearchProductSearch::SearchEngine(const std::string& query, std::uint64_t skip,
                                                                 std::uint64_t take) {
    if (take == 0 || skip >= kMaxResultWindow) return {};
    take = std::min(take, kMaxResultWindow - skip);
    const auto deadline = Clock::now() + timeout_;
    const std::string target = "/" + index_ + "/_search";
    for (auto stage : {SearchStage::kFullText, SearchStage::kAnyPrefix, SearchStage::kFuzzy}) {
        auto body = SearchRequestBody(stage, query, skip, take);
        if (body.empty()) continue;  // nothing to look for in this stage
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        auto reply = client_.Send("POST", target, body, left);
        if (!reply.ok()) throw UnavailableError("search engine: " + reply.error().message);
        if (reply->status != 200) {
            auto message = DescribeFailure("search " + index_, *reply);
            if (IsTransientStatus(reply->status) || reply->status == 404) throw UnavailableError(message);
            throw std::runtime_error(message);  // our request is wrong: INTERNAL, logged
        }
        auto page = ParsePage(reply->body);
        // A stage with matches answers every page, also an empty one past its end.
        if (!page.products.empty() || page.total > 0) return std::move(page.products);
    }
    return {};
}

}  // namespace orderstream::product
