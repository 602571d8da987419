#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace orderstream::product {

// A user's query in the web-search syntax the PostgreSQL backend accepts
// (websearch_to_tsquery): words are ANDed, "quoted text" is a phrase, a leading '-' excludes
// a word or phrase, and the word `or` separates alternatives (AND binds tighter than OR, as in
// tsquery). Parsing never fails: stray quotes, dashes and punctuation are just text.
struct WebSearchQuery {
    struct Alternative {
        std::vector<std::string> words;      // all required (analysed by the engine)
        std::vector<std::string> phrases;    // each required as a phrase
        std::vector<std::string> excluded;   // words or phrases that must not occur
        std::vector<bool> excluded_is_phrase;
        bool empty() const { return words.empty() && phrases.empty() && excluded.empty(); }
    };
    std::vector<Alternative> alternatives;  // matches when any alternative matches

    static WebSearchQuery Parse(const std::string& text);
};

// The search stages of the engine backend, in the order the PostgreSQL backend uses them: a
// later stage runs only when the earlier one matches nothing at all, so a page never mixes
// stages.
enum class SearchStage {
    kFullText,   // the web-search query over name (boosted) and description, English stemming
    kAnyPrefix,  // any word of the query as a prefix of a stemmed word ("headph", "earb")
    kFuzzy,      // any word within a small edit distance ("hedphones")
};

// The _search request body of one stage: from/size paging ordered by score, then id, so
// equal scores page stably. Empty when the stage has nothing to look for (no words).
std::string SearchRequestBody(SearchStage stage, const std::string& query, std::uint64_t skip, std::uint64_t take);

// How much of the name outweighs the description in every stage.
inline constexpr int kNameBoost = 3;

}  // namespace orderstream::product
