// How long a verified payment takes to make its order paid: a payment.succeeded committed to
// an outbox (as the payment service's webhook transaction does) -> OutboxRelay -> Kafka
// payment_events -> the real order role (`orderstream order`, its consumer group "order") ->
// the order's row reads `paid` for any other session. Against the PostgreSQL and Kafka of
// scripts/with-infra.sh.
//
//   payment_to_paid_bench [--rate PAYMENTS_PER_S] [--seconds S] [--poll-ms MS]
//
// Payments are committed at a fixed rate, one per transaction, each for its own pending
// order (inserted into the order role's database before the run). A poller reads the status
// of the orders whose payment is committed but not yet seen paid every --poll-ms; the
// latency of a payment is its COMMIT returning -> the first poll that saw the order paid
// (so it includes up to one poll interval). p50/p90/p99/max over all payments.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

#include <pqxx/pqxx>
#include <spdlog/spdlog.h>

#include "orderstream/contracts/payment_events.hpp"
#include "orderstream/events/migrations.hpp"
#include "orderstream/events/outbox_relay.hpp"
#include "orderstream/pg/migrations.hpp"
#include "orderstream/testing/database.hpp"
#include "orderstream/testing/role.hpp"

using namespace orderstream;
using Clock = std::chrono::steady_clock;

namespace {

struct Settings {
    double rate = 200;
    int seconds = 30;
    int poll_ms = 2;
};

Settings ParseArgs(int argc, char** argv) {
    Settings s;
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string flag = argv[i];
        double value = std::atof(argv[i + 1]);
        if (flag == "--rate" && value > 0) s.rate = value;
        else if (flag == "--seconds" && value >= 1) s.seconds = static_cast<int>(value);
        else if (flag == "--poll-ms" && value >= 1) s.poll_ms = static_cast<int>(value);
        else {
            std::fprintf(stderr, "usage: payment_to_paid_bench [--rate N>0] [--seconds N>=1] [--poll-ms N>=1]\n");
            std::exit(2);
        }
    }
    if (argc % 2 == 0) {
        std::fprintf(stderr, "%s needs a value\n", argv[argc - 1]);
        std::exit(2);
    }
    return s;
}

constexpr std::int64_t kTotalCents = 4'250;
constexpr std::uint64_t kAccount = 7;

std::vector<std::uint64_t> InsertPendingOrders(const std::string& order_db, int count) {
    pqxx::connection conn(order_db);
    pqxx::work tx(conn);
    std::vector<std::uint64_t> ids;
    for (const auto& row : tx.exec_params("INSERT INTO orders (account_id, total_price_cents, currency) "
                                          "SELECT $1, $2, 'USD' FROM generate_series(1, $3) RETURNING id",
                                          static_cast<std::int64_t>(kAccount), kTotalCents, count)) {
        ids.push_back(row[0].as<std::uint64_t>());
    }
    tx.commit();
    std::sort(ids.begin(), ids.end());
    return ids;
}

std::string CommitPayment(pqxx::connection& conn, std::uint64_t order_id) {
    contracts::PaymentSucceeded payment;
    payment.order_id = order_id;
    payment.account_id = kAccount;
    payment.transaction_id = order_id;
    payment.payment_id = "pay_bench_" + std::to_string(order_id);
    payment.checkout_session_id = "cks_bench_" + std::to_string(order_id);
    payment.amount_cents = kTotalCents;
    payment.currency = "USD";
    payment.at = "2026-12-04T00:00:00Z";
    pqxx::work tx(conn);
    auto id = contracts::Publish(tx, payment);
    tx.commit();
    return id;
}

// Order ids committed but not yet seen paid, and when each was committed / seen.
class Watch {
public:
    void Committed(std::uint64_t order_id, Clock::time_point at) {
        std::lock_guard lock(mutex_);
        committed_[order_id] = at;
        outstanding_.push_back(order_id);
    }
    std::vector<std::uint64_t> Outstanding() {
        std::lock_guard lock(mutex_);
        return outstanding_;
    }
    void Seen(const std::vector<std::uint64_t>& ids, Clock::time_point at) {
        std::lock_guard lock(mutex_);
        for (auto id : ids) {
            if (seen_.emplace(id, at).second) std::erase(outstanding_, id);
        }
    }
    std::vector<double> LatenciesMs() {
        std::lock_guard lock(mutex_);
        std::vector<double> out;
        for (const auto& [id, at] : seen_) {
            out.push_back(std::chrono::duration<double, std::milli>(at - committed_.at(id)).count());
        }
        std::sort(out.begin(), out.end());
        return out;
    }
    std::size_t seen() {
        std::lock_guard lock(mutex_);
        return seen_.size();
    }

private:
    std::mutex mutex_;
    std::map<std::uint64_t, Clock::time_point> committed_, seen_;
    std::vector<std::uint64_t> outstanding_;
};

void Poll(const std::string& order_db, Watch& watch, const std::atomic<bool>& stop, int poll_ms) {
    pqxx::connection conn(order_db);
    conn.prepare("paid_among", "SELECT id FROM orders WHERE status = 'paid' AND id = ANY($1::bigint[])");
    while (!stop.load()) {
        auto outstanding = watch.Outstanding();
        if (!outstanding.empty()) {
            std::string array = "{";
            for (auto id : outstanding) array += std::to_string(id) + ",";
            array.back() = '}';
            pqxx::nontransaction tx(conn);
            std::vector<std::uint64_t> paid;
            for (const auto& row : tx.exec_prepared("paid_among", array)) paid.push_back(row[0].as<std::uint64_t>());
            watch.Seen(paid, Clock::now());
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(poll_ms));
    }
}

double Percentile(const std::vector<double>& sorted, double p) {
    if (sorted.empty()) return 0;
    auto index = static_cast<std::size_t>(p * static_cast<double>(sorted.size() - 1) + 0.5);
    return sorted[std::min(index, sorted.size() - 1)];
}

}  // namespace

int main(int argc, char** argv) {
    auto settings = ParseArgs(argc, argv);
    spdlog::set_level(spdlog::level::err);
    auto prefix = "bench-paid-" + std::to_string(::getpid()) + ".";
    testing::RoleProcess order("order", {{"KAFKA_TOPIC_PREFIX", prefix},
                                         {"LOG_LEVEL", "warn"},
                                         {"ACCOUNT_URL", "127.0.0.1:1"},  // unused: no order is placed over gRPC
                                         {"PRODUCT_URL", "127.0.0.1:1"}});
    if (!order.ready()) {
        std::fprintf(stderr, "the order role did not become ready:\n%s\n", order.Output().c_str());
        return 1;
    }
    testing::TemporaryDatabase payment_db("paid_bench");
    {
        pqxx::connection conn(payment_db.url());
        pg::ApplyMigrations(conn, events::Migrations());
    }
    events::OutboxRelayOptions relay_options;
    relay_options.database_url = payment_db.url();
    relay_options.bootstrap_servers = testing::TestKafkaBootstrap();
    relay_options.topic_prefix = prefix;
    events::OutboxRelay relay(relay_options);
    relay.Start();

    constexpr int kWarmup = 50;
    auto total = static_cast<int>(settings.rate * settings.seconds);
    auto orders = InsertPendingOrders(order.database_url(), kWarmup + total);
    Watch warmup, timed;
    std::atomic<bool> stop{false};
    pqxx::connection writer(payment_db.url());

    // Warm-up, untimed: the order role's consumer finds the new topic and joins its group.
    {
        std::thread poller(Poll, order.database_url(), std::ref(warmup), std::cref(stop), settings.poll_ms);
        for (int i = 0; i < kWarmup; ++i) {
            CommitPayment(writer, orders[static_cast<std::size_t>(i)]);
            warmup.Committed(orders[static_cast<std::size_t>(i)], Clock::now());
        }
        auto deadline = Clock::now() + std::chrono::seconds(90);
        while (warmup.seen() < kWarmup && Clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(20));
        stop = true;
        poller.join();
        if (warmup.seen() < kWarmup) {
            std::fprintf(stderr, "warm-up payments did not make their orders paid within 90 s\n%s\n",
                         order.Output().c_str());
            return 1;
        }
        stop = false;
    }

    std::thread poller(Poll, order.database_url(), std::ref(timed), std::cref(stop), settings.poll_ms);
    auto start = Clock::now();
    auto interval = std::chrono::duration<double>(1.0 / settings.rate);
    for (int i = 0; i < total; ++i) {
        std::this_thread::sleep_until(start + std::chrono::duration_cast<Clock::duration>(interval * i));
        auto order_id = orders[static_cast<std::size_t>(kWarmup + i)];
        CommitPayment(writer, order_id);
        timed.Committed(order_id, Clock::now());
    }
    double offered = total / std::chrono::duration<double>(Clock::now() - start).count();
    auto deadline = Clock::now() + std::chrono::seconds(120);
    while (timed.seen() < static_cast<std::size_t>(total) && Clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    stop = true;
    poller.join();
    relay.Stop();

    auto latencies = timed.LatenciesMs();
    std::printf("payments=%d paid=%zu offered_rate=%.0f/s poll=%d ms\n"
                "latency_ms p50=%.1f p90=%.1f p99=%.1f max=%.1f (payment commit -> order seen paid)\n",
                total, latencies.size(), offered, settings.poll_ms, Percentile(latencies, 0.5),
                Percentile(latencies, 0.9), Percentile(latencies, 0.99), latencies.empty() ? 0.0 : latencies.back());
    return latencies.size() == static_cast<std::size_t>(total) ? 0 : 1;
}
