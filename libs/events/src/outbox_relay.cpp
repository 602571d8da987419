#include "orderstream/events/outbox_relay.hpp"

#include <map>
#include <stdexcept>
#include <vector>

#include <pqxx/pqxx>
#include <spdlog/spdlog.h>

#include "backoff.hpp"
#include "kafka_config.hpp"
#include "orderstream/core/config.hpp"
#include "orderstream/core/metrics.hpp"
#include "orderstream/events/outbox.hpp"
#include "orderstream/core/trace_context.hpp"

namespace orderstream::events {
namespace {

// Held (per transaction) by the relay that is publishing; the others stand by. One
// publisher at a time keeps the per-key order that Kafka consumers rely on.
constexpr long long kRelayLockKey = 0x0D5E'57EA'0002LL;

struct PendingRow {
    long long id = 0;
    std::string event_id;
    std::string topic;
    std::string key;
    std::string payload;
    std::string trace_id;
    bool reported = false;
    RdKafka::ErrorCode result = RdKafka::ERR_NO_ERROR;
};

class DeliveryReports : public RdKafka::DeliveryReportCb {
public:
    void dr_cb(RdKafka::Message& message) override {
        auto* row = static_cast<PendingRow*>(message.msg_opaque());
        if (row == nullptr || row->reported) return;
        row->reported = true;
        row->result = message.err();
        --outstanding;
    }
    std::size_t outstanding = 0;
};

class OutboxWake : public pqxx::notification_receiver {
public:
    explicit OutboxWake(pqxx::connection_base& conn) : pqxx::notification_receiver(conn, Outbox::kChannel) {}
    void operator()(const std::string&, int) override { woken = true; }
    bool woken = false;
};

std::string BigintArray(const std::vector<long long>& ids) {
    std::string text = "{";
    for (std::size_t i = 0; i < ids.size(); ++i) {
        if (i > 0) text += ',';
        text += std::to_string(ids[i]);
    }
    return text + "}";
}

}  // namespace

class OutboxRelay::Worker {
public:
    Worker(const OutboxRelayOptions& options, std::atomic<bool>& stopping, std::atomic<std::uint64_t>& published)
        : options_(options),
          stopping_(stopping),
          published_(published),
          registry_(metrics::Registry::Global()),
          pending_(registry_.GetGauge("orderstream_outbox_pending", "Outbox rows not yet published")),
          oldest_age_(registry_.GetGauge("orderstream_outbox_oldest_pending_seconds",
                                         "Age of the oldest unpublished outbox row")),
          failures_(registry_.GetCounter("orderstream_outbox_publish_failures_total",
                                         "Outbox rows whose publish attempt failed (they are retried)")) {}

    ~Worker() {
        wake_.reset();
        conn_.reset();
    }

    void Run() {
        Backoff backoff(options_.max_backoff);
        auto next_lag_update = std::chrono::steady_clock::now();
        auto next_prune = std::chrono::steady_clock::now();
        while (!stopping_.load()) {
            try {
                if (!conn_) Connect();
                if (!producer_ || events_.fatal()) CreateProducer();
                auto outcome = PublishBatch();
                if (std::chrono::steady_clock::now() >= next_lag_update) {
                    UpdateLag();
                    next_lag_update = std::chrono::steady_clock::now() + std::chrono::seconds(1);
                }
                if (options_.sent_retention.count() > 0 && std::chrono::steady_clock::now() >= next_prune) {
                    PruneSent();
                    next_prune = std::chrono::steady_clock::now() +
                                 std::min<std::chrono::seconds>(std::chrono::minutes(1), options_.sent_retention);
                }
                switch (outcome) {
                    case Outcome::kFull:
                        backoff.Reset();
                        break;
                    case Outcome::kIdle:
                    case Outcome::kPublished:
                        backoff.Reset();
                        WaitForWork(options_.poll_interval);
                        break;
                    case Outcome::kStandby:
                        WaitForWork(options_.poll_interval);
                        break;
                    case Outcome::kFailed:
                        SleepUnlessStopping(backoff.Next(), stopping_);
                        break;
                    case Outcome::kAbandoned:
                        break;
                }
            } catch (const std::exception& e) {
                // Database gone or a statement failed: reconnect after a pause; rows stay pending.
                spdlog::warn("outbox relay: {}; retrying", e.what());
                wake_.reset();
                conn_.reset();
                SleepUnlessStopping(backoff.Next(), stopping_);
            }
        }
        Drain();
        if (producer_) {
            producer_->flush(static_cast<int>(RemainingStopTime().count()));
            producer_.reset();
        }
    }

    // On Stop(): publishes the rows already pending (a shutting-down service's last events)
    // for at most stop_timeout; whatever is left stays pending for the next start.
    void Drain() {
        if (!conn_ || !producer_) return;
        try {
            while (RemainingStopTime().count() > 0 && PublishBatch() == Outcome::kFull) {
            }
        } catch (const std::exception& e) {
            spdlog::warn("outbox relay: flushing on stop failed: {}", e.what());
        }
    }

private:
    enum class Outcome { kIdle, kStandby, kPublished, kFull, kFailed, kAbandoned };

    // Everything Stop() waits for — the batch in flight, the drain, the final flush — shares
    // one deadline, stop_timeout after the stop was first seen.
    std::chrono::milliseconds RemainingStopTime() {
        auto now = std::chrono::steady_clock::now();
        if (!stop_deadline_) stop_deadline_ = now + options_.stop_timeout;
        return std::max(std::chrono::milliseconds(0),
                        std::chrono::duration_cast<std::chrono::milliseconds>(*stop_deadline_ - now));
    }

    void Connect() {
        conn_ = std::make_unique<pqxx::connection>(options_.database_url);
        wake_ = std::make_unique<OutboxWake>(*conn_);
    }

    void CreateProducer() {
        if (producer_) {
            spdlog::warn("outbox relay: recreating the kafka producer after a fatal error");
            producer_->purge(RdKafka::Producer::PURGE_QUEUE | RdKafka::Producer::PURGE_INFLIGHT);
            producer_->poll(0);
            producer_.reset();
        }
        events_ = KafkaEventLogger("outbox relay");
        auto conf = MakeKafkaConf(
            {
                {"bootstrap.servers", options_.bootstrap_servers},
                {"client.id", "orderstream-outbox-relay"},
                {"enable.idempotence", "true"},
                {"acks", "all"},
                {"linger.ms", "5"},
                {"message.timeout.ms", std::to_string(options_.delivery_timeout.count())},
                // The Java client's partitioner, so every producer of a key picks the same partition.
                {"partitioner", "murmur2_random"},
                // A message that fails for good fails the ones queued behind it for the same
                // partition too (a fatal error: the producer is recreated and they stay
                // pending), so a later event of a key is never stored ahead of an earlier one.
                {"enable.gapless.guarantee", options_.gapless ? "true" : "false"},
                {"reconnect.backoff.ms", "100"},
                {"reconnect.backoff.max.ms", "1000"},
            },
            options_.producer_config);
        std::string error;
        if (conf->set("dr_cb", static_cast<RdKafka::DeliveryReportCb*>(&reports_), error) != RdKafka::Conf::CONF_OK ||
            conf->set("event_cb", static_cast<RdKafka::EventCb*>(&events_), error) != RdKafka::Conf::CONF_OK) {
            throw std::runtime_error("kafka producer callbacks: " + error);
        }
        producer_.reset(RdKafka::Producer::create(conf.get(), error));
        if (!producer_) throw std::invalid_argument("kafka producer: " + error);
    }

    // Sleeps until a NOTIFY from the outbox trigger, `timeout`, or Stop().
    void WaitForWork(std::chrono::milliseconds timeout) {
        conn_->get_notifs();
        auto deadline = std::chrono::steady_clock::now() + timeout;
        while (!wake_->woken && !stopping_.load() && std::chrono::steady_clock::now() < deadline) {
            conn_->await_notification(0, 50'000);
            producer_->poll(0);
        }
        wake_->woken = false;
    }

    Outcome PublishBatch() {
        auto t0 = std::chrono::steady_clock::now();
        pqxx::work tx(*conn_, "outbox_relay");
        if (!tx.exec1("SELECT pg_try_advisory_xact_lock(" + std::to_string(kRelayLockKey) + ")")[0].as<bool>()) {
            tx.commit();
            return Outcome::kStandby;
        }
        // No FOR UPDATE: the advisory lock already makes this relay the only publisher, and
        // locking every row would dirty each tuple of the batch a second time.
        auto result = tx.exec_params(
            "SELECT id, event_id::text, topic, key, payload, trace_id FROM outbox"
            " WHERE sent_at IS NULL ORDER BY id LIMIT $1",
            static_cast<long long>(options_.batch_size));
        if (result.empty()) {
            tx.commit();
            return Outcome::kIdle;
        }
        std::vector<PendingRow> rows(result.size());
        for (std::size_t i = 0; i < result.size(); ++i) {
            const auto& r = result[static_cast<pqxx::result::size_type>(i)];
            rows[i].id = r[0].as<long long>();
            rows[i].event_id = r[1].as<std::string>();
            rows[i].topic = r[2].as<std::string>();
            rows[i].key = r[3].as<std::string>();
            rows[i].payload = r[4].as<std::string>();
            rows[i].trace_id = r[5].as<std::string>();
        }

        auto t1 = std::chrono::steady_clock::now();
        reports_.outstanding = 0;
        for (auto& row : rows) Produce(row);
        if (!AwaitReports(rows)) {
            tx.abort();
            return Outcome::kAbandoned;
        }
        auto t2 = std::chrono::steady_clock::now();
        if (options_.after_delivery_for_test) options_.after_delivery_for_test();

        std::vector<long long> delivered, failed;
        std::string last_error;
        for (const auto& row : rows) {
            if (row.result == RdKafka::ERR_NO_ERROR) {
                delivered.push_back(row.id);
            } else {
                failed.push_back(row.id);
                last_error = RdKafka::err2str(row.result);
            }
        }
        if (!delivered.empty()) {
            tx.exec_params(
                "UPDATE outbox SET sent_at = now(), attempts = attempts + 1 WHERE id = ANY($1::bigint[])",
                BigintArray(delivered));
        }
        if (!failed.empty()) {
            tx.exec_params("UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE id = ANY($1::bigint[])",
                           BigintArray(failed), last_error);
        }
        tx.commit();
        auto t3 = std::chrono::steady_clock::now();
        auto ms = [](auto d) { return std::chrono::duration<double, std::milli>(d).count(); };
        spdlog::debug("outbox relay: batch of {}: select {:.1f} ms, publish {:.1f} ms, mark sent {:.1f} ms",
                      rows.size(), ms(t1 - t0), ms(t2 - t1), ms(t3 - t2));

        published_.fetch_add(delivered.size(), std::memory_order_relaxed);
        for (const auto& row : rows) {
            if (row.result == RdKafka::ERR_NO_ERROR) PublishedCounter(row.topic).Increment();
        }
        if (!failed.empty()) {
            failures_.Increment(failed.size());
            spdlog::warn("outbox relay: {} of {} events not delivered ({}); retrying", failed.size(), rows.size(),
                         last_error);
            return Outcome::kFailed;
        }
        return rows.size() >= options_.batch_size ? Outcome::kFull : Outcome::kPublished;
    }

    void Produce(PendingRow& row) {
        std::unique_ptr<RdKafka::Headers> headers(RdKafka::Headers::create());
        auto traceparent = trace::FormatTraceparent(row.trace_id, trace::ParentIdFromEventId(row.event_id));
        headers->add(std::string(trace::kTraceparentHeader), traceparent);
        headers->add("event_id", row.event_id);
        ++reports_.outstanding;
        while (true) {
            auto err = producer_->produce(options_.topic_prefix + row.topic, RdKafka::Topic::PARTITION_UA,
                                          RdKafka::Producer::RK_MSG_COPY,
                                          row.payload.data(), row.payload.size(),
                                          row.key.empty() ? nullptr : row.key.data(), row.key.size(), 0,
                                          headers.get(), &row);
            if (err == RdKafka::ERR_NO_ERROR) {
                headers.release();  // owned by librdkafka now
                return;
            }
            if (err == RdKafka::ERR__QUEUE_FULL) {
                producer_->poll(50);
                continue;
            }
            row.reported = true;
            row.result = err;
            --reports_.outstanding;
            return;
        }
    }

    // Polls until every row has its delivery report. False when Stop() gave up on the
    // batch (its rows stay pending; anything that did reach Kafka is deduplicated downstream).
    bool AwaitReports(std::vector<PendingRow>& rows) {
        // librdkafka reports every message within message.timeout.ms; this is only a backstop.
        auto backstop = std::chrono::steady_clock::now() + options_.delivery_timeout + std::chrono::seconds(10);
        while (reports_.outstanding > 0) {
            producer_->poll(20);
            auto now = std::chrono::steady_clock::now();
            bool give_up = stopping_.load() && RemainingStopTime().count() == 0;
            if (give_up || now >= backstop) {
                producer_->purge(RdKafka::Producer::PURGE_QUEUE | RdKafka::Producer::PURGE_INFLIGHT);
                while (reports_.outstanding > 0) producer_->poll(50);
                if (give_up) {
                    spdlog::warn("outbox relay: stopped with {} events unconfirmed; they stay pending", rows.size());
                    return false;
                }
            }
        }
        return true;
    }

    // Keeps the outbox small; only sent rows past the retention go, in bounded chunks.
    void PruneSent() {
        pqxx::nontransaction tx(*conn_);
        auto deleted = tx.exec_params(
            "DELETE FROM outbox WHERE id IN (SELECT id FROM outbox WHERE sent_at < now() - make_interval(secs => $1)"
            " LIMIT 10000)",
            static_cast<double>(options_.sent_retention.count()));
        if (deleted.affected_rows() > 0) spdlog::debug("outbox relay: pruned {} sent rows", deleted.affected_rows());
    }

    void UpdateLag() {
        pqxx::nontransaction tx(*conn_);
        auto row = tx.exec1(
            "SELECT count(*), COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)::float8"
            " FROM outbox WHERE sent_at IS NULL");
        pending_.Set(row[0].as<double>());
        oldest_age_.Set(row[1].as<double>());
    }

    metrics::Counter& PublishedCounter(const std::string& topic) {
        auto it = published_counters_.find(topic);
        if (it != published_counters_.end()) return *it->second;
        auto& counter = registry_.GetCounter("orderstream_outbox_published_total", "Outbox events published to Kafka",
                                             {{"topic", topic}});
        published_counters_.emplace(topic, &counter);
        return counter;
    }

    const OutboxRelayOptions& options_;
    std::atomic<bool>& stopping_;
    std::atomic<std::uint64_t>& published_;
    metrics::Registry& registry_;
    metrics::Gauge& pending_;
    metrics::Gauge& oldest_age_;
    metrics::Counter& failures_;
    std::map<std::string, metrics::Counter*> published_counters_;

    std::optional<std::chrono::steady_clock::time_point> stop_deadline_;
    DeliveryReports reports_;
    KafkaEventLogger events_{"outbox relay"};
    std::unique_ptr<RdKafka::Producer> producer_;
    std::unique_ptr<pqxx::connection> conn_;
    std::unique_ptr<OutboxWake> wake_;
};

std::unique_ptr<OutboxRelay> StartRelay(const std::string& database_url) {
    OutboxRelayOptions options;
    options.database_url = database_url;
    options.bootstrap_servers = config::Env::String("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092");
    options.topic_prefix = config::Env::String("KAFKA_TOPIC_PREFIX", "");
    auto relay = std::make_unique<OutboxRelay>(std::move(options));
    relay->Start();
    return relay;
}

OutboxRelay::OutboxRelay(OutboxRelayOptions options) : options_(std::move(options)) {
    if (options_.batch_size == 0) throw std::invalid_argument("OutboxRelay: batch_size must be positive");
    MakeKafkaConf({}, options_.producer_config);  // a bad property is a setup error: fail here, not in the thread
}

OutboxRelay::~OutboxRelay() { Stop(); }

void OutboxRelay::Start() {
    if (thread_.joinable()) return;
    stopping_ = false;
    worker_ = std::make_unique<Worker>(options_, stopping_, published_);
    thread_ = std::thread([this] {
        try {
            worker_->Run();
        } catch (const std::exception& e) {
            spdlog::error("outbox relay stopped: {}", e.what());
        }
    });
}

void OutboxRelay::Stop() {
    stopping_ = true;
    if (thread_.joinable()) thread_.join();
    worker_.reset();
}

}  // namespace orderstream::events
