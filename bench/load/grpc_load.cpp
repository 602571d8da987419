// grpc_load: closed-loop gRPC load against OrderStream services.
//   grpc_load --target 127.0.0.1:50051 --scenario get-account --concurrency 32 --duration 10 --warmup 2
// Scenarios: get-account (account), search, get-products-by-ids, post-product (product),
// post-order (order; --account-target and --product-target name the other services).
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
#include "order.grpc.pb.h"
#include "product.grpc.pb.h"
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
    std::string account_target = "127.0.0.1:50051";
    std::string product_target = "127.0.0.1:50052";
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
        else if (key == "--account-target") o.account_target = value;
        else if (key == "--product-target") o.product_target = value;
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

std::shared_ptr<grpc::Channel> Channel(const std::string& target, int id) {
    grpc::ChannelArguments args;
    args.SetInt("grpc.channel_id", id);  // distinct channels, not one shared subchannel
    return grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(), args);
}

[[noreturn]] void Fail(const std::string& what, const grpc::Status& status) {
    std::fprintf(stderr, "grpc_load: %s failed: %s\n", what.c_str(), status.error_message().c_str());
    std::exit(1);
}

// Registers a fresh account and returns its id, so that calls hit a real row.
std::uint64_t PrepareAccount(const std::string& target) {
    auto stub = pb::AccountService::NewStub(Channel(target, 1000));
    std::string email = "load-" + std::to_string(std::chrono::system_clock::now().time_since_epoch().count()) +
                        "@bench.local";
    {
        grpc::ClientContext context;
        pb::RegisterRequest request;
        request.set_name("Load Test");
        request.set_email(email);
        request.set_password("load-test-password");
        google::protobuf::StringValue token;
        if (auto status = stub->Register(&context, request, &token); !status.ok()) Fail("Register", status);
    }
    for (std::uint64_t skip = 0;; skip += 100) {
        grpc::ClientContext context;
        pb::GetAccountsRequest request;
        request.set_skip(skip);
        request.set_take(100);
        pb::GetAccountsResponse response;
        if (!stub->GetAccounts(&context, request, &response).ok() || response.accounts_size() == 0) break;
        for (const auto& account : response.accounts()) {
            if (account.email() == email) return account.id();
        }
    }
    std::fprintf(stderr, "grpc_load: registered account not found\n");
    std::exit(1);
}

// Up to `count` product ids from the catalog (newest first).
std::vector<std::string> CatalogIds(const std::string& target, std::size_t count) {
    auto stub = pb::ProductService::NewStub(Channel(target, 1001));
    std::vector<std::string> ids;
    for (std::uint64_t skip = 0; ids.size() < count; skip += 100) {
        grpc::ClientContext context;
        pb::GetProductsRequest request;
        request.set_skip(skip);
        request.set_take(100);
        pb::ProductsResponse response;
        if (auto status = stub->GetProducts(&context, request, &response); !status.ok()) Fail("GetProducts", status);
        if (response.products_size() == 0) break;
        for (const auto& product : response.products()) ids.push_back(product.id());
    }
    if (ids.empty()) {
        std::fprintf(stderr, "grpc_load: the catalog is empty\n");
        std::exit(1);
    }
    return ids;
}

// One call of the scenario on channel `channel` by worker `worker`; true when it succeeded.
using Call = std::function<bool(int channel, int worker, std::uint64_t iteration)>;

Call MakeScenario(const Options& options) {
    auto deadline = [] { return std::chrono::system_clock::now() + std::chrono::seconds(5); };
    if (options.scenario == "get-account") {
        auto id = PrepareAccount(options.target);
        auto stubs = std::make_shared<std::vector<std::unique_ptr<pb::AccountService::Stub>>>();
        for (int i = 0; i < options.channels; ++i) stubs->push_back(pb::AccountService::NewStub(Channel(options.target, i)));
        return [stubs, id, deadline](int channel, int, std::uint64_t) {
            grpc::ClientContext context;
            context.set_deadline(deadline());
            google::protobuf::UInt64Value request;
            request.set_value(id);
            pb::AccountResponse response;
            return (*stubs)[static_cast<std::size_t>(channel)]->GetAccount(&context, request, &response).ok() &&
                   response.account().id() == id;
        };
    }
    if (options.scenario == "search" || options.scenario == "get-products-by-ids" ||
        options.scenario == "post-product") {
        auto stubs = std::make_shared<std::vector<std::unique_ptr<pb::ProductService::Stub>>>();
        for (int i = 0; i < options.channels; ++i) stubs->push_back(pb::ProductService::NewStub(Channel(options.target, i)));
        if (options.scenario == "search") {
            // Mixed one- and two-word queries over the generator's vocabulary.
            static const std::vector<std::string> kQueries = {
                "headphones", "wireless speaker", "leather", "running shoes", "coffee", "steel bottle", "lamp",
                "bluetooth", "organic cotton", "desk", "gaming mouse", "backpack", "ceramic mug", "yoga",
                "stainless", "kids toy", "camera", "waterproof jacket", "keyboard", "garden"};
            return [stubs, deadline](int channel, int worker, std::uint64_t iteration) {
                grpc::ClientContext context;
                context.set_deadline(deadline());
                pb::GetProductsRequest request;
                request.set_query(kQueries[(iteration * 7 + static_cast<std::uint64_t>(worker)) % kQueries.size()]);
                request.set_take(10);
                pb::ProductsResponse response;
                return (*stubs)[static_cast<std::size_t>(channel)]->GetProducts(&context, request, &response).ok();
            };
        }
        if (options.scenario == "get-products-by-ids") {
            auto ids = std::make_shared<std::vector<std::string>>(CatalogIds(options.target, 2000));
            return [stubs, ids, deadline](int channel, int worker, std::uint64_t iteration) {
                grpc::ClientContext context;
                context.set_deadline(deadline());
                pb::GetProductsRequest request;
                auto start = (iteration * 20 + static_cast<std::uint64_t>(worker) * 131) % ids->size();
                for (std::size_t k = 0; k < 20; ++k) request.add_ids((*ids)[(start + k) % ids->size()]);
                pb::ProductsResponse response;
                return (*stubs)[static_cast<std::size_t>(channel)]->GetProducts(&context, request, &response).ok() &&
                       response.products_size() == std::min<int>(20, static_cast<int>(ids->size()));
            };
        }
        return [stubs, deadline](int channel, int worker, std::uint64_t iteration) {
            grpc::ClientContext context;
            context.set_deadline(deadline());
            pb::CreateProductRequest request;
            request.set_name("Load product " + std::to_string(worker) + "-" + std::to_string(iteration));
            request.set_description("Created by the load generator");
            request.set_price(19.99);
            request.set_accountid(1);
            pb::ProductResponse response;
            return (*stubs)[static_cast<std::size_t>(channel)]->PostProduct(&context, request, &response).ok();
        };
    }
    if (options.scenario == "post-order") {
        auto account = PrepareAccount(options.account_target);
        auto ids = std::make_shared<std::vector<std::string>>(CatalogIds(options.product_target, 300));
        auto stubs = std::make_shared<std::vector<std::unique_ptr<pb::OrderService::Stub>>>();
        for (int i = 0; i < options.channels; ++i) stubs->push_back(pb::OrderService::NewStub(Channel(options.target, i)));
        return [stubs, ids, account, deadline](int channel, int worker, std::uint64_t iteration) {
            grpc::ClientContext context;
            context.set_deadline(deadline());
            pb::PostOrderRequest request;
            request.set_accountid(account);
            auto start = (iteration * 3 + static_cast<std::uint64_t>(worker) * 17) % ids->size();
            for (std::size_t k = 0; k < 3; ++k) {
                auto* line = request.add_products();
                line->set_id((*ids)[(start + k) % ids->size()]);
                line->set_quantity(static_cast<std::uint32_t>(1 + k));
            }
            pb::PostOrderResponse response;
            return (*stubs)[static_cast<std::size_t>(channel)]->PostOrder(&context, request, &response).ok();
        };
    }
    std::fprintf(stderr, "grpc_load: unknown scenario %s\n", options.scenario.c_str());
    std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
    auto options = Parse(argc, argv);
    auto call = MakeScenario(options);

    std::atomic<bool> measuring{false};
    std::atomic<bool> stop{false};
    std::vector<orderstream::bench::LatencyRecorder> recorders(static_cast<std::size_t>(options.concurrency));
    std::vector<std::uint64_t> errors(static_cast<std::size_t>(options.concurrency), 0);
    std::vector<std::thread> workers;
    for (int w = 0; w < options.concurrency; ++w) {
        workers.emplace_back([&, w] {
            auto& recorder = recorders[static_cast<std::size_t>(w)];
            for (std::uint64_t iteration = 0; !stop.load(std::memory_order_relaxed); ++iteration) {
                auto started = Clock::now();
                bool ok = call(w % options.channels, w, iteration);
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
