#include "search_settings.hpp"

#include <algorithm>
#include <cctype>

#include "orderstream/core/config.hpp"

namespace orderstream::product {
namespace {

bool StartsWith(const std::string& text, const char* prefix) { return text.rfind(prefix, 0) == 0; }

// Index names: lower case, no path or URL syntax (the name goes into request paths unescaped).
bool IsIndexName(const std::string& name) {
    if (name.empty() || name.size() > 200 || name[0] == '-' || name[0] == '_' || name[0] == '+') return false;
    return std::all_of(name.begin(), name.end(), [](unsigned char c) {
        return std::islower(c) || std::isdigit(c) || c == '-' || c == '_' || c == '.';
    });
}

}  // namespace

std::optional<SearchSettings> SearchSettings::FromEnv() {
    using config::Env;
    auto url = Env::Get("ELASTICSEARCH_URL");
    if (!url || url->empty()) return std::nullopt;
    if (!StartsWith(*url, "http://") && !StartsWith(*url, "https://")) {
        throw config::ConfigError("ELASTICSEARCH_URL: expected an http:// or https:// URL, got '" + *url + "'");
    }
    SearchSettings settings;
    settings.url = *url;
    settings.index = Env::String("ELASTICSEARCH_INDEX", settings.index);
    if (!IsIndexName(settings.index)) {
        throw config::ConfigError("ELASTICSEARCH_INDEX: expected a lower-case index name of [a-z0-9._-], got '" +
                                  settings.index + "'");
    }
    settings.timeout = std::chrono::milliseconds(Env::Int("ELASTICSEARCH_TIMEOUT_MS", 1'500, 50, 60'000));
    settings.connect_timeout =
        std::chrono::milliseconds(Env::Int("ELASTICSEARCH_CONNECT_TIMEOUT_MS", 500, 10, 60'000));
    auto fallback = Env::String("ELASTICSEARCH_FALLBACK", "none");
    if (fallback != "none" && fallback != "postgres") {
        throw config::ConfigError("ELASTICSEARCH_FALLBACK: expected none or postgres, got '" + fallback + "'");
    }
    settings.fallback_to_postgres = fallback == "postgres";
    settings.replicas = static_cast<int>(Env::Int("ELASTICSEARCH_REPLICAS", 1, 0, 10));
    settings.shards = static_cast<int>(Env::Int("ELASTICSEARCH_SHARDS", 1, 1, 64));
    settings.consumer_group = Env::String("PRODUCT_SEARCH_CONSUMER_GROUP", settings.consumer_group);
    if (settings.consumer_group.empty()) throw config::ConfigError("PRODUCT_SEARCH_CONSUMER_GROUP: must not be empty");
    return settings;
}

}  // namespace orderstream::product
