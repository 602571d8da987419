#include <cstdio>

#include "orderstream/core/config.hpp"
#include "orderstream/product/role.hpp"
#include "orderstream/product/search_reindex_command.hpp"
#include "orderstream/runtime/database.hpp"
#include "search_reindex.hpp"
#include "search_settings.hpp"

namespace orderstream::product {

int RunReindex(const std::vector<std::string>& args) {
    if (!args.empty()) {
        std::fprintf(stderr, "usage: orderstream product reindex (settings from ELASTICSEARCH_* and DATABASE_URL)\n");
        return 2;
    }
    auto settings = SearchSettings::FromEnv();
    if (!settings) throw config::ConfigError("ELASTICSEARCH_URL: required by `orderstream product reindex`");
    auto database = runtime::OpenRoleDatabase("product_db", Migrations());
    OpenSearchClient client(settings->url, settings->connect_timeout);
    SearchIndex index(client, *settings);
    SearchReindex reindex(*database.pool, index);

    std::printf("reindex: rebuilding '%s' on %s from PostgreSQL\n", settings->index.c_str(),
                client.display_url().c_str());
    std::fflush(stdout);
    double last_report = -1;
    auto summary = reindex.Rebuild([&](const ReindexProgress& p) {
        // About once a second, and always the last batch.
        if (p.seconds - last_report < 1.0 && p.indexed < p.total) return;
        last_report = p.seconds;
        double percent = p.total == 0 ? 100.0 : 100.0 * static_cast<double>(p.indexed) / static_cast<double>(p.total);
        std::printf("reindex: %llu/%llu products (%.0f%%), %.1fs, %.0f/s\n",
                    static_cast<unsigned long long>(p.indexed), static_cast<unsigned long long>(p.total), percent,
                    p.seconds, p.seconds > 0 ? static_cast<double>(p.indexed) / p.seconds : 0.0);
        std::fflush(stdout);
    });
    if (!summary.ok()) {
        std::fprintf(stderr, "reindex: failed: %s\n", summary.error().message.c_str());
        return 1;
    }
    std::printf("reindex: done: %llu products in index %s (alias '%s'), %llu changed meanwhile written again, %.1fs\n",
                static_cast<unsigned long long>(summary->indexed), summary->index.c_str(), settings->index.c_str(),
                static_cast<unsigned long long>(summary->caught_up), summary->seconds);
    return 0;
}

}  // namespace orderstream::product
