#include "search_query.hpp"

#include <cctype>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "orderstream/core/text.hpp"

namespace orderstream::product {
namespace {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

bool IsSpace(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

// Letters and digits of a word; non-ASCII bytes are parts of UTF-8 letters.
bool IsWordByte(unsigned char c) { return std::isalnum(c) || c >= 0x80; }

bool HasWordByte(const std::string& text) {
    for (unsigned char c : text) {
        if (IsWordByte(c)) return true;
    }
    return false;
}

// Lower-case words of the raw text, like the PostgreSQL backend's prefix stage.
std::vector<std::string> Words(const std::string& text) {
    std::vector<std::string> words;
    std::string word;
    for (unsigned char c : text) {
        if (IsWordByte(c)) {
            word += static_cast<char>(std::tolower(c));
        } else if (!word.empty()) {
            words.push_back(std::move(word));
            word.clear();
        }
    }
    if (!word.empty()) words.push_back(std::move(word));
    return words;
}

void Str(JsonWriter& w, const std::string& s) { w.String(s.data(), static_cast<rapidjson::SizeType>(s.size())); }

void Fields(JsonWriter& w) {
    w.Key("fields");
    w.StartArray();
    Str(w, "name^" + std::to_string(kNameBoost));
    w.String("description");
    w.EndArray();
}

// multi_match over name and description; `type` is cross_fields (every word in either field),
// phrase or phrase_prefix.
void MultiMatch(JsonWriter& w, const std::string& text, const char* type) {
    w.StartObject();
    w.Key("multi_match");
    w.StartObject();
    w.Key("query");
    Str(w, text);
    Fields(w);
    w.Key("type");
    w.String(type);
    if (std::string_view(type) == "cross_fields") {
        w.Key("operator");
        w.String("and");
    }
    w.EndObject();
    w.EndObject();
}

void Alternative(JsonWriter& w, const WebSearchQuery::Alternative& alt) {
    w.StartObject();
    w.Key("bool");
    w.StartObject();
    if (!alt.words.empty() || !alt.phrases.empty()) {
        w.Key("must");
        w.StartArray();
        if (!alt.words.empty()) {
            std::string joined;
            for (const auto& word : alt.words) joined += (joined.empty() ? "" : " ") + word;
            MultiMatch(w, joined, "cross_fields");
        }
        for (const auto& phrase : alt.phrases) MultiMatch(w, phrase, "phrase");
        w.EndArray();
    }
    if (!alt.excluded.empty()) {
        w.Key("must_not");
        w.StartArray();
        for (std::size_t i = 0; i < alt.excluded.size(); ++i) {
            MultiMatch(w, alt.excluded[i], alt.excluded_is_phrase[i] ? "phrase" : "cross_fields");
        }
        w.EndArray();
    }
    w.EndObject();
    w.EndObject();
}

// bool.should of the clauses `each` writes, at least one required.
template <typename Each>
void AnyOf(JsonWriter& w, Each&& each) {
    w.StartObject();
    w.Key("bool");
    w.StartObject();
    w.Key("should");
    w.StartArray();
    each();
    w.EndArray();
    w.Key("minimum_should_match");
    w.Int(1);
    w.EndObject();
    w.EndObject();
}

void FuzzyMatch(JsonWriter& w, const std::string& text) {
    w.StartObject();
    w.Key("multi_match");
    w.StartObject();
    w.Key("query");
    Str(w, text);
    Fields(w);
    w.Key("fuzziness");
    w.String("AUTO");  // 0 edits up to 2 letters, 1 up to 5, else 2
    w.Key("prefix_length");
    w.Int(1);  // typos rarely hit the first letter; keeps the term expansion small
    w.Key("operator");
    w.String("or");
    w.EndObject();
    w.EndObject();
}

}  // namespace

WebSearchQuery WebSearchQuery::Parse(const std::string& text) {
    WebSearchQuery query;
    query.alternatives.emplace_back();
    std::size_t i = 0;
    const std::size_t n = text.size();
    while (i < n) {
        if (IsSpace(text[i])) {
            ++i;
            continue;
        }
        bool negated = false;
        if (text[i] == '-') {
            negated = true;
            ++i;
        }
        std::string item;
        bool phrase = false;
        if (i < n && text[i] == '"') {
            // An unterminated quote runs to the end, as in websearch_to_tsquery.
            auto close = text.find('"', i + 1);
            item = text.substr(i + 1, close == std::string::npos ? std::string::npos : close - i - 1);
            i = close == std::string::npos ? n : close + 1;
            phrase = true;
        } else {
            auto end = i;
            while (end < n && !IsSpace(text[end]) && text[end] != '"') ++end;
            item = text.substr(i, end - i);
            i = end;
        }
        if (!HasWordByte(item)) continue;  // "-", "&", "|", "(((": nothing to look for
        if (!negated && !phrase && text::AsciiLower(item) == "or") {
            if (!query.alternatives.back().empty()) query.alternatives.emplace_back();
            continue;
        }
        auto& alt = query.alternatives.back();
        if (negated) {
            alt.excluded.push_back(item);
            alt.excluded_is_phrase.push_back(phrase);
        } else if (phrase) {
            alt.phrases.push_back(item);
        } else {
            alt.words.push_back(item);
        }
    }
    if (query.alternatives.back().empty()) query.alternatives.pop_back();
    return query;
}

std::string SearchRequestBody(SearchStage stage, const std::string& query, std::uint64_t skip, std::uint64_t take) {
    WebSearchQuery parsed;
    std::vector<std::string> words;
    if (stage == SearchStage::kFullText) {
        parsed = WebSearchQuery::Parse(query);
        if (parsed.alternatives.empty()) return {};
    } else {
        words = Words(query);
        if (words.empty()) return {};
    }

    rapidjson::StringBuffer buffer;
    JsonWriter w(buffer);
    w.StartObject();
    w.Key("from");
    w.Uint64(skip);
    w.Key("size");
    w.Uint64(take);
    // Only "did the stage match at all" is needed; not counting every match lets the engine
    // skip documents that cannot reach the page (block-max WAND).
    w.Key("track_total_hits");
    w.Int(1);
    w.Key("sort");
    w.StartArray();
    w.StartObject();
    w.Key("_score");
    w.String("desc");
    w.EndObject();
    w.StartObject();
    w.Key("id");
    w.String("asc");
    w.EndObject();
    w.EndArray();
    w.Key("query");
    switch (stage) {
        case SearchStage::kFullText:
            AnyOf(w, [&] {
                for (const auto& alt : parsed.alternatives) Alternative(w, alt);
            });
            break;
        case SearchStage::kAnyPrefix:
            AnyOf(w, [&] {
                for (const auto& word : words) MultiMatch(w, word, "phrase_prefix");
            });
            break;
        case SearchStage::kFuzzy: {
            std::string joined;
            for (const auto& word : words) joined += (joined.empty() ? "" : " ") + word;
            FuzzyMatch(w, joined);
            break;
        }
    }
    w.EndObject();
    return {buffer.GetString(), buffer.GetSize()};
}

}  // namespace orderstream::product
