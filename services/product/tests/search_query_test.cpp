#include "search_query.hpp"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

namespace orderstream::product {
namespace {

TEST(WebSearchQueryTest, WordsPhrasesExclusionsAndAlternatives) {
    auto q = WebSearchQuery::Parse(R"(wireless "noise cancelling" -cheap -"on ear" or earbuds)");
    ASSERT_EQ(q.alternatives.size(), 2U);
    EXPECT_EQ(q.alternatives[0].words, (std::vector<std::string>{"wireless"}));
    EXPECT_EQ(q.alternatives[0].phrases, (std::vector<std::string>{"noise cancelling"}));
    EXPECT_EQ(q.alternatives[0].excluded, (std::vector<std::string>{"cheap", "on ear"}));
    EXPECT_EQ(q.alternatives[0].excluded_is_phrase, (std::vector<bool>{false, true}));
    EXPECT_EQ(q.alternatives[1].words, (std::vector<std::string>{"earbuds"}));
}

TEST(WebSearchQueryTest, StrayOperatorsAreIgnored) {
    EXPECT_TRUE(WebSearchQuery::Parse("or").alternatives.empty());
    EXPECT_TRUE(WebSearchQuery::Parse("-").alternatives.empty());
    EXPECT_TRUE(WebSearchQuery::Parse("\"").alternatives.empty());
    EXPECT_TRUE(WebSearchQuery::Parse("!!! ((( :*").alternatives.empty());
    auto q = WebSearchQuery::Parse("or mug OR or shoes or");
    ASSERT_EQ(q.alternatives.size(), 2U);
    EXPECT_EQ(q.alternatives[0].words, (std::vector<std::string>{"mug"}));
    EXPECT_EQ(q.alternatives[1].words, (std::vector<std::string>{"shoes"}));
    // An unterminated quote runs to the end.
    auto open = WebSearchQuery::Parse("mug \"blue ceramic");
    ASSERT_EQ(open.alternatives.size(), 1U);
    EXPECT_EQ(open.alternatives[0].phrases, (std::vector<std::string>{"blue ceramic"}));
}

rapidjson::Document Parse(const std::string& body) {
    rapidjson::Document doc;
    doc.Parse(body.c_str());
    EXPECT_FALSE(doc.HasParseError()) << body;
    return doc;
}

TEST(SearchRequestBodyTest, PagesByScoreThenId) {
    auto doc = Parse(SearchRequestBody(SearchStage::kFullText, "mug", 20, 10));
    EXPECT_EQ(doc["from"].GetUint64(), 20U);
    EXPECT_EQ(doc["size"].GetUint64(), 10U);
    EXPECT_EQ(doc["track_total_hits"].GetInt(), 1);
    ASSERT_EQ(doc["sort"].Size(), 2U);
    EXPECT_STREQ(doc["sort"][0]["_score"].GetString(), "desc");
    EXPECT_STREQ(doc["sort"][1]["id"].GetString(), "asc");
}

TEST(SearchRequestBodyTest, FullTextRequiresEveryWordAndBoostsTheName) {
    auto doc = Parse(SearchRequestBody(SearchStage::kFullText, "blue mug -chipped", 0, 10));
    const auto& alternatives = doc["query"]["bool"]["should"];
    ASSERT_EQ(alternatives.Size(), 1U);
    const auto& must = alternatives[0]["bool"]["must"][0]["multi_match"];
    EXPECT_STREQ(must["query"].GetString(), "blue mug");
    EXPECT_STREQ(must["type"].GetString(), "cross_fields");
    EXPECT_STREQ(must["operator"].GetString(), "and");
    EXPECT_STREQ(must["fields"][0].GetString(), "name^3");
    EXPECT_STREQ(alternatives[0]["bool"]["must_not"][0]["multi_match"]["query"].GetString(), "chipped");
}

TEST(SearchRequestBodyTest, LaterStagesUseEveryWord) {
    auto prefix = Parse(SearchRequestBody(SearchStage::kAnyPrefix, "Headph -x", 0, 10));
    const auto& any = prefix["query"]["bool"]["should"];
    ASSERT_EQ(any.Size(), 2U);
    EXPECT_STREQ(any[0]["multi_match"]["query"].GetString(), "headph");
    EXPECT_STREQ(any[0]["multi_match"]["type"].GetString(), "phrase_prefix");
    auto fuzzy = Parse(SearchRequestBody(SearchStage::kFuzzy, "hedphones", 0, 10));
    EXPECT_STREQ(fuzzy["query"]["multi_match"]["fuzziness"].GetString(), "AUTO");
}

TEST(SearchRequestBodyTest, NothingToLookForIsEmpty) {
    for (auto stage : {SearchStage::kFullText, SearchStage::kAnyPrefix, SearchStage::kFuzzy}) {
        EXPECT_TRUE(SearchRequestBody(stage, "!!! -", 0, 10).empty());
    }
}

}  // namespace
}  // namespace orderstream::product
