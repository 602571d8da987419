#include "orderstream/events/event_consumer.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <stdexcept>
#include <unordered_set>

#include <spdlog/spdlog.h>

#include "backoff.hpp"
#include "kafka_config.hpp"
#include "orderstream/core/log.hpp"
#include "orderstream/core/metrics.hpp"
#include "orderstream/core/trace_context.hpp"
#include "orderstream/events/topic_admin.hpp"
#include "orderstream/pg/pool.hpp"

namespace orderstream::events {
namespace {

// Records the ids of this consumer group not seen before and returns them; an id recorded
// before processed_events was keyed by group (group '') counts as seen.
constexpr const char* kRecordProcessed =
    "INSERT INTO processed_events (consumer_group, event_id) SELECT $2, id FROM unnest($1::uuid[]) AS id"
    " WHERE NOT EXISTS (SELECT 1 FROM processed_events legacy WHERE legacy.consumer_group = '' AND legacy.event_id = id)"
    " ON CONFLICT DO NOTHING RETURNING event_id::text";

// One Kafka message of a batch, parsed once.
struct Incoming {
    std::unique_ptr<RdKafka::Message> message;
    std::optional<Envelope> envelope;
    std::string parse_error;
    std::string trace_id;
};

enum class Outcome { kDone, kTransient };

// What a handler run came to: ok, a transient failure (retry later, keep the offset) or a
// permanent one (retry a few times, then dead-letter).
struct HandlerResult {
    Status status;
    bool transient = false;
};

bool IsTransientSqlState(const std::string& state) {
    // 08: connection exception, 40: transaction rollback (serialization, deadlock),
    // 53: insufficient resources, 57P: operator intervention (shutdown, crash recovery).
    return state.rfind("08", 0) == 0 || state.rfind("40", 0) == 0 || state.rfind("53", 0) == 0 ||
           state.rfind("57P", 0) == 0;
}

// Database trouble that should be retried rather than dead-lettered.
bool IsTransient(const std::exception& e) {
    if (dynamic_cast<const pqxx::broken_connection*>(&e) != nullptr) return true;
    if (dynamic_cast<const pqxx::in_doubt_error*>(&e) != nullptr) return true;
    if (dynamic_cast<const pg::Unavailable*>(&e) != nullptr) return true;
    if (const auto* sql = dynamic_cast<const pqxx::sql_error*>(&e)) return IsTransientSqlState(sql->sqlstate());
    return false;
}

std::string LowerCase(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

class Rebalancer : public RdKafka::RebalanceCb {
public:
    void rebalance_cb(RdKafka::KafkaConsumer* consumer, RdKafka::ErrorCode err,
                      std::vector<RdKafka::TopicPartition*>& partitions) override {
        bool cooperative = consumer->rebalance_protocol() == "COOPERATIVE";
        if (err == RdKafka::ERR__ASSIGN_PARTITIONS) {
            if (cooperative) {
                delete consumer->incremental_assign(partitions);
            } else {
                consumer->assign(partitions);
            }
            return;
        }
        // Revoked: commit what was applied before another member takes the partitions over.
        consumer->commitSync();
        if (cooperative) {
            delete consumer->incremental_unassign(partitions);
        } else {
            consumer->unassign();
        }
    }
};

}  // namespace

class EventConsumer::Worker {
public:
    Worker(EventConsumer& owner)
        : owner_(owner),
          options_(owner.options_),
          handled_metric_(metrics::Registry::Global().GetCounter(
              "orderstream_events_handled_total", "Events applied by a consumer", {{"group", options_.group_id}})),
          duplicates_metric_(metrics::Registry::Global().GetCounter("orderstream_events_duplicates_total",
                                                                    "Redelivered events skipped by a consumer",
                                                                    {{"group", options_.group_id}})),
          dead_letters_metric_(metrics::Registry::Global().GetCounter("orderstream_events_dead_lettered_total",
                                                                      "Messages a consumer moved to dead_letters",
                                                                      {{"group", options_.group_id}})),
          lag_metric_(metrics::Registry::Global().GetGauge("orderstream_events_consumer_lag",
                                                           "Messages behind the partition ends",
                                                           {{"group", options_.group_id}})) {}

    ~Worker() {
        consumer_.reset();
        conn_.reset();
    }

    void Run() {
        CreateConsumer();
        Backoff backoff(options_.max_backoff);
        auto next_lag_update = std::chrono::steady_clock::now();
        auto last_commit = std::chrono::steady_clock::now();
        while (!owner_.stopping_.load()) {
            try {
                if (!conn_) conn_ = std::make_unique<pqxx::connection>(options_.database_url);
            } catch (const std::exception& e) {
                spdlog::warn("event consumer {}: database unavailable: {}; retrying", options_.group_id, e.what());
                SleepUnlessStopping(backoff.Next(), owner_.stopping_);
                continue;
            }
            auto batch = Collect();
            if (!batch.empty()) {
                if (Apply(batch) == Outcome::kTransient) {
                    SleepUnlessStopping(backoff.Next(), owner_.stopping_);
                } else {
                    backoff.Reset();
                }
            }
            auto now = std::chrono::steady_clock::now();
            if (uncommitted_ && now - last_commit >= std::chrono::milliseconds(50)) {
                consumer_->commitAsync();
                uncommitted_ = false;
                last_commit = now;
            }
            if (now >= next_lag_update) {
                UpdateLag();
                next_lag_update = now + std::chrono::seconds(1);
            }
        }
        if (uncommitted_) consumer_->commitSync();
        consumer_->close();
    }

private:
    void CreateConsumer() {
        auto conf = MakeKafkaConf(
            {
                {"bootstrap.servers", options_.bootstrap_servers},
                {"group.id", options_.group_id},
                {"client.id", "orderstream-consumer-" + options_.group_id},
                // Offsets are stored by us after the handler's transaction committed, and committed
                // explicitly: never for a message whose effect is not durable.
                {"enable.auto.commit", "false"},
                {"enable.auto.offset.store", "false"},
                {"auto.offset.reset", "earliest"},
                {"enable.partition.eof", "false"},
                {"session.timeout.ms", "10000"},
                {"reconnect.backoff.ms", "100"},
                {"reconnect.backoff.max.ms", "1000"},
                // A subscribed topic that does not exist yet (created by its first event) is
                // found within seconds rather than at the 5-minute default refresh.
                {"topic.metadata.refresh.interval.ms", "2000"},
            },
            options_.consumer_config);
        std::string error;
        if (conf->set("rebalance_cb", static_cast<RdKafka::RebalanceCb*>(&rebalancer_), error) !=
                RdKafka::Conf::CONF_OK ||
            conf->set("event_cb", static_cast<RdKafka::EventCb*>(&events_), error) != RdKafka::Conf::CONF_OK) {
            throw std::runtime_error("kafka consumer callbacks: " + error);
        }
        consumer_.reset(RdKafka::KafkaConsumer::create(conf.get(), error));
        if (!consumer_) throw std::invalid_argument("kafka consumer: " + error);
        std::vector<std::string> topics;
        for (const auto& topic : options_.topics) topics.push_back(options_.topic_prefix + topic);
        // Best effort: a missing topic is created with the broker's defaults, so no event
        // published before this group's first rebalance is skipped (on clusters that refuse,
        // the subscription waits for the topic instead).
        for (const auto& topic : topics) {
            if (auto created = CreateTopic(options_.bootstrap_servers, topic, -1, std::chrono::seconds(10)); !created.ok()) {
                spdlog::debug("event consumer {}: topic {} not created: {}", options_.group_id, topic,
                              created.error().message);
            }
        }
        auto err = consumer_->subscribe(topics);
        if (err != RdKafka::ERR_NO_ERROR) throw std::invalid_argument("kafka subscribe: " + RdKafka::err2str(err));
    }

    // Up to max_batch messages: waits briefly for the first, then takes what is already fetched.
    std::vector<Incoming> Collect() {
        std::vector<Incoming> batch;
        while (batch.size() < options_.max_batch) {
            std::unique_ptr<RdKafka::Message> message(consumer_->consume(batch.empty() ? 100 : 0));
            auto err = message->err();
            if (err == RdKafka::ERR__TIMED_OUT || err == RdKafka::ERR__PARTITION_EOF) break;
            if (err != RdKafka::ERR_NO_ERROR) {
                spdlog::debug("event consumer {}: {}", options_.group_id, message->errstr());
                break;
            }
            Incoming item;
            item.message = std::move(message);
            Parse(item);
            batch.push_back(std::move(item));
        }
        return batch;
    }

    static void Parse(Incoming& item) {
        const auto* payload = static_cast<const char*>(item.message->payload());
        auto parsed = ParseEnvelope(std::string_view(payload == nullptr ? "" : payload, item.message->len()));
        if (parsed.ok()) {
            item.envelope = std::move(parsed).value();
            item.envelope->id = LowerCase(std::move(item.envelope->id));
        } else {
            item.parse_error = parsed.error().message;
        }
        if (auto* headers = item.message->headers()) {
            auto header = headers->get_last(std::string(trace::kTraceparentHeader));
            if (header.err() == RdKafka::ERR_NO_ERROR && header.value() != nullptr) {
                auto trace_id = trace::ParseTraceparent(
                    std::string_view(static_cast<const char*>(header.value()), header.value_size()));
                if (trace_id) item.trace_id = *trace_id;
            }
        }
        if (item.trace_id.empty()) item.trace_id = log::NewRequestId();
    }

    // Fast path: the whole batch in one transaction. When a handler fails, the batch is
    // rolled back and replayed one message per transaction (ApplyOneByOne).
    Outcome Apply(std::vector<Incoming>& batch) {
        std::uint64_t handled = 0, duplicates = 0;
        std::vector<const Incoming*> dead_lettered;
        bool handler_failed = false;
        try {
            pqxx::work tx(*conn_, "event_consumer");
            std::string ids = "{";
            for (const auto& item : batch) {
                if (!item.envelope) continue;
                if (ids.size() > 1) ids += ',';
                ids += item.envelope->id;
            }
            ids += '}';
            std::unordered_set<std::string> fresh;
            for (const auto& row : tx.exec_params(kRecordProcessed, ids, options_.group_id)) {
                fresh.insert(row[0].as<std::string>());
            }
            for (auto& item : batch) {
                if (!item.envelope) {
                    InsertDeadLetter(tx, item, item.parse_error);
                    dead_lettered.push_back(&item);
                    continue;
                }
                if (fresh.erase(item.envelope->id) == 0) {
                    ++duplicates;
                    continue;
                }
                auto result = RunHandler(tx, item);
                if (!result.status.ok()) {
                    handler_failed = true;
                    break;
                }
                ++handled;
            }
            // A handler that swallowed an SQL error left the transaction aborted: libpqxx then
            // refuses the commit, and the batch is replayed one message at a time.
            if (!handler_failed) tx.commit();
        } catch (const std::exception& e) {
            if (IsTransient(e)) {
                // The database is unreachable: keep the offsets and retry after a pause.
                spdlog::warn("event consumer {}: applying a batch failed: {}; retrying", options_.group_id,
                             e.what());
                conn_.reset();
                SeekBack(batch, 0);
                return Outcome::kTransient;
            }
            // E.g. the commit refused a handler's work: find the culprit one message at a time.
            handler_failed = true;
        }
        if (handler_failed) return ApplyOneByOne(batch);
        if (options_.after_commit_for_test) options_.after_commit_for_test();
        StoreOffsets(batch, 0, batch.size());
        for (const auto* item : dead_lettered) LogDeadLetter(*item, item->parse_error);
        Count(handled, duplicates, dead_lettered.size());
        return Outcome::kDone;
    }

    Outcome ApplyOneByOne(std::vector<Incoming>& batch) {
        for (std::size_t i = 0; i < batch.size(); ++i) {
            if (owner_.stopping_.load() || ApplyOne(batch[i]) == Outcome::kTransient) {
                SeekBack(batch, i);
                return Outcome::kTransient;
            }
            if (options_.after_commit_for_test) options_.after_commit_for_test();
            StoreOffsets(batch, i, i + 1);
        }
        return Outcome::kDone;
    }

    // One message in its own transaction. Failures of our own statements (dedupe, dead letter)
    // stall with backoff: a broken database must not dead-letter good messages. Failures of the
    // handler, or of the commit of its work, are the message's: retried, then dead-lettered.
    Outcome ApplyOne(Incoming& item) {
        try {
            if (!item.envelope) return DeadLetter(item, item.parse_error);
            std::string last_error;
            for (int attempt = 1; attempt <= options_.max_handler_attempts; ++attempt) {
                HandlerResult result;
                {
                    pqxx::work tx(*conn_, "event_consumer");
                    auto inserted = tx.exec_params(kRecordProcessed, "{" + item.envelope->id + "}", options_.group_id);
                    if (inserted.affected_rows() == 0) {
                        tx.commit();
                        Count(0, 1, 0);
                        return Outcome::kDone;
                    }
                    result = RunHandler(tx, item);
                    if (result.status.ok()) result = Commit(tx);
                    if (result.status.ok()) {
                        Count(1, 0, 0);
                        return Outcome::kDone;
                    }
                }  // rolled back here unless committed
                if (result.transient) {
                    spdlog::warn("event consumer {}: event {} failed transiently: {}; retrying", options_.group_id,
                                 item.envelope->id, result.status.error().message);
                    return Outcome::kTransient;
                }
                last_error = result.status.error().message;
                if (attempt < options_.max_handler_attempts) {
                    SleepUnlessStopping(std::chrono::milliseconds(50 * attempt), owner_.stopping_);
                }
            }
            return DeadLetter(item, "handler failed " + std::to_string(options_.max_handler_attempts) +
                                        " times: " + last_error);
        } catch (const std::exception& e) {
            spdlog::warn("event consumer {}: {}; retrying", options_.group_id, e.what());
            conn_.reset();
            return Outcome::kTransient;
        }
    }

    // Commits the handler's work. A commit refused for the handler's sake (a deferred
    // constraint, a transaction the handler broke and hid) is the handler's failure.
    static HandlerResult Commit(pqxx::work& tx) {
        try {
            tx.commit();
            return {};
        } catch (const std::exception& e) {
            return {Error::Internal(std::string("commit failed: ") + e.what()), IsTransient(e)};
        }
    }

    HandlerResult RunHandler(pqxx::work& tx, const Incoming& item) {
        log::RequestScope scope(item.trace_id);
        try {
            auto status = options_.handler(tx, *item.envelope);
            bool transient = !status.ok() && status.error().code == ErrorCode::kUnavailable;
            return {std::move(status), transient};
        } catch (const std::exception& e) {
            return {Error::Internal(std::string("handler threw: ") + e.what()), IsTransient(e)};
        }
    }

    Outcome DeadLetter(const Incoming& item, const std::string& error) {
        pqxx::work tx(*conn_, "event_consumer_dead_letter");
        InsertDeadLetter(tx, item, error);
        tx.commit();
        LogDeadLetter(item, error);
        Count(0, 0, 1);
        return Outcome::kDone;
    }

    void LogDeadLetter(const Incoming& item, const std::string& error) const {
        const auto& m = *item.message;
        spdlog::error("event consumer {}: moved {}[{}]@{} to dead_letters: {}", options_.group_id, m.topic_name(),
                      m.partition(), m.offset(), error);
    }

    void InsertDeadLetter(pqxx::work& tx, const Incoming& item, const std::string& error) {
        const auto& m = *item.message;
        pqxx::binarystring key(m.key_pointer() == nullptr ? "" : m.key_pointer(),
                               m.key_pointer() == nullptr ? 0 : m.key_len());
        pqxx::binarystring payload(m.payload(), m.payload() == nullptr ? 0 : m.len());
        std::string event_id = item.envelope ? item.envelope->id : std::string();
        tx.exec_params(
            "INSERT INTO dead_letters (consumer_group, topic, \"partition\", \"offset\", key, payload, event_id, error)"
            " VALUES ($8, $1, $2, $3, $4, $5, NULLIF($6, '')::uuid, $7)"
            " ON CONFLICT (consumer_group, topic, \"partition\", \"offset\") DO NOTHING",
            m.topic_name(), m.partition(), static_cast<long long>(m.offset()), key, payload, event_id, error,
            options_.group_id);
    }

    // Marks batch[from, to) as applied: the next commit includes them.
    void StoreOffsets(const std::vector<Incoming>& batch, std::size_t from, std::size_t to) {
        std::map<std::pair<std::string, int>, std::int64_t> next;
        for (std::size_t i = from; i < to; ++i) {
            const auto& m = *batch[i].message;
            auto& offset = next[{m.topic_name(), m.partition()}];
            offset = std::max<std::int64_t>(offset, m.offset() + 1);
        }
        std::vector<RdKafka::TopicPartition*> partitions;
        for (const auto& [tp, offset] : next) {
            partitions.push_back(RdKafka::TopicPartition::create(tp.first, tp.second, offset));
        }
        consumer_->offsets_store(partitions);  // partitions revoked meanwhile are refused: fine
        RdKafka::TopicPartition::destroy(partitions);
        uncommitted_ = true;
    }

    // Rewinds every partition of batch[from...] to its first unapplied message, so that it
    // is fetched again after the backoff.
    void SeekBack(const std::vector<Incoming>& batch, std::size_t from) {
        std::map<std::pair<std::string, int>, std::int64_t> first;
        for (std::size_t i = from; i < batch.size(); ++i) {
            const auto& m = *batch[i].message;
            auto key = std::make_pair(m.topic_name(), m.partition());
            if (!first.contains(key)) first[key] = m.offset();
        }
        for (const auto& [tp, offset] : first) {
            std::unique_ptr<RdKafka::TopicPartition> partition(
                RdKafka::TopicPartition::create(tp.first, tp.second, offset));
            auto err = consumer_->seek(*partition, 5000);
            if (err != RdKafka::ERR_NO_ERROR) {
                spdlog::warn("event consumer {}: seek {}[{}] to {} failed: {}", options_.group_id, tp.first,
                             tp.second, offset, RdKafka::err2str(err));
            }
        }
    }

    void Count(std::uint64_t handled, std::uint64_t duplicates, std::uint64_t dead) {
        owner_.handled_.fetch_add(handled);
        owner_.duplicates_.fetch_add(duplicates);
        owner_.dead_lettered_.fetch_add(dead);
        handled_metric_.Increment(handled);
        duplicates_metric_.Increment(duplicates);
        dead_letters_metric_.Increment(dead);
    }

    // From the watermarks librdkafka caches with every fetch: no broker round trip.
    void UpdateLag() {
        std::vector<RdKafka::TopicPartition*> partitions;
        if (consumer_->assignment(partitions) != RdKafka::ERR_NO_ERROR) return;
        consumer_->position(partitions);
        std::int64_t lag = 0;
        for (auto* p : partitions) {
            std::int64_t low = 0, high = 0;
            if (p->offset() < 0) continue;
            if (consumer_->get_watermark_offsets(p->topic(), p->partition(), &low, &high) == RdKafka::ERR_NO_ERROR &&
                high > p->offset()) {
                lag += high - p->offset();
            }
        }
        RdKafka::TopicPartition::destroy(partitions);
        lag_metric_.Set(static_cast<double>(lag));
    }

    EventConsumer& owner_;
    const EventConsumerOptions& options_;
    metrics::Counter& handled_metric_;
    metrics::Counter& duplicates_metric_;
    metrics::Counter& dead_letters_metric_;
    metrics::Gauge& lag_metric_;
    Rebalancer rebalancer_;
    KafkaEventLogger events_{"event consumer"};
    std::unique_ptr<RdKafka::KafkaConsumer> consumer_;
    std::unique_ptr<pqxx::connection> conn_;
    bool uncommitted_ = false;
};

EventConsumer::EventConsumer(EventConsumerOptions options) : options_(std::move(options)) {
    if (!options_.handler) throw std::invalid_argument("EventConsumer: handler is required");
    if (options_.topics.empty()) throw std::invalid_argument("EventConsumer: at least one topic is required");
    if (options_.group_id.empty()) throw std::invalid_argument("EventConsumer: group_id is required");
    if (options_.max_batch == 0 || options_.max_handler_attempts < 1 || options_.threads == 0) {
        throw std::invalid_argument("EventConsumer: threads, max_batch and max_handler_attempts must be positive");
    }
    MakeKafkaConf({}, options_.consumer_config);  // a bad property is a setup error: fail here
}

EventConsumer::~EventConsumer() { Stop(); }

void EventConsumer::Start() {
    if (!threads_.empty()) return;
    stopping_ = false;
    for (std::size_t i = 0; i < options_.threads; ++i) workers_.push_back(std::make_unique<Worker>(*this));
    for (auto& worker : workers_) {
        threads_.emplace_back([this, w = worker.get()] {
            try {
                w->Run();
            } catch (const std::exception& e) {
                spdlog::error("event consumer {} stopped: {}", options_.group_id, e.what());
            }
        });
    }
}

void EventConsumer::Stop() {
    stopping_ = true;
    for (auto& thread : threads_) thread.join();
    threads_.clear();
    workers_.clear();
}

EventConsumer::Stats EventConsumer::stats() const {
    return {handled_.load(), duplicates_.load(), dead_lettered_.load()};
}

}  // namespace orderstream::events
