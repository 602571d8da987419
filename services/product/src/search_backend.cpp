#include "search_backend.hpp"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "orderstream/core/config.hpp"
#include "orderstream/contracts/topics.hpp"
#include "search_reindex.hpp"

namespace orderstream::product {

SearchBackend::SearchBackend(pg::Pool& pool, std::string database_url, ProductSearch& postgres)
    : pool_(pool), database_url_(std::move(database_url)), settings_(SearchSettings::FromEnv()), postgres_(postgres) {
    if (!settings_) {
        spdlog::info("product search: PostgreSQL full-text search (ELASTICSEARCH_URL is not set)");
        return;
    }
    client_ = std::make_unique<OpenSearchClient>(settings_->url, settings_->connect_timeout);
    index_ = std::make_unique<SearchIndex>(*client_, *settings_);
    engine_ = std::make_unique<OpenSearchProductSearch>(*client_, settings_->index, settings_->timeout,
                                                        settings_->fallback_to_postgres ? &postgres_ : nullptr);
    indexer_ = std::make_unique<SearchIndexer>(*index_);
    events::EventConsumerOptions consuming;
    consuming.database_url = database_url_;
    consuming.bootstrap_servers = config::Env::String("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092");
    consuming.topic_prefix = config::Env::String("KAFKA_TOPIC_PREFIX", "");
    consuming.group_id = settings_->consumer_group;
    consuming.topics = {std::string(contracts::topics::kProductEvents)};
    consuming.handler = [this](pqxx::work& tx, const events::Envelope& event) { return indexer_->Apply(tx, event); };
    // Each event is one small HTTP write; a smaller batch keeps a retried batch cheap.
    consuming.max_batch = 200;
    // An engine back from an outage is caught up within a couple of seconds.
    consuming.max_backoff = std::chrono::milliseconds(2'000);
    consumer_ = std::make_unique<events::EventConsumer>(std::move(consuming));
    spdlog::info("product search: {} index '{}' (timeout {} ms, fallback {}), indexed by consumer group {}",
                 client_->display_url(), settings_->index, settings_->timeout.count(),
                 settings_->fallback_to_postgres ? "PostgreSQL" : "none", settings_->consumer_group);
}

SearchBackend::~SearchBackend() { Stop(); }

ProductSearch& SearchBackend::search() {
    if (engine_) return *engine_;
    return postgres_;
}

void SearchBackend::Start() {
    if (!settings_) return;
    bootstrap_ = std::thread([this] { Bootstrap(); });
    consumer_->Start();
}

void SearchBackend::Stop() {
    {
        std::lock_guard lock(mutex_);
        if (stopping_) return;
        stopping_ = true;
    }
    wake_.notify_all();
    if (bootstrap_.joinable()) bootstrap_.join();
    if (consumer_) consumer_->Stop();
}

bool SearchBackend::SleepUnlessStopping(std::chrono::milliseconds delay) {
    std::unique_lock lock(mutex_);
    return !wake_.wait_for(lock, delay, [this] { return stopping_; });
}

// Until the alias exists: create it, and fill a newly created index from PostgreSQL (the
// events still in Kafka need not cover the whole catalog). The consumer meanwhile waits on
// the missing index with backoff.
void SearchBackend::Bootstrap() {
    std::chrono::milliseconds delay(250);
    bool warned = false;
    for (;;) {
        {
            std::lock_guard lock(mutex_);
            if (stopping_) return;
        }
        auto created = index_->EnsureExists();
        if (created.ok() && !*created) return;
        if (created.ok()) {
            spdlog::info("search index '{}' created; loading the catalog from PostgreSQL", settings_->index);
            SearchReindex loader(pool_, *index_);
            auto loaded = loader.Load(index_->alias(), nullptr);
            if (loaded.ok()) {
                spdlog::info("search index '{}' loaded: {} products", settings_->index, *loaded);
                return;
            }
            spdlog::warn("loading search index '{}' failed: {}; retrying", settings_->index, loaded.error().message);
            if (auto targets = index_->AliasTargets(); targets.ok()) {
                for (const auto& index : *targets) (void)index_->DeleteIndex(index);
            }
        } else if (!warned) {
            spdlog::warn("search engine not ready, will create index '{}' when it is: {}", settings_->index,
                         created.error().message);
            warned = true;
        }
        if (!SleepUnlessStopping(delay)) return;
        delay = std::min(delay * 2, std::chrono::milliseconds(5'000));
    }
}

}  // namespace orderstream::product
