// grpc_load: closed-loop gRPC load against OrderStream services.
//   grpc_load --target 127.0.0.1:50051 --scenario get-account --concurrency 32 --duration 10 --warmup 2
// Prints one line: scenario, concurrency, calls, errors, throughput, p50, p99 (ms).
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "account.grpc.pb.h"
#include "latency_recorder.hpp"

namespace {

using Clock = std::chrono::steady_clock;

struct Options {
    std::string target = "127.0.0.1:50051";
    std::string scenario = "get-account";
    int concurrency = 32;
    int duration = 10;
    int warmup = 2;
    int channels = 4;
};

Options Parse(int argc, char** argv) {
    Options o;
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string key = argv[i];
        std::string value = argv[i + 1];
        if (key == "--target") o.target = value;
        else if (key == "--scenario") o.scenario = value;
        else if (key == "--concurrency") o.concurrency = std::atoi(value.c_str());
        else if (key == "--duration") o.duration = std::atoi(value.c_str());
        else if (key == "--warmup") o.warmup = std::atoi(value.c_str());
        else if (key == "--channels") o.channels = std::atoi(value.c_str());
        else {
            std::fprintf(stderr, "grpc_load: unknown option %s\n", key.c_str());
            std::exit(2);
        }
    }
    if (o.concurrency < 1 || o.duration < 1 || o.channels < 1) {
        std::fprintf(stderr, "grpc_load: concurrency, duration and channels must be positive\n");
        std::exit(2);
    }
    return o;
}

// Registers a fresh account and returns its id, so that GetAccount hits a real row.
std::uint64_t PrepareAccount(pb::AccountService::Stub& stub) {
    std::string email = "load-" + std::to_string(std::chrono::system_clock::now().time_since_epoch().count()) +
                        "@bench.local";
    {
        grpc::ClientContext context;
        pb::RegisterRequest request;
        request.set_name("Load Test");
        request.set_email(email);
        request.set_password("load-test-password");
        google::protobuf::StringValue token;
        auto status = stub.Register(&context, request, &token);
        if (!status.ok()) {
            std::fprintf(stderr, "grpc_load: Register failed: %s\n", status.error_message().c_str());
            std::exit(1);
        }
    }
    for (std::uint64_t skip = 0;; skip += 100) {
        grpc::ClientContext context;
        pb::GetAccountsRequest request;
        request.set_skip(skip);
        request.set_take(100);
        pb::GetAccountsResponse response;
        if (!stub.GetAccounts(&context, request, &response).ok() || response.accounts_size() == 0) break;
        for (const auto& account : response.accounts()) {
            if (account.email() == email) return account.id();
        }
    }
    std::fprintf(stderr, "grpc_load: registered account not found\n");
    std::exit(1);
}

}  // namespace

int main(int argc, char** argv) {
    auto options = Parse(argc, argv);
    std::vector<std::unique_ptr<pb::AccountService::Stub>> stubs;
    for (int i = 0; i < options.channels; ++i) {
        grpc::ChannelArguments args;
        args.SetInt("grpc.channel_id", i);  // distinct channels, not one shared subchannel
        stubs.push_back(pb::AccountService::NewStub(
            grpc::CreateCustomChannel(options.target, grpc::InsecureChannelCredentials(), args)));
    }

    std::function<bool(pb::AccountService::Stub&)> call;
    if (options.scenario == "get-account") {
        auto id = PrepareAccount(*stubs[0]);
        call = [id](pb::AccountService::Stub& stub) {
            grpc::ClientContext context;
            context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
            google::protobuf::UInt64Value request;
            request.set_value(id);
            pb::AccountResponse response;
            return stub.GetAccount(&context, request, &response).ok() && response.account().id() == id;
        };
    } else {
        std::fprintf(stderr, "grpc_load: unknown scenario %s (known: get-account)\n", options.scenario.c_str());
        return 2;
    }

    std::atomic<bool> measuring{false};
    std::atomic<bool> stop{false};
    std::vector<orderstream::bench::LatencyRecorder> recorders(static_cast<std::size_t>(options.concurrency));
    std::vector<std::uint64_t> errors(static_cast<std::size_t>(options.concurrency), 0);
    std::vector<std::thread> workers;
    for (int w = 0; w < options.concurrency; ++w) {
        workers.emplace_back([&, w] {
            auto& stub = *stubs[static_cast<std::size_t>(w % options.channels)];
            auto& recorder = recorders[static_cast<std::size_t>(w)];
            while (!stop.load(std::memory_order_relaxed)) {
                auto started = Clock::now();
                bool ok = call(stub);
                if (measuring.load(std::memory_order_relaxed)) {
                    recorder.Add(Clock::now() - started);
                    if (!ok) ++errors[static_cast<std::size_t>(w)];
                }
            }
        });
    }
    std::this_thread::sleep_for(std::chrono::seconds(options.warmup));
    measuring = true;
    auto started = Clock::now();
    std::this_thread::sleep_for(std::chrono::seconds(options.duration));
    measuring = false;
    double elapsed = std::chrono::duration<double>(Clock::now() - started).count();
    stop = true;
    for (auto& w : workers) w.join();

    orderstream::bench::LatencyRecorder all;
    std::uint64_t error_count = 0;
    for (std::size_t i = 0; i < recorders.size(); ++i) {
        all.Merge(recorders[i]);
        error_count += errors[i];
    }
    std::printf("scenario=%s concurrency=%d calls=%zu errors=%llu throughput=%.0f/s p50=%.3fms p99=%.3fms\n",
                options.scenario.c_str(), options.concurrency, all.Count(),
                static_cast<unsigned long long>(error_count), static_cast<double>(all.Count()) / elapsed,
                all.PercentileMs(50), all.PercentileMs(99));
    return error_count == 0 ? 0 : 1;
}
