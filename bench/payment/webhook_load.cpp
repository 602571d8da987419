// Posts signed Dodo webhook deliveries to the payment role at a fixed concurrency over
// keep-alive HTTP/1.1 connections and reports throughput and latency. A share of the
// deliveries repeats an id already sent (as Dodo's retries do).
//
//   webhook_load --port 8081 --secret whsec_... --sessions 20000 --concurrency 32
//                --duration 10 --duplicates 0.3
//
// Delivery i pays the transaction with checkout session "cks_bench_<i mod sessions>"; ids are
// "msg_bench_<run>_<i>", so each distinct id should change state exactly once.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "../load/latency_recorder.hpp"
#include "webhook_signature.hpp"

namespace {

struct Options {
    int port = 8081;
    std::string secret;
    std::string run = "1";
    int sessions = 20000;
    int concurrency = 32;
    int duration = 10;
    double duplicates = 0.3;
};

Options Parse(int argc, char** argv) {
    Options options;
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string key = argv[i];
        std::string value = argv[i + 1];
        if (key == "--port") options.port = std::stoi(value);
        else if (key == "--secret") options.secret = value;
        else if (key == "--run") options.run = value;
        else if (key == "--sessions") options.sessions = std::stoi(value);
        else if (key == "--concurrency") options.concurrency = std::stoi(value);
        else if (key == "--duration") options.duration = std::stoi(value);
        else if (key == "--duplicates") options.duplicates = std::stod(value);
        else {
            std::fprintf(stderr, "unknown option %s\n", key.c_str());
            std::exit(2);
        }
    }
    return options;
}

int Connect(int port) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
    if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
        close(fd);
        return -1;
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    return fd;
}

// Sends one request and reads one response on a keep-alive connection; the status or -1.
int Exchange(int fd, const std::string& request, std::string& buffer) {
    for (std::size_t sent = 0; sent < request.size();) {
        auto n = send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) return -1;
        sent += static_cast<std::size_t>(n);
    }
    buffer.clear();
    char chunk[4096];
    while (true) {
        auto end = buffer.find("\r\n\r\n");
        if (end != std::string::npos) {
            auto length_at = buffer.find("Content-Length: ");
            if (length_at == std::string::npos) length_at = buffer.find("content-length: ");
            std::size_t length = length_at == std::string::npos ? 0 : std::stoul(buffer.substr(length_at + 16));
            if (buffer.size() >= end + 4 + length) return std::stoi(buffer.substr(9, 3));
        }
        auto n = recv(fd, chunk, sizeof(chunk), 0);
        if (n <= 0) return -1;
        buffer.append(chunk, static_cast<std::size_t>(n));
    }
}

std::string Delivery(const orderstream::payment::SignatureVerifier& signer, const std::string& id, int session,
                     int port) {
    auto body = R"({"business_id":"bus_bench","type":"payment.succeeded","timestamp":"2026-12-01T00:00:00Z",)"
                R"("data":{"payload_type":"Payment","payment_id":"pay_bench_)" +
                std::to_string(session) + R"(","status":"succeeded","currency":"USD","total_amount":1999,)"
                R"("settlement_amount":1950,"settlement_currency":"USD","checkout_session_id":"cks_bench_)" +
                std::to_string(session) + R"(","metadata":{"order_id":")" + std::to_string(session + 1) +
                R"(","user_id":"1"}}})";
    auto timestamp = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    return "POST /webhooks/dodo HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
           "\r\nContent-Type: application/json\r\nwebhook-id: " + id +
           "\r\nwebhook-timestamp: " + std::to_string(timestamp) +
           "\r\nwebhook-signature: " + signer.Sign(id, timestamp, body) +
           "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

}  // namespace

int main(int argc, char** argv) {
    auto options = Parse(argc, argv);
    auto signer = orderstream::payment::SignatureVerifier::FromSecret(options.secret);
    if (!signer.ok()) {
        std::fprintf(stderr, "--secret: %s\n", signer.error().message.c_str());
        return 2;
    }
    std::atomic<int> next{0};
    std::atomic<long> errors{0};
    std::atomic<long> duplicates_sent{0};
    std::atomic<bool> stop{false};
    std::vector<orderstream::bench::LatencyRecorder> recorders(static_cast<std::size_t>(options.concurrency));
    std::vector<std::thread> workers;
    for (int w = 0; w < options.concurrency; ++w) {
        workers.emplace_back([&, w] {
            std::mt19937 random(static_cast<unsigned>(w) * 7919U + 1U);
            std::uniform_real_distribution<double> coin(0, 1);
            int fd = Connect(options.port);
            std::string buffer;
            while (!stop.load() && fd >= 0) {
                int sequence = next.fetch_add(1);
                bool duplicate = sequence > 0 && coin(random) < options.duplicates;
                if (duplicate) {
                    sequence = std::uniform_int_distribution<int>(0, sequence - 1)(random);
                    duplicates_sent.fetch_add(1);
                }
                if (sequence >= options.sessions) break;
                auto id = "msg_bench_" + options.run + "_" + std::to_string(sequence);
                auto request = Delivery(*signer, id, sequence, options.port);
                auto started = std::chrono::steady_clock::now();
                int status = Exchange(fd, request, buffer);
                recorders[static_cast<std::size_t>(w)].Add(std::chrono::steady_clock::now() - started);
                if (status != 200) {
                    errors.fetch_add(1);
                    if (status < 0) {
                        close(fd);
                        fd = Connect(options.port);
                    }
                }
            }
            if (fd >= 0) close(fd);
        });
    }
    auto started = std::chrono::steady_clock::now();
    while (std::chrono::steady_clock::now() - started < std::chrono::seconds(options.duration) &&
           next.load() < options.sessions) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    stop = true;
    for (auto& worker : workers) worker.join();
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    orderstream::bench::LatencyRecorder all;
    for (const auto& recorder : recorders) all.Merge(recorder);
    std::printf(
        "scenario=signed-webhooks concurrency=%d deliveries=%zu duplicates=%ld errors=%ld throughput_per_s=%.0f "
        "p50_ms=%.2f p99_ms=%.2f\n",
        options.concurrency, all.Count(), duplicates_sent.load(), errors.load(),
        static_cast<double>(all.Count()) / seconds, all.PercentileMs(50), all.PercentileMs(99));
    return errors.load() == 0 ? 0 : 1;
}
