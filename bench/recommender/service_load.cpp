// recommender_service_load: closed-loop gRPC load on a running recommender, as the gateway
// calls it, to measure end-to-end recommendation latency (gRPC, the replica reads in
// PostgreSQL, the ranking).
//
//   recommender_service_load --target 127.0.0.1:52055 --users 2000 --products 10000
//       [--concurrency 1] [--duration 10] [--warmup 2] [--scenario user|viewed]
//
// Users are u0..u<users-1>, products i0..i<products-1> (the ids generate_ratings.py writes).
// Prints one line: scenario, concurrency, calls, errors, calls/s, p50 and p99 in ms.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "../load/latency_recorder.hpp"
#include "recommender.grpc.pb.h"

using Clock = std::chrono::steady_clock;

int main(int argc, char** argv) {
    std::map<std::string, std::string> args = {{"target", "127.0.0.1:52055"}, {"users", "2000"},
                                               {"products", "10000"},        {"concurrency", "1"},
                                               {"duration", "10"},           {"warmup", "2"},
                                               {"scenario", "user"}};
    for (int k = 1; k + 1 < argc; k += 2) args[std::string(argv[k]).substr(2)] = argv[k + 1];
    const int users = std::stoi(args["users"]);
    const int products = std::stoi(args["products"]);
    const int concurrency = std::stoi(args["concurrency"]);
    const bool viewed = args["scenario"] == "viewed";
    auto channel = grpc::CreateChannel(args["target"], grpc::InsecureChannelCredentials());
    auto stub = pb::RecommenderService::NewStub(channel);

    const auto start = Clock::now();
    const auto measure_from = start + std::chrono::seconds(std::stoi(args["warmup"]));
    const auto stop_at = measure_from + std::chrono::seconds(std::stoi(args["duration"]));
    std::atomic<long> errors{0};
    std::vector<orderstream::bench::LatencyRecorder> recorders(concurrency);
    std::vector<std::thread> workers;
    for (int w = 0; w < concurrency; ++w) {
        workers.emplace_back([&, w] {
            std::mt19937 rng(static_cast<std::uint32_t>(w + 1));
            while (Clock::now() < stop_at) {
                grpc::ClientContext context;
                context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
                pb::RecommendationResponse response;
                const auto began = Clock::now();
                grpc::Status status;
                if (viewed) {
                    pb::RecommendationRequestOnViews request;
                    for (int k = 0; k < 3; ++k) request.add_ids("i" + std::to_string(rng() % products));
                    request.set_take(5);
                    status = stub->GetRecommendationsBasedOnViewed(&context, request, &response);
                } else {
                    pb::RecommendationRequestForUserId request;
                    request.set_user_id("u" + std::to_string(rng() % users));
                    request.set_take(5);
                    status = stub->GetRecommendations(&context, request, &response);
                }
                const auto ended = Clock::now();
                if (!status.ok() || response.recommended_products_size() != 5) ++errors;
                if (began >= measure_from) recorders[w].Add(ended - began);
            }
        });
    }
    for (auto& t : workers) t.join();
    orderstream::bench::LatencyRecorder all;
    for (const auto& r : recorders) all.Merge(r);
    const double seconds = std::chrono::duration<double>(stop_at - measure_from).count();
    std::printf("%s concurrency %d: %zu calls, %ld errors, %.0f calls/s, p50 %.3f ms, p99 %.3f ms\n",
                viewed ? "viewed" : "user", concurrency, all.Count(), errors.load(),
                static_cast<double>(all.Count()) / seconds, all.PercentileMs(50), all.PercentileMs(99));
    return errors.load() == 0 ? 0 : 1;
}
