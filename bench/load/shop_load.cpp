// shop_load: a shop's traffic against the gateway, checked reply by reply.
//
//   shop_load --gateway 127.0.0.1:8080 --users 32 --duration 30 --warmup 5 [--think-ms 500 | --rate 200]
//
// Every virtual user signs in as its own account (<prefix>-<n>@load.local, registered on first
// use) and repeats operations drawn from the mix:
//   browse     product list page: product(pagination: {skip: random page, take: 20})
//   search     product(query: a catalog word, a two-word phrase, a typo or a prefix)
//   view       product(id:) of a random catalog product (remembered as viewed)
//   recommend  product(byAccountId: true) or product(viewedProductsIds: the last viewed), alternately
//   order      createOrder with 1-3 lines (mostly viewed products) and an idempotency key
//   checkout   createCheckoutSession for the user's oldest unpaid order (placing one first when it
//              has none, counted as an order), then with --pay yes the sandbox page's Pay button
//              (reported as "pay"; the webhook it sends makes the order paid)
// A reply counts as a success only when it is HTTP 200, a JSON object without "errors" and the
// data has the expected shape (a page of the right size, the asked-for product, an order id with
// the catalog's total, a checkout URL; Pay: 303 to the shop with status=succeeded).
//
// Options (defaults):
//   --gateway HOST:PORT        127.0.0.1:8080
//   --users N                  16     virtual users, each with its own account and connection
//   --duration S, --warmup S   30, 5  measured window after a warm-up whose results are dropped
//   --mix LIST                 browse=10,search=5,view=5,recommend=2,order=1,checkout=1
//   --think-ms MS              0      closed loop: mean think time (exponential) between a user's operations
//   --rate R                   0      open loop instead: R operations/s in all (Poisson arrivals), run by
//                                     whichever user is free; latency counts from the scheduled arrival
//   --pay yes|no               yes
//   --timeout-ms MS            5000   per request
//   --account-prefix P         shop   accounts P-0..P-<users-1>@load.local, merchant P-merchant@load.local
//   --seed-products N          0      make sure the catalog has N products (createProduct as the merchant)
//   --catalog-limit N          20000  products listed for view and order
//   --setup-concurrency N      4      connections for signing in and seeding
//   --pids-file FILE                  role processes to measure, lines "name pid" (bench-env.sh writes it)
//   --process NAME=PID                one more process to measure (repeatable)
//   --process-tree NAME=PID           a process with its descendants, e.g. PostgreSQL's postmaster
//   --label TEXT                      copied into the JSON line
//   --seed N                   1      random seed
//   --max-error-percent P      1      exit 3 when more operations than that failed
// Output: a table per operation (count, ops/s, p50/p95/p99 of successful calls, errors with a
// sample message per kind), CPU and RSS per process, then one JSON line (the last line).
// Only operations that start inside the measured window count; throughput is successful
// operations per second of the window.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <fstream>
#include <mutex>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "platform_usage.hpp"
#include "shop_catalog.hpp"
#include "shop_report.hpp"
#include "shop_stats.hpp"
#include "shopper.hpp"

namespace {

using namespace orderstream::bench;
using Clock = std::chrono::steady_clock;

constexpr const char* kPassword = "shop-load-password";

constexpr const char* kUsage =
    "usage: shop_load [--gateway HOST:PORT] [--users N] [--duration S] [--warmup S] [--mix browse=10,...]\n"
    "                 [--think-ms MS | --rate OPS] [--pay yes|no] [--timeout-ms MS] [--account-prefix P]\n"
    "                 [--seed-products N] [--catalog-limit N] [--setup-concurrency N] [--pids-file FILE]\n"
    "                 [--process NAME=PID]... [--process-tree NAME=PID]... [--label TEXT] [--seed N]\n"
    "                 [--max-error-percent P]\n"
    "operations: browse search view recommend order checkout (checkout is followed by pay with --pay yes);\n"
    "each option is described at the top of bench/load/shop_load.cpp\n";

[[noreturn]] void Usage(const std::string& problem) {
    if (!problem.empty()) std::fprintf(stderr, "shop_load: %s\n", problem.c_str());
    std::fputs(kUsage, problem.empty() ? stdout : stderr);
    std::exit(problem.empty() ? 0 : 2);
}

[[noreturn]] void Fatal(const std::string& problem) {
    std::fprintf(stderr, "shop_load: %s\n", problem.c_str());
    std::exit(1);
}

struct MixEntry {
    Operation operation;
    unsigned weight;
};

struct Options {
    std::string gateway_host = "127.0.0.1";
    std::string gateway_port = "8080";
    int users = 16;
    int duration = 30;
    int warmup = 5;
    std::vector<MixEntry> mix;
    std::string mix_text = "browse=10,search=5,view=5,recommend=2,order=1,checkout=1";
    double think_ms = 0;
    double rate = 0;
    bool pay = true;
    int timeout_ms = 5000;
    std::string prefix = "shop";
    std::size_t seed_products = 0;
    std::size_t catalog_limit = 20000;
    int setup_concurrency = 4;
    std::vector<WatchedProcess> processes;
    std::string label;
    std::uint64_t seed = 1;
    double max_error_percent = 1;
};

long Number(const std::string& option, const std::string& text, long min) {
    char* end = nullptr;
    long value = std::strtol(text.c_str(), &end, 10);
    if (text.empty() || *end != '\0' || value < min) {
        Usage(option + " needs a whole number of at least " + std::to_string(min) + ", got '" + text + "'");
    }
    return value;
}

double Decimal(const std::string& option, const std::string& text) {
    char* end = nullptr;
    double value = std::strtod(text.c_str(), &end);
    if (text.empty() || *end != '\0' || !(value >= 0)) Usage(option + " needs a number >= 0, got '" + text + "'");
    return value;
}

std::vector<MixEntry> ParseMix(const std::string& text) {
    std::vector<MixEntry> mix;
    std::stringstream items(text);
    std::string item;
    while (std::getline(items, item, ',')) {
        auto equals = item.find('=');
        if (equals == std::string::npos) Usage("--mix entries are name=weight, got '" + item + "'");
        auto operation = OperationNamed(item.substr(0, equals));
        if (!operation || *operation == Operation::kPay) {
            Usage("--mix: unknown operation '" + item.substr(0, equals) +
                  "' (browse, search, view, recommend, order, checkout)");
        }
        auto weight = Number("--mix weight of " + item.substr(0, equals), item.substr(equals + 1), 0);
        if (weight > 0) mix.push_back({*operation, static_cast<unsigned>(weight)});
    }
    if (mix.empty()) Usage("--mix has no operation with a positive weight");
    return mix;
}

WatchedProcess ParseProcess(const std::string& option, const std::string& text, bool tree) {
    auto equals = text.find('=');
    if (equals == std::string::npos || equals == 0) Usage(option + " is NAME=PID, got '" + text + "'");
    return {text.substr(0, equals), static_cast<pid_t>(Number(option, text.substr(equals + 1), 1)), tree};
}

void ReadPidsFile(const std::string& path, std::vector<WatchedProcess>& processes) {
    std::ifstream in(path);
    if (!in) Usage("cannot read --pids-file " + path);
    std::string name;
    long pid = 0;
    while (in >> name >> pid) processes.push_back({name, static_cast<pid_t>(pid), false});
}

Options Parse(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        std::string key = argv[i];
        if (key == "--help" || key == "-h") Usage("");
        if (i + 1 >= argc) Usage(key + " needs a value");
        std::string value = argv[++i];
        if (key == "--gateway") {
            auto colon = value.rfind(':');
            if (colon == std::string::npos || colon == 0) Usage("--gateway is HOST:PORT, got '" + value + "'");
            o.gateway_host = value.substr(0, colon);
            o.gateway_port = std::to_string(Number("--gateway port", value.substr(colon + 1), 1));
        } else if (key == "--users") {
            o.users = static_cast<int>(Number(key, value, 1));
        } else if (key == "--duration") {
            o.duration = static_cast<int>(Number(key, value, 1));
        } else if (key == "--warmup") {
            o.warmup = static_cast<int>(Number(key, value, 0));
        } else if (key == "--mix") {
            o.mix_text = value;
        } else if (key == "--think-ms") {
            o.think_ms = Decimal(key, value);
        } else if (key == "--rate") {
            o.rate = Decimal(key, value);
        } else if (key == "--pay") {
            if (value != "yes" && value != "no") Usage("--pay is yes or no");
            o.pay = value == "yes";
        } else if (key == "--timeout-ms") {
            o.timeout_ms = static_cast<int>(Number(key, value, 1));
        } else if (key == "--account-prefix") {
            o.prefix = value;
        } else if (key == "--seed-products") {
            o.seed_products = static_cast<std::size_t>(Number(key, value, 0));
        } else if (key == "--catalog-limit") {
            o.catalog_limit = static_cast<std::size_t>(Number(key, value, 1));
        } else if (key == "--setup-concurrency") {
            o.setup_concurrency = static_cast<int>(Number(key, value, 1));
        } else if (key == "--pids-file") {
            ReadPidsFile(value, o.processes);
        } else if (key == "--process") {
            o.processes.push_back(ParseProcess(key, value, false));
        } else if (key == "--process-tree") {
            o.processes.push_back(ParseProcess(key, value, true));
        } else if (key == "--label") {
            o.label = value;
        } else if (key == "--seed") {
            o.seed = static_cast<std::uint64_t>(Number(key, value, 0));
        } else if (key == "--max-error-percent") {
            o.max_error_percent = Decimal(key, value);
        } else {
            Usage("unknown option " + key);
        }
    }
    if (o.think_ms > 0 && o.rate > 0) Usage("--think-ms (closed loop) and --rate (open loop) exclude each other");
    o.mix = ParseMix(o.mix_text);
    return o;
}

// Draws operations by weight.
class MixPicker {
public:
    explicit MixPicker(const std::vector<MixEntry>& mix) : mix_(mix) {
        for (const auto& entry : mix) total_ += entry.weight;
    }
    Operation Pick(std::mt19937_64& random) const {
        auto ticket = random() % total_;
        for (const auto& entry : mix_) {
            if (ticket < entry.weight) return entry.operation;
            ticket -= entry.weight;
        }
        return mix_.back().operation;
    }

private:
    std::vector<MixEntry> mix_;
    std::uint64_t total_ = 0;
};

// Open loop: scheduled arrivals waiting for a free user.
class ArrivalQueue {
public:
    struct Arrival {
        Operation operation;
        Clock::time_point due;
    };
    explicit ArrivalQueue(std::size_t capacity) : capacity_(capacity) {}

    // False when the backlog is full (the arrival is dropped and counted).
    bool Push(Arrival arrival) {
        {
            std::lock_guard lock(mutex_);
            if (queue_.size() >= capacity_) {
                ++dropped_;
                return false;
            }
            queue_.push_back(arrival);
            max_backlog_ = std::max(max_backlog_, queue_.size());
        }
        ready_.notify_one();
        return true;
    }
    // Blocks for the next arrival; empty once closed.
    std::optional<Arrival> Pop() {
        std::unique_lock lock(mutex_);
        ready_.wait(lock, [this] { return closed_ || !queue_.empty(); });
        if (closed_) return std::nullopt;
        auto arrival = queue_.front();
        queue_.pop_front();
        return arrival;
    }
    // Stops handing out arrivals; those still waiting were never started.
    void Close() {
        {
            std::lock_guard lock(mutex_);
            closed_ = true;
            unstarted_ = queue_.size();
            queue_.clear();
        }
        ready_.notify_all();
    }
    std::size_t dropped() const { return dropped_; }
    std::size_t unstarted() const { return unstarted_; }
    std::size_t max_backlog() const { return max_backlog_; }

private:
    std::mutex mutex_;
    std::condition_variable ready_;
    std::deque<Arrival> queue_;
    std::size_t capacity_;
    std::size_t dropped_ = 0;
    std::size_t unstarted_ = 0;
    std::size_t max_backlog_ = 0;
    bool closed_ = false;
};

std::vector<ShopAccount> SignInShoppers(const Options& options) {
    std::vector<ShopAccount> accounts(static_cast<std::size_t>(options.users));
    std::atomic<int> next{0};
    std::mutex error_mutex;
    std::string error;
    std::vector<std::thread> workers;
    for (int w = 0; w < std::min(options.setup_concurrency, options.users); ++w) {
        workers.emplace_back([&] {
            KeepAliveConnection gateway(options.gateway_host, options.gateway_port,
                                        std::chrono::milliseconds(std::max(options.timeout_ms, 30000)));
            for (int i = next++; i < options.users; i = next++) {
                auto email = options.prefix + "-" + std::to_string(i) + "@load.local";
                auto name = "Shopper " + std::to_string(i);
                auto& account = accounts[static_cast<std::size_t>(i)];
                auto problem = SignInPatiently(gateway, email, name, kPassword, account);
                if (!problem.empty()) {
                    std::lock_guard lock(error_mutex);
                    if (error.empty()) error = problem;
                    next = options.users;
                    return;
                }
            }
        });
    }
    for (auto& worker : workers) worker.join();
    if (!error.empty()) Fatal("signing in the shoppers failed: " + error);
    return accounts;
}

Catalog PrepareCatalog(const Options& options) {
    auto timeout = std::chrono::milliseconds(std::max(options.timeout_ms, 30000));
    KeepAliveConnection gateway(options.gateway_host, options.gateway_port, timeout);
    Catalog catalog;
    std::string error;
    if (!LoadCatalog(gateway, options.catalog_limit, catalog, error)) Fatal(error);
    if (catalog.products.size() < options.seed_products) {
        ShopAccount merchant;
        auto problem =
            SignInPatiently(gateway, options.prefix + "-merchant@load.local", "Shop Merchant", kPassword, merchant);
        if (!problem.empty()) Fatal("signing in the merchant failed: " + problem);
        auto missing = options.seed_products - catalog.products.size();
        auto started = Clock::now();
        if (!SeedCatalog(options.gateway_host, options.gateway_port, merchant.token, missing,
                         options.setup_concurrency, timeout, error)) {
            Fatal("seeding the catalog failed: " + error);
        }
        std::fprintf(stderr, "shop_load: created %zu products in %.1f s\n", missing,
                     std::chrono::duration<double>(Clock::now() - started).count());
        if (!LoadCatalog(gateway, options.catalog_limit, catalog, error)) Fatal(error);
    }
    if (catalog.products.empty()) Fatal("the catalog is empty: seed it first (--seed-products N)");
    return catalog;
}

}  // namespace

int main(int argc, char** argv) {
    auto options = Parse(argc, argv);
    auto catalog = PrepareCatalog(options);
    auto accounts = SignInShoppers(options);
    std::fprintf(stderr, "shop_load: %zu products%s, %d users signed in\n", catalog.products.size(),
                 catalog.complete ? "" : " (a sample of the catalog)", options.users);

    // Idempotency keys unique to this run: a key reused with another cart would be refused.
    auto run_id = std::to_string(std::chrono::system_clock::now().time_since_epoch().count());
    Shopper::Settings settings{options.gateway_host, options.gateway_port,
                               std::chrono::milliseconds(options.timeout_ms), options.pay,
                               options.prefix + "-" + run_id};
    auto start = Clock::now() + std::chrono::milliseconds(100);
    auto measure_from = start + std::chrono::seconds(options.warmup);
    auto until = measure_from + std::chrono::seconds(options.duration);
    MixPicker mix(options.mix);
    bool open_loop = options.rate > 0;
    ArrivalQueue arrivals(static_cast<std::size_t>(std::max(10000.0, options.rate * 10)));

    std::vector<std::unique_ptr<ShopStats>> stats;
    std::vector<std::unique_ptr<Shopper>> shoppers;
    for (int i = 0; i < options.users; ++i) {
        stats.push_back(std::make_unique<ShopStats>(measure_from, until));
        shoppers.push_back(std::make_unique<Shopper>(i, accounts[static_cast<std::size_t>(i)], catalog, settings,
                                                     options.seed * 1000003 + static_cast<std::uint64_t>(i)));
    }

    std::vector<std::thread> users;
    for (int i = 0; i < options.users; ++i) {
        users.emplace_back([&, i] {
            auto& shopper = *shoppers[static_cast<std::size_t>(i)];
            auto& mine = *stats[static_cast<std::size_t>(i)];
            std::this_thread::sleep_until(start);
            if (open_loop) {
                while (auto arrival = arrivals.Pop()) shopper.Perform(arrival->operation, arrival->due, mine);
                return;
            }
            std::exponential_distribution<double> think(options.think_ms > 0 ? 1.0 / options.think_ms : 1.0);
            // Users start spread over one think time, not all at once.
            if (options.think_ms > 0) {
                std::this_thread::sleep_for(std::chrono::duration<double, std::milli>(
                    std::uniform_real_distribution<double>(0, options.think_ms)(shopper.random())));
            }
            while (Clock::now() < until) {
                shopper.Perform(mix.Pick(shopper.random()), Clock::now(), mine);
                if (options.think_ms > 0) {
                    auto pause = std::min(think(shopper.random()), options.think_ms * 10);
                    std::this_thread::sleep_until(
                        std::min(until, Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                                           std::chrono::duration<double, std::milli>(pause))));
                }
            }
        });
    }
    std::thread dispatcher;
    std::size_t offered = 0;
    if (open_loop) {
        dispatcher = std::thread([&] {
            std::mt19937_64 random(options.seed);
            std::exponential_distribution<double> gap(options.rate);
            auto due = start;
            while (due < until) {
                std::this_thread::sleep_until(due);
                if (due >= measure_from) ++offered;
                arrivals.Push({mix.Pick(random), due});
                due += std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(gap(random)));
            }
        });
    }

    PlatformUsage usage(options.processes);
    std::this_thread::sleep_until(measure_from);
    usage.Start();
    std::this_thread::sleep_until(until);
    auto platform = usage.Stop();
    if (open_loop) {
        dispatcher.join();
        arrivals.Close();
    }
    for (auto& user : users) user.join();

    std::array<OperationStats, kOperationCount> merged;
    for (auto& one : stats) {
        for (std::size_t k = 0; k < kOperationCount; ++k) merged[k].Merge(one->operations()[k]);
    }
    std::size_t connects = 0;
    for (const auto& shopper : shoppers) connects += shopper->connects();
    RunDescription run{options.users, options.think_ms, options.rate, options.duration, options.warmup,
                       options.mix_text, options.pay, options.label, catalog.products.size()};
    std::optional<OpenLoopFigures> open_loop_figures;
    if (open_loop) {
        open_loop_figures = OpenLoopFigures{offered, arrivals.dropped(), arrivals.unstarted(), arrivals.max_backlog()};
    }
    auto total = PrintShopReport(run, merged, open_loop_figures, platform, connects);

    auto attempted = total.ok + total.errors;
    if (attempted == 0) Fatal("no operation completed in the measured window");
    if (100.0 * static_cast<double>(total.errors) / static_cast<double>(attempted) > options.max_error_percent) {
        std::fprintf(stderr, "shop_load: %llu of %llu operations failed (over %.2f%%)\n",
                     static_cast<unsigned long long>(total.errors), static_cast<unsigned long long>(attempted),
                     options.max_error_percent);
        return 3;
    }
    return 0;
}
