#include "order_status_feed.hpp"

#include <stdexcept>
#include <vector>

#include <librdkafka/rdkafkacpp.h>
#include <spdlog/spdlog.h>

#include "orderstream/core/metrics.hpp"

namespace orderstream::gateway {
namespace {

long long NowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

struct FeedMetrics {
    metrics::Gauge& partitions = metrics::Registry::Global().GetGauge(
        "gateway_order_feed_partitions", "order_events partitions this gateway instance reads.");
    metrics::Counter& ignored = metrics::Registry::Global().GetCounter(
        "gateway_order_events_total", "order_events records read, by outcome.", {{"outcome", "ignored"}});
    metrics::Counter& malformed = metrics::Registry::Global().GetCounter(
        "gateway_order_events_total", "order_events records read, by outcome.", {{"outcome", "malformed"}});
    metrics::Histogram& lag = metrics::Registry::Global().GetHistogram(
        "gateway_order_events_lag_seconds", "From an order_events record's producer timestamp to its reading.");
};

FeedMetrics& Metrics() {
    static FeedMetrics instance;
    return instance;
}

}  // namespace

// librdkafka's errors through spdlog, the same one at most every 10 s (a broker outage otherwise logs
// every reconnect attempt).
class OrderFeedEventLogger : public RdKafka::EventCb {
public:
    void event_cb(RdKafka::Event& event) override {
        if (event.type() != RdKafka::Event::EVENT_ERROR) return;
        std::string text = RdKafka::err2str(event.err()) + ": " + event.str();
        auto now = NowMs();
        std::lock_guard lock(mutex_);
        if (text == last_ && now - last_ms_ < 10'000) return;
        last_ = text;
        last_ms_ = now;
        spdlog::warn("order status feed: kafka: {}", text);
    }

private:
    std::mutex mutex_;
    std::string last_;
    long long last_ms_ = 0;
};

OrderStatusFeed::OrderStatusFeed(OrderStatusFeedOptions options, std::function<void(const OrderStatusChange&)> publish)
    : options_(std::move(options)), publish_(std::move(publish)), started_ms_(NowMs()) {}

OrderStatusFeed::~OrderStatusFeed() { Stop(); }

void OrderStatusFeed::Start() {
    logger_ = std::make_unique<OrderFeedEventLogger>();
    std::map<std::string, std::string> settings = {
        {"bootstrap.servers", options_.bootstrap_servers},
        {"client.id", "orderstream-gateway"},
        // Required by the consumer API; no group is ever joined (partitions are assigned by hand) and no
        // offset is committed.
        {"group.id", "orderstream-gateway-order-feed"},
        {"enable.auto.commit", "false"},
        {"enable.auto.offset.store", "false"},
        {"enable.partition.eof", "false"},
        // A fetch returns as soon as a record arrives; these bound the wait when the broker has nothing.
        {"fetch.wait.max.ms", "100"},
        {"fetch.error.backoff.ms", "100"},
        {"socket.nagle.disable", "true"},
        {"reconnect.backoff.max.ms", "2000"},
    };
    for (const auto& [name, value] : options_.kafka_overrides) settings[name] = value;
    std::unique_ptr<RdKafka::Conf> conf(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
    std::string error;
    for (const auto& [name, value] : settings) {
        if (conf->set(name, value, error) != RdKafka::Conf::CONF_OK) {
            throw std::invalid_argument("kafka setting " + name + "=" + value + ": " + error);
        }
    }
    if (conf->set("event_cb", static_cast<RdKafka::EventCb*>(logger_.get()), error) != RdKafka::Conf::CONF_OK) {
        throw std::invalid_argument("kafka event_cb: " + error);
    }
    consumer_.reset(RdKafka::KafkaConsumer::create(conf.get(), error));
    if (!consumer_) throw std::invalid_argument("creating the order status feed's consumer: " + error);
    thread_ = std::thread([this] { Run(); });
    std::unique_lock lock(mutex_);
    // Partitions found later still start at this instance's start time, so this wait only saves the
    // first subscribers the time until the reader has positioned itself.
    if (!assigned_changed_.wait_for(lock, options_.initial_wait, [&] { return answered_.load(); })) {
        spdlog::warn("order status feed: no answer from {} yet; reading {} once it answers",
                     options_.bootstrap_servers, options_.topic);
    } else if (!assigned_) {
        spdlog::info("order status feed: {} does not exist yet; reading it once it does", options_.topic);
    }
}

void OrderStatusFeed::Stop() {
    if (stopping_.exchange(true)) return;
    if (thread_.joinable()) thread_.join();
    if (consumer_) {
        consumer_->close();
        consumer_.reset();
    }
    Metrics().partitions.Set(0);
}

void OrderStatusFeed::Run() {
    while (!stopping_) {
        if (std::chrono::steady_clock::now() >= next_metadata_) Assign();
        if (partitions_.empty()) {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
            continue;
        }
        std::unique_ptr<RdKafka::Message> message(consumer_->consume(100));
        switch (message->err()) {
            case RdKafka::ERR_NO_ERROR: {
                std::string key = message->key() ? *message->key() : std::string();
                std::string value(static_cast<const char*>(message->payload()), message->len());
                Handle(key, value, message->timestamp().timestamp);
                break;
            }
            case RdKafka::ERR__TIMED_OUT:
            case RdKafka::ERR__PARTITION_EOF: break;
            default: {
                auto now = NowMs();
                if (now - last_warning_ms_ > 10'000) {
                    last_warning_ms_ = now;
                    spdlog::warn("order status feed: {}", message->errstr());
                }
            }
        }
    }
}

// Looks for partitions of the topic not read yet (all of them at first; new ones later) and starts each
// at the first record produced since the instance started.
void OrderStatusFeed::Assign() {
    next_metadata_ = std::chrono::steady_clock::now() + std::chrono::milliseconds(partitions_.empty() ? 500 : 30'000);
    std::string error;
    std::unique_ptr<RdKafka::Topic> topic(RdKafka::Topic::create(consumer_.get(), options_.topic, nullptr, error));
    if (!topic) return;
    RdKafka::Metadata* raw = nullptr;
    if (consumer_->metadata(false, topic.get(), &raw, 2000) != RdKafka::ERR_NO_ERROR) return;
    std::unique_ptr<RdKafka::Metadata> metadata(raw);
    // Whatever happens below, the broker answered: Start() need not wait any longer.
    struct Answered {
        OrderStatusFeed& feed;
        ~Answered() {
            {
                std::lock_guard lock(feed.mutex_);
                feed.answered_ = true;
            }
            feed.assigned_changed_.notify_all();
        }
    } answered{*this};
    std::vector<int> fresh;
    for (const auto* described : *metadata->topics()) {
        if (described->topic() != options_.topic || described->err() != RdKafka::ERR_NO_ERROR) continue;
        for (const auto* partition : *described->partitions()) {
            if (!partitions_.count(partition->id())) fresh.push_back(partition->id());
        }
    }
    if (fresh.empty()) return;

    std::vector<RdKafka::TopicPartition*> assignment;
    std::vector<std::int64_t> highs;
    for (int id : fresh) {
        // The high watermark first: a record produced after it is at or beyond it, one produced before
        // is found by its timestamp below.
        std::int64_t low = 0, high = 0;
        if (consumer_->query_watermark_offsets(options_.topic, id, &low, &high, 2000) != RdKafka::ERR_NO_ERROR) {
            return RdKafka::TopicPartition::destroy(assignment);
        }
        highs.push_back(high);
        assignment.push_back(RdKafka::TopicPartition::create(options_.topic, id, started_ms_));
    }
    if (consumer_->offsetsForTimes(assignment, 2000) != RdKafka::ERR_NO_ERROR) {
        return RdKafka::TopicPartition::destroy(assignment);
    }
    for (std::size_t i = 0; i < assignment.size(); ++i) {
        // -1: nothing was produced since the start; begin at the high watermark read before.
        if (assignment[i]->err() != RdKafka::ERR_NO_ERROR || assignment[i]->offset() < 0) {
            assignment[i]->set_offset(highs[i]);
        }
    }
    auto assigned = consumer_->incremental_assign(assignment);
    RdKafka::TopicPartition::destroy(assignment);
    if (assigned) {
        spdlog::warn("order status feed: assigning {} partitions failed: {}", fresh.size(), assigned->str());
        delete assigned;
        return;
    }
    partitions_.insert(fresh.begin(), fresh.end());
    Metrics().partitions.Set(static_cast<double>(partitions_.size()));
    spdlog::info("order status feed: reading {} partition(s) of {}", partitions_.size(), options_.topic);
    assigned_ = true;
}

void OrderStatusFeed::Handle(const std::string& key, const std::string& value, long long timestamp_ms) {
    if (timestamp_ms > 0) Metrics().lag.Observe(std::max(0LL, NowMs() - timestamp_ms) / 1000.0);
    auto parsed = ParseOrderEventRecord(key, value);
    if (!parsed.ok()) {
        Metrics().malformed.Increment();
        auto now = NowMs();
        if (now - last_warning_ms_ > 10'000) {
            last_warning_ms_ = now;
            spdlog::warn("order status feed: skipping a malformed record (key {:.40}): {}", key, parsed.error().message);
        }
        return;
    }
    if (!parsed->has_value()) {
        Metrics().ignored.Increment();
        return;
    }
    publish_(**parsed);
}

}  // namespace orderstream::gateway
