// recommender_latency_bench: trains the served model (SVD + co-occurrence) on a CSV of
// ratings, then times recommendations the way the service computes them in memory.
//
//   recommender_latency_bench --ratings FILE [--requests 10000] [--take 5] [--seed 1]
//
// For each request: one user (drawn at random) scored against every product of the model,
// their own products excluded, best `take` kept; and "based on viewed" for three products.
// Prints one JSON object with training time, model memory and latency percentiles (ms).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "orderstream/recommender/model/model_training.hpp"
#include "orderstream/recommender/model/rating_csv.hpp"

using namespace orderstream::recommender;
using Clock = std::chrono::steady_clock;

namespace {

double Percentile(std::vector<double> values, double p) {
    std::sort(values.begin(), values.end());
    auto index = static_cast<std::size_t>(p * static_cast<double>(values.size() - 1) + 0.5);
    return values[std::min(index, values.size() - 1)];
}

double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

}  // namespace

int main(int argc, char** argv) {
    std::map<std::string, std::string> args = {{"requests", "10000"}, {"take", "5"}, {"seed", "1"}};
    for (int k = 1; k + 1 < argc; k += 2) args[std::string(argv[k]).substr(2)] = argv[k + 1];
    if (!args.count("ratings")) {
        std::fprintf(stderr, "usage: recommender_latency_bench --ratings FILE [--requests N] [--take N] [--seed N]\n");
        return 2;
    }
    auto ratings = ReadRatingsCsv(args["ratings"]);
    if (!ratings.ok()) {
        std::fprintf(stderr, "%s\n", ratings.error().message.c_str());
        return 2;
    }
    const auto requests = std::stoul(args["requests"]);
    const auto take = std::stoul(args["take"]);

    TrainingOptions options;  // Surprise's defaults: 100 factors, 20 epochs
    options.holdout_fraction = 0;
    auto trained = TrainRecommendationModel(*ratings, options);
    const auto& model = *trained.model;
    const auto& svd = model.svd();

    std::vector<std::vector<std::uint32_t>> user_items(svd.n_users());
    for (const auto& r : *ratings) user_items[*svd.users().Find(r.user)].push_back(*svd.items().Find(r.item));

    std::mt19937 rng(static_cast<std::uint32_t>(std::stoul(args["seed"])));
    std::vector<double> for_user, for_viewed;
    for_user.reserve(requests);
    for_viewed.reserve(requests);
    std::size_t checksum = 0;
    for (std::size_t k = 0; k < requests; ++k) {
        const auto user = static_cast<std::uint32_t>(rng() % svd.n_users());
        auto started = Clock::now();
        std::vector<bool> excluded(svd.n_items(), false);
        for (auto item : user_items[user]) excluded[item] = true;
        auto best = model.ForUser(user, excluded, take);
        for_user.push_back(Ms(Clock::now() - started));
        checksum += best.front().item;

        std::vector<std::uint32_t> viewed = {static_cast<std::uint32_t>(rng() % svd.n_items()),
                                             static_cast<std::uint32_t>(rng() % svd.n_items()),
                                             static_cast<std::uint32_t>(rng() % svd.n_items())};
        started = Clock::now();
        auto similar = model.SimilarTo(viewed, {}, take, 0.5);
        for_viewed.push_back(Ms(Clock::now() - started));
        checksum += similar.front().item;
    }
    std::printf(
        "{\"ratings\": %zu, \"users\": %zu, \"items\": %zu, \"training_seconds\": %.3f, \"model_bytes\": %zu, "
        "\"requests\": %zu, \"for_user_ms\": {\"p50\": %.3f, \"p99\": %.3f, \"max\": %.3f}, "
        "\"viewed_ms\": {\"p50\": %.3f, \"p99\": %.3f, \"max\": %.3f}, \"checksum\": %zu}\n",
        trained.report.ratings, svd.n_users(), svd.n_items(), trained.report.seconds, model.MemoryBytes(), requests,
        Percentile(for_user, 0.5), Percentile(for_user, 0.99), Percentile(for_user, 1.0), Percentile(for_viewed, 0.5),
        Percentile(for_viewed, 0.99), Percentile(for_viewed, 1.0), checksum);
    return 0;
}
