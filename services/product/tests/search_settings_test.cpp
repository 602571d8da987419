#include "search_settings.hpp"

#include <cstdlib>

#include <gtest/gtest.h>

#include "orderstream/core/config.hpp"
#include "search_index.hpp"

namespace orderstream::product {
namespace {

// Sets the variables for one test and clears every search variable afterwards.
class SearchEnv : public ::testing::Test {
protected:
    void TearDown() override {
        for (const char* name : {"ELASTICSEARCH_URL", "ELASTICSEARCH_INDEX", "ELASTICSEARCH_TIMEOUT_MS",
                                 "ELASTICSEARCH_FALLBACK", "ELASTICSEARCH_REPLICAS"}) {
            ::unsetenv(name);
        }
    }
    static void Set(const char* name, const char* value) { ::setenv(name, value, 1); }
};

TEST_F(SearchEnv, UnsetUrlMeansPostgres) {
    EXPECT_FALSE(SearchSettings::FromEnv().has_value());
    Set("ELASTICSEARCH_URL", "");
    EXPECT_FALSE(SearchSettings::FromEnv().has_value());
}

TEST_F(SearchEnv, DefaultsAndOverrides) {
    Set("ELASTICSEARCH_URL", "http://127.0.0.1:9200");
    auto defaults = SearchSettings::FromEnv();
    ASSERT_TRUE(defaults.has_value());
    EXPECT_EQ(defaults->index, "products");
    EXPECT_EQ(defaults->timeout.count(), 1500);
    EXPECT_FALSE(defaults->fallback_to_postgres);
    EXPECT_EQ(defaults->consumer_group, "product-search-indexer");

    Set("ELASTICSEARCH_INDEX", "shop-products");
    Set("ELASTICSEARCH_FALLBACK", "postgres");
    Set("ELASTICSEARCH_REPLICAS", "0");
    auto set = SearchSettings::FromEnv();
    EXPECT_EQ(set->index, "shop-products");
    EXPECT_TRUE(set->fallback_to_postgres);
    EXPECT_EQ(set->replicas, 0);
}

TEST_F(SearchEnv, MalformedValuesNameTheVariable) {
    auto error_of = [] {
        try {
            SearchSettings::FromEnv();
        } catch (const config::ConfigError& e) {
            return std::string(e.what());
        }
        return std::string();
    };
    Set("ELASTICSEARCH_URL", "127.0.0.1:9200");
    EXPECT_NE(error_of().find("ELASTICSEARCH_URL"), std::string::npos);
    Set("ELASTICSEARCH_URL", "https://user:secret@search.example:9200");
    Set("ELASTICSEARCH_INDEX", "Products/../x");
    EXPECT_NE(error_of().find("ELASTICSEARCH_INDEX"), std::string::npos);
    Set("ELASTICSEARCH_INDEX", "products");
    Set("ELASTICSEARCH_FALLBACK", "mysql");
    EXPECT_NE(error_of().find("ELASTICSEARCH_FALLBACK"), std::string::npos);
}

TEST(SearchIndexTest, DocumentsAreEscaped) {
    ProductRecord record{"id-1", 7, "Mug \"XL\"", "Holds\n1 l", 1250, "USD"};
    EXPECT_EQ(ProductDocument(record),
              R"({"id":"id-1","account_id":7,"name":"Mug \"XL\"","description":"Holds\n1 l","price_cents":1250,)"
              R"("currency":"USD"})");
}

TEST(OpenSearchClientTest, CredentialsStayOutOfLogs) {
    OpenSearchClient client("https://user:secret@search.example:9200/", std::chrono::milliseconds(100));
    EXPECT_EQ(client.display_url(), "https://search.example:9200");
}

}  // namespace
}  // namespace orderstream::product
