// Event pipeline benchmark: outbox insert (commit) -> OutboxRelay -> Kafka -> EventConsumer
// handler, against the PostgreSQL and Kafka of scripts/with-infra.sh. Reports throughput
// (first commit to last event handled) and the latency from each insert's commit to its
// handler, p50/p90/p99/max.
//
//   events_pipeline_bench [--events N] [--rate EVENTS_PER_S] [--writers W] [--per-tx K]
//                         [--partitions P] [--keys K] [--consumers THREADS] [--preload]
//                         [--gapless on|off]
//
// --rate 0 (default) writes as fast as the writers can: the throughput run. A fixed rate
// shows the latency at that load. --preload commits the whole backlog with the relay stopped,
// then starts it: the drain rate of relay + Kafka + consumer alone (latency is then meaningless).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include <unistd.h>

#include <optional>

#include <pqxx/pqxx>
#include <spdlog/spdlog.h>

#include "orderstream/events/event_consumer.hpp"
#include "orderstream/events/migrations.hpp"
#include "orderstream/events/outbox.hpp"
#include "orderstream/events/outbox_relay.hpp"
#include "orderstream/events/topic_admin.hpp"
#include "orderstream/testing/database.hpp"

using namespace orderstream;
using Clock = std::chrono::steady_clock;

namespace {

struct Settings {
    int events = 50'000;
    double rate = 0;  // events per second in total, 0 = unlimited
    int writers = 4;
    int per_tx = 10;
    int partitions = 4;
    int keys = 64;
    int consumers = 1;
    bool preload = false;
    bool gapless = true;  // the relay's enable.gapless.guarantee (its default)
};

Settings ParseArgs(int argc, char** argv) {
    Settings s;
    for (int i = 1; i < argc; i += 2) {
        std::string flag = argv[i];
        if (flag == "--preload") {
            s.preload = true;
            --i;
            continue;
        }
        if (i + 1 >= argc) {
            std::fprintf(stderr, "%s needs a value\n", flag.c_str());
            std::exit(2);
        }
        if (flag == "--gapless") {
            std::string value = argv[i + 1];
            if (value != "on" && value != "off") {
                std::fprintf(stderr, "--gapless takes on or off, not %s\n", value.c_str());
                std::exit(2);
            }
            s.gapless = value == "on";
            continue;
        }
        double value = std::atof(argv[i + 1]);
        if (flag == "--events") s.events = static_cast<int>(value);
        else if (flag == "--rate") s.rate = value;
        else if (flag == "--writers") s.writers = static_cast<int>(value);
        else if (flag == "--per-tx") s.per_tx = static_cast<int>(value);
        else if (flag == "--partitions") s.partitions = static_cast<int>(value);
        else if (flag == "--keys") s.keys = static_cast<int>(value);
        else if (flag == "--consumers") s.consumers = static_cast<int>(value);
        else {
            std::fprintf(stderr, "unknown flag %s\n", flag.c_str());
            std::exit(2);
        }
    }
    return s;
}

// (event id, time) pairs from many threads; joined once the run is over, so the order in
// which a commit and its handler get recorded does not matter.
class Timeline {
public:
    void Record(const std::string& id, Clock::time_point at) {
        std::lock_guard lock(mutex_);
        entries_.emplace_back(id, at);
    }
    void Record(const std::vector<std::string>& ids, Clock::time_point at) {
        std::lock_guard lock(mutex_);
        for (const auto& id : ids) entries_.emplace_back(id, at);
    }
    void Clear() {
        std::lock_guard lock(mutex_);
        entries_.clear();
    }
    std::unordered_map<std::string, Clock::time_point> ById() {
        std::lock_guard lock(mutex_);
        return {entries_.begin(), entries_.end()};
    }

private:
    std::mutex mutex_;
    std::vector<std::pair<std::string, Clock::time_point>> entries_;
};

double Percentile(std::vector<double>& sorted, double p) {
    if (sorted.empty()) return 0;
    auto index = static_cast<std::size_t>(p * static_cast<double>(sorted.size() - 1) + 0.5);
    return sorted[std::min(index, sorted.size() - 1)];
}

}  // namespace

int main(int argc, char** argv) {
    auto settings = ParseArgs(argc, argv);
    spdlog::set_level(std::getenv("BENCH_DEBUG") ? spdlog::level::debug : spdlog::level::err);
    testing::TemporaryDatabase db("events_bench");
    auto bootstrap = testing::TestKafkaBootstrap();
    auto topic = "events_bench_" + std::to_string(::getpid()) + "_" +
                 std::to_string(std::chrono::system_clock::now().time_since_epoch() / std::chrono::seconds(1));
    {
        pqxx::connection conn(db.url());
        pg::ApplyMigrations(conn, events::Migrations());
        pqxx::work tx(conn);
        tx.exec0("CREATE TABLE bench_effects (event_id UUID PRIMARY KEY, key TEXT NOT NULL)");
        tx.commit();
    }
    if (auto status = events::CreateTopic(bootstrap, topic, settings.partitions); !status.ok()) {
        std::fprintf(stderr, "%s\n", status.error().message.c_str());
        return 1;
    }

    Timeline commits, handled_at;
    std::atomic<int> handled{0};
    std::atomic<long long> last_handled_ns{0};

    events::OutboxRelayOptions relay_options;
    relay_options.database_url = db.url();
    relay_options.bootstrap_servers = bootstrap;
    relay_options.gapless = settings.gapless;
    events::OutboxRelay relay(relay_options);

    events::EventConsumerOptions consumer_options;
    consumer_options.database_url = db.url();
    consumer_options.bootstrap_servers = bootstrap;
    consumer_options.topics = {topic};
    consumer_options.group_id = topic + "_group";
    consumer_options.threads = static_cast<std::size_t>(settings.consumers);
    consumer_options.handler = [&](pqxx::work& tx, const events::Envelope& event) -> Status {
        tx.exec_params("INSERT INTO bench_effects (event_id, key) VALUES ($1, $2)", event.id, event.type);
        auto now = Clock::now();
        handled_at.Record(event.id, now);  // a rolled-back batch would record twice: the first one wins below
        handled.fetch_add(1);
        last_handled_ns = now.time_since_epoch().count();
        return Status::Ok();
    };
    events::EventConsumer consumer(consumer_options);
    relay.Start();
    consumer.Start();
    // Warm-up, untimed: the consumers join the group, the producer fetches the topic's
    // metadata and its idempotence id, every partition sees traffic once.
    {
        constexpr int kWarmup = 200;
        pqxx::connection conn(db.url());
        pqxx::work tx(conn);
        for (int i = 0; i < kWarmup; ++i) {
            events::Outbox::Append(tx, topic, "warmup" + std::to_string(i), "warmup", "{}");
        }
        tx.commit();
        auto warmup_deadline = Clock::now() + std::chrono::seconds(60);
        while (handled.load() < kWarmup && Clock::now() < warmup_deadline) {
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        if (handled.load() < kWarmup) {
            std::fprintf(stderr, "warm-up events were not handled within 60 s\n");
            return 1;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
        handled = 0;
        handled_at.Clear();
    }

    // --preload: the whole backlog is committed while no relay runs, then the relay starts:
    // measures how fast relay + consumers drain it, independent of the writers' speed.
    if (settings.preload) relay.Stop();
    auto start = Clock::now();
    std::vector<std::thread> writers;
    for (int w = 0; w < settings.writers; ++w) {
        writers.emplace_back([&, w] {
            pqxx::connection conn(db.url());
            int share = settings.events / settings.writers + (w < settings.events % settings.writers ? 1 : 0);
            double tx_interval_s =
                settings.rate > 0 ? settings.per_tx * settings.writers / settings.rate : 0.0;  // per writer
            int written = 0, tx_index = 0;
            while (written < share) {
                if (tx_interval_s > 0) {
                    auto due = start + std::chrono::duration_cast<Clock::duration>(
                                           std::chrono::duration<double>(tx_interval_s * tx_index));
                    std::this_thread::sleep_until(due);
                }
                std::vector<std::string> ids;
                pqxx::work tx(conn);
                for (int i = 0; i < settings.per_tx && written < share; ++i, ++written) {
                    auto key = "k" + std::to_string((w * 7919 + written) % settings.keys);
                    ids.push_back(events::Outbox::Append(tx, topic, key, "bench",
                                                         R"({"key":")" + key + R"(","n":)" + std::to_string(written) +
                                                             R"(,"payload":"0123456789abcdef0123456789abcdef"})"));
                }
                tx.commit();
                commits.Record(ids, Clock::now());
                ++tx_index;
            }
        });
    }
    for (auto& t : writers) t.join();
    auto written_at = Clock::now();
    double write_seconds = std::chrono::duration<double>(written_at - start).count();
    std::string relay_started_at;  // PostgreSQL's clock, to compare with outbox.sent_at
    if (settings.preload) {
        pqxx::connection conn(db.url());
        pqxx::nontransaction clock(conn);
        relay_started_at = clock.exec1("SELECT clock_timestamp()::text")[0].as<std::string>();
        start = Clock::now();
        relay.Start();
    }

    auto deadline = Clock::now() + std::chrono::seconds(120);
    while (handled.load() < settings.events && Clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    consumer.Stop();
    relay.Stop();

    // Relay share of the latency: outbox row creation (its transaction's start) to marked sent.
    double relay_p50 = 0, relay_p99 = 0, relay_rate = 0;
    {
        pqxx::connection conn(db.url());
        pqxx::nontransaction tx(conn);
        auto row = tx.exec1(
            "SELECT COALESCE(percentile_cont(0.5) WITHIN GROUP (ORDER BY d), 0),"
            " COALESCE(percentile_cont(0.99) WITHIN GROUP (ORDER BY d), 0)"
            " FROM (SELECT EXTRACT(EPOCH FROM sent_at - created_at) * 1000 AS d FROM outbox"
            "       WHERE sent_at IS NOT NULL AND type <> 'warmup') s");
        relay_p50 = row[0].as<double>();
        relay_p99 = row[1].as<double>();
        if (settings.preload) {  // the relay alone: the backlog published and marked sent
            relay_rate = tx.exec_params1("SELECT count(*) / EXTRACT(EPOCH FROM max(sent_at) - $1::timestamptz) FROM outbox"
                                         " WHERE sent_at IS NOT NULL AND type <> 'warmup'",
                                         relay_started_at)[0]
                             .as<double>();
        }
    }

    int done = handled.load();
    auto end = Clock::time_point(Clock::duration(last_handled_ns.load()));
    double seconds = std::chrono::duration<double>(end - start).count();
    std::vector<double> sorted;
    auto handled_by_id = handled_at.ById();
    for (const auto& [id, committed] : commits.ById()) {
        auto it = handled_by_id.find(id);
        if (it != handled_by_id.end()) {
            sorted.push_back(std::chrono::duration<double, std::milli>(it->second - committed).count());
        }
    }
    std::sort(sorted.begin(), sorted.end());
    // The commit returns to the writer a moment after other sessions can see the row, so a
    // handler may rarely finish "before" the writer took its time: such samples count as 0.
    auto negative = std::count_if(sorted.begin(), sorted.end(), [](double v) { return v < 0; });
    for (auto& v : sorted) v = std::max(v, 0.0);
    std::printf(
        "events=%d handled=%d writers=%d per_tx=%d partitions=%d consumer_threads=%d offered_rate=%s%s gapless=%s\n"
        "write_time=%.2fs total_time=%.2fs throughput=%.0f events/s\n"
        "latency_ms p50=%.1f p90=%.1f p99=%.1f max=%.1f (commit -> handler, %zu samples, %ld before commit returned)\n"
        "relay_ms p50=%.1f p99=%.1f (outbox transaction start -> marked sent)\n"
        "relay_throughput=%.0f events/s (preload only: relay start -> last row marked sent)\n",
        settings.events, done, settings.writers, settings.per_tx, settings.partitions, settings.consumers,
        settings.rate > 0 ? std::to_string(static_cast<int>(settings.rate)).c_str() : "unlimited",
        settings.preload ? " preload" : "", settings.gapless ? "on" : "off", write_seconds,
        seconds, done / seconds, Percentile(sorted, 0.50), Percentile(sorted, 0.90), Percentile(sorted, 0.99),
        sorted.empty() ? 0.0 : sorted.back(), sorted.size(), static_cast<long>(negative), relay_p50, relay_p99, relay_rate);
    return done == settings.events ? 0 : 1;
}
