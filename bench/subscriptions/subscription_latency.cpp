// Order-status subscriptions under load: how long from the commit of a status change to the `next`
// on each subscriber's socket with many subscriptions open, and what idle WebSocket connections cost
// the gateway in memory.
//
//   subscription_latency --gateway HOST:PORT --gateway-admin HOST:PORT --gateway-pid PID --account HOST:PORT --product HOST:PORT
//       --order HOST:PORT [--users 50] [--per-user 20] [--idle 1000]
//
// `users` accounts with one order each; `per-user` graphql-ws connections per account, each subscribed
// to `orderStatusChanged` (all of the account's orders): users × per-user open subscriptions. Each order
// then changes three times (failed, paid, refunded), one change at a time: the clock starts when
// UpdateOrderStatus returns (the order service has committed) and stops at each of the account's
// subscribers' `next`. Before that, on a freshly started gateway, `idle` connections are opened,
// initialised and left alone, and the gateway's RSS is read before and after them.
// The path measured is the platform's own: the order service commits the change with its
// order.status_changed event in the outbox, the relay publishes it to order_events, the gateway reads
// it, reads the order once and pushes it to each subscriber.
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <thread>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <grpcpp/grpcpp.h>
#include <rapidjson/document.h>

#include "account.grpc.pb.h"
#include "order.grpc.pb.h"
#include "product.grpc.pb.h"

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

struct Options {
    std::string gateway, gateway_admin, account, product, order;
    int gateway_pid = 0;
    int users = 50;
    int per_user = 20;
    int idle = 1000;
};

// The `sub` claim of a JWT: the account id.
std::uint64_t AccountOf(const std::string& token) {
    auto first = token.find('.');
    auto second = token.find('.', first + 1);
    std::string payload = token.substr(first + 1, second - first - 1);
    static const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string decoded;
    int bits = 0, value = 0;
    for (char c : payload) {
        auto index = alphabet.find(c);
        if (index == std::string::npos) break;
        value = (value << 6) | static_cast<int>(index);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            decoded += static_cast<char>((value >> bits) & 0xFF);
        }
    }
    rapidjson::Document claims;
    claims.Parse(decoded.c_str());
    const auto& sub = claims["sub"];
    return sub.IsString() ? std::stoull(sub.GetString()) : sub.GetUint64();
}

// Waiting for the `next`s of one change.
struct Expected {
    Clock::time_point committed;
    std::string status;
    int remaining = 0;
};

struct Measurements {
    std::mutex mutex;
    std::condition_variable changed;
    std::map<std::uint64_t, Expected> expected;  // by order id
    std::vector<double> latencies_ms;
    std::atomic<int> acked{0};
    std::atomic<int> failures{0};
    std::atomic<long> unexpected{0};
};

// One graphql-transport-ws client connection on the driver's I/O thread.
class Client : public std::enable_shared_from_this<Client> {
public:
    Client(asio::io_context& io, const tcp::endpoint& endpoint, std::string host, std::string token, bool subscribe,
           Measurements& measurements)
        : ws_(io), endpoint_(endpoint), host_(std::move(host)), token_(std::move(token)), subscribe_(subscribe),
          measurements_(measurements) {}

    void Start() {
        ws_.next_layer().async_connect(endpoint_, [self = shared_from_this()](beast::error_code ec) {
            if (ec) return self->Fail("connect", ec);
            self->ws_.set_option(websocket::stream_base::decorator([](websocket::request_type& request) {
                request.set(beast::http::field::sec_websocket_protocol, "graphql-transport-ws");
            }));
            self->ws_.async_handshake(self->host_, "/graphql", [self](beast::error_code ec) {
                if (ec) return self->Fail("handshake", ec);
                self->Send(R"({"type":"connection_init","payload":{"authorization":"Bearer )" + self->token_ + "\"}}");
                self->Read();
            });
        });
    }
    void Close() {
        asio::post(ws_.get_executor(), [self = shared_from_this()] {
            beast::error_code ec;
            self->ws_.next_layer().close(ec);
        });
    }

private:
    void Send(std::string text) {
        outgoing_.push_back(std::move(text));
        if (outgoing_.size() == 1) Write();
    }
    void Write() {
        ws_.async_write(asio::buffer(outgoing_.front()), [self = shared_from_this()](beast::error_code ec, std::size_t) {
            if (ec) return self->Fail("write", ec);
            self->outgoing_.pop_front();
            if (!self->outgoing_.empty()) self->Write();
        });
    }
    void Read() {
        ws_.async_read(buffer_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
            if (ec) return;  // closed at the end of the run
            self->OnMessage(beast::buffers_to_string(self->buffer_.data()));
            self->buffer_.consume(self->buffer_.size());
            self->Read();
        });
    }
    void OnMessage(const std::string& text) {
        auto arrived = Clock::now();
        rapidjson::Document message;
        message.Parse(text.c_str());
        if (!message.IsObject() || !message.HasMember("type")) return;
        std::string type = message["type"].GetString();
        if (type == "connection_ack") {
            if (subscribe_) {
                Send(R"({"id":"1","type":"subscribe","payload":{"query":"subscription { orderStatusChanged { id status } }"}})");
            }
            ++measurements_.acked;
            return;
        }
        if (type == "ping") return Send(R"({"type":"pong"})");
        if (type != "next") {
            ++measurements_.failures;
            std::fprintf(stderr, "unexpected message: %s\n", text.c_str());
            return;
        }
        const auto& order = message["payload"]["data"]["orderStatusChanged"];
        auto id = order["id"].GetUint64();
        std::string status = order["status"].GetString();
        std::lock_guard lock(measurements_.mutex);
        auto found = measurements_.expected.find(id);
        if (found == measurements_.expected.end() || found->second.status != status || found->second.remaining == 0) {
            ++measurements_.unexpected;
            return;
        }
        measurements_.latencies_ms.push_back(
            std::chrono::duration<double, std::milli>(arrived - found->second.committed).count());
        if (--found->second.remaining == 0) measurements_.changed.notify_all();
    }
    void Fail(const char* what, beast::error_code ec) {
        ++measurements_.failures;
        std::fprintf(stderr, "%s: %s\n", what, ec.message().c_str());
    }

    websocket::stream<tcp::socket> ws_;
    tcp::endpoint endpoint_;
    std::string host_;
    std::string token_;
    bool subscribe_;
    Measurements& measurements_;
    beast::flat_buffer buffer_;
    std::deque<std::string> outgoing_;
};

long RssKib(int pid) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
    }
    return -1;
}

double Percentile(std::vector<double> values, double p) {
    if (values.empty()) return 0;
    std::sort(values.begin(), values.end());
    auto index = static_cast<std::size_t>(p / 100.0 * static_cast<double>(values.size() - 1) + 0.5);
    return values[std::min(index, values.size() - 1)];
}

// The gateway's gauge `name` from /metrics, read with a blocking HTTP/1.0 request.
double GatewayMetric(const Options& options, const std::string& name) {
    asio::io_context io;
    tcp::socket socket(io);
    auto colon = options.gateway_admin.rfind(':');
    beast::error_code ec;
    socket.connect(tcp::endpoint(asio::ip::make_address(options.gateway_admin.substr(0, colon)),
                                 static_cast<unsigned short>(std::stoi(options.gateway_admin.substr(colon + 1)))),
                   ec);
    if (ec) return -1;
    std::string request = "GET /metrics HTTP/1.0\r\nHost: x\r\n\r\n";
    asio::write(socket, asio::buffer(request), ec);
    std::string reply;
    char chunk[8192];
    for (;;) {
        auto n = socket.read_some(asio::buffer(chunk), ec);
        reply.append(chunk, n);
        if (ec) break;
    }
    auto at = reply.find("\n" + name + " ");
    return at == std::string::npos ? 0 : std::stod(reply.substr(at + name.size() + 2));
}

bool WaitForMetric(const Options& options, const std::string& name, const std::function<bool(double)>& wanted) {
    for (int i = 0; i < 600; ++i) {
        if (wanted(GatewayMetric(options, name))) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
}

}  // namespace

int main(int argc, char** argv) {
    Options options;
    for (int i = 1; i < argc; ++i) {
        std::string flag = argv[i];
        if (i + 1 >= argc) break;
        std::string value = argv[++i];
        if (flag == "--gateway") options.gateway = value;
        else if (flag == "--gateway-admin") options.gateway_admin = value;
        else if (flag == "--gateway-pid") options.gateway_pid = std::stoi(value);
        else if (flag == "--account") options.account = value;
        else if (flag == "--product") options.product = value;
        else if (flag == "--order") options.order = value;
        else if (flag == "--users") options.users = std::stoi(value);
        else if (flag == "--per-user") options.per_user = std::stoi(value);
        else if (flag == "--idle") options.idle = std::stoi(value);
    }
    auto accounts = pb::AccountService::NewStub(grpc::CreateChannel(options.account, grpc::InsecureChannelCredentials()));
    auto products = pb::ProductService::NewStub(grpc::CreateChannel(options.product, grpc::InsecureChannelCredentials()));
    auto orders = pb::OrderService::NewStub(grpc::CreateChannel(options.order, grpc::InsecureChannelCredentials()));
    if (!WaitForMetric(options, "gateway_order_feed_partitions", [](double partitions) { return partitions > 0; })) {
        std::fprintf(stderr, "the gateway does not read order_events\n");
        return 1;
    }

    // Accounts, a product and one order per account.
    std::string run_tag = std::to_string(std::chrono::system_clock::now().time_since_epoch().count());
    std::vector<std::string> tokens(options.users);
    std::vector<std::uint64_t> account_ids(options.users), order_ids(options.users);
    {
        std::vector<std::thread> registering;
        for (int t = 0; t < 2; ++t) {
            registering.emplace_back([&, t] {
                for (int u = t; u < options.users; u += 2) {
                    grpc::ClientContext context;
                    pb::RegisterRequest request;
                    request.set_name("Bench Watcher");
                    request.set_email("watch-" + run_tag + "-" + std::to_string(u) + "@bench.local");
                    request.set_password("bench-password");
                    google::protobuf::StringValue token;
                    if (!accounts->Register(&context, request, &token).ok()) std::abort();
                    tokens[u] = token.value();
                    account_ids[u] = AccountOf(tokens[u]);
                }
            });
        }
        for (auto& thread : registering) thread.join();
    }
    std::string product_id;
    {
        grpc::ClientContext context;
        pb::CreateProductRequest request;
        request.set_name("Watched lamp");
        request.set_description("bench");
        request.set_price(10);
        request.set_accountid(account_ids[0]);
        pb::ProductResponse response;
        if (!products->PostProduct(&context, request, &response).ok()) std::abort();
        product_id = response.product().id();
    }
    for (int u = 0; u < options.users; ++u) {
        grpc::ClientContext context;
        pb::PostOrderRequest request;
        request.set_accountid(account_ids[u]);
        auto* line = request.add_products();
        line->set_id(product_id);
        line->set_quantity(1);
        pb::PostOrderResponse response;
        if (!orders->PostOrder(&context, request, &response).ok()) std::abort();
        order_ids[u] = response.order().id();
    }

    // users × per-user subscribed connections.
    Measurements measurements;
    asio::io_context io;
    auto work = asio::make_work_guard(io);
    std::thread io_thread([&] { io.run(); });
    struct StopIo {
        asio::io_context& io;
        std::thread& thread;
        ~StopIo() {
            io.stop();
            if (thread.joinable()) thread.join();
        }
    } stop_io{io, io_thread};
    auto colon = options.gateway.rfind(':');
    tcp::endpoint endpoint(asio::ip::make_address(options.gateway.substr(0, colon)),
                           static_cast<unsigned short>(std::stoi(options.gateway.substr(colon + 1))));
    std::vector<std::shared_ptr<Client>> clients;
    auto open = [&](const std::string& token, bool subscribe) {
        auto client = std::make_shared<Client>(io, endpoint, options.gateway, token, subscribe, measurements);
        clients.push_back(client);
        asio::post(io, [client] { client->Start(); });
    };
    // Idle connections: initialised, nothing subscribed.
    long rss_before_idle = options.gateway_pid ? RssKib(options.gateway_pid) : -1;
    int acked_before = measurements.acked;
    for (int i = 0; i < options.idle; ++i) open(tokens[i % options.users], false);
    for (int i = 0; i < 600 && measurements.acked < acked_before + options.idle; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    std::this_thread::sleep_for(std::chrono::seconds(1));  // let the handshakes' transient buffers go
    long rss_idle = options.gateway_pid ? RssKib(options.gateway_pid) : -1;
    int idle_acked = measurements.acked - acked_before;

    const int subscriptions = options.users * options.per_user;
    for (int u = 0; u < options.users; ++u) {
        for (int s = 0; s < options.per_user; ++s) open(tokens[u], true);
    }
    if (!WaitForMetric(options, "gateway_subscriptions_active", [&](double n) { return n == subscriptions; })) {
        std::fprintf(stderr, "only %.0f of %d subscriptions registered\n",
                     GatewayMetric(options, "gateway_subscriptions_active"), subscriptions);
        return 1;
    }
    long rss_subscribed = options.gateway_pid ? RssKib(options.gateway_pid) : -1;

    // One change first, not measured: the first read through the gateway's order-service channel pays
    // for its connection.
    {
        std::uint64_t warm_order = 0;
        {
            grpc::ClientContext post_context;
            pb::PostOrderRequest post;
            post.set_accountid(account_ids[0]);
            auto* line = post.add_products();
            line->set_id(product_id);
            line->set_quantity(1);
            pb::PostOrderResponse response;
            if (!orders->PostOrder(&post_context, post, &response).ok()) std::abort();
            warm_order = response.order().id();
        }
        grpc::ClientContext context;
        pb::UpdateOrderStatusRequest request;
        request.set_orderid(warm_order);
        request.set_status("cancelled");
        google::protobuf::Empty empty;
        {
            std::lock_guard lock(measurements.mutex);
            measurements.expected[warm_order] = Expected{Clock::now(), "cancelled", options.per_user};
        }
        if (!orders->UpdateOrderStatus(&context, request, &empty).ok()) std::abort();
        std::unique_lock lock(measurements.mutex);
        measurements.changed.wait_for(lock, std::chrono::seconds(10),
                                      [&] { return measurements.expected[warm_order].remaining == 0; });
        measurements.latencies_ms.clear();
    }

    // One change at a time; each waits for all of its account's subscribers.
    const char* steps[][2] = {{"pending", "failed"}, {"failed", "paid"}, {"paid", "refunded"}};
    int timeouts = 0;
    for (const auto& step : steps) {
        for (int u = 0; u < options.users; ++u) {
            grpc::ClientContext context;
            pb::UpdateOrderStatusRequest request;
            request.set_orderid(order_ids[u]);
            request.set_status(step[1]);
            google::protobuf::Empty empty;
            {
                std::lock_guard lock(measurements.mutex);
                measurements.expected[order_ids[u]] = Expected{Clock::now(), step[1], options.per_user};
            }
            if (!orders->UpdateOrderStatus(&context, request, &empty).ok()) std::abort();
            {
                std::lock_guard lock(measurements.mutex);
                measurements.expected[order_ids[u]].committed = Clock::now();
            }
            std::unique_lock lock(measurements.mutex);
            if (!measurements.changed.wait_for(lock, std::chrono::seconds(5),
                                               [&] { return measurements.expected[order_ids[u]].remaining == 0; })) {
                ++timeouts;
            }
        }
    }

    std::vector<double> latencies;
    {
        std::lock_guard lock(measurements.mutex);
        latencies = measurements.latencies_ms;
    }
    std::printf(
        "subscriptions=%d changes=%d nexts=%zu p50_ms=%.2f p99_ms=%.2f max_ms=%.2f timeouts=%d unexpected=%ld "
        "failures=%d gateway_rss_kib_subscribed=%ld idle_connections=%d idle_acked=%d gateway_rss_kib_before_idle=%ld "
        "gateway_rss_kib_idle=%ld rss_mib_per_1000_idle=%.2f\n",
        subscriptions, options.users * 3, latencies.size(), Percentile(latencies, 50), Percentile(latencies, 99),
        Percentile(latencies, 100), timeouts, measurements.unexpected.load(), measurements.failures.load(),
        rss_subscribed, options.idle, idle_acked, rss_before_idle, rss_idle,
        options.idle ? (rss_idle - rss_before_idle) / 1024.0 * 1000.0 / options.idle : 0.0);
    for (auto& client : clients) client->Close();
    work.reset();
    return timeouts == 0 && measurements.failures == 0 && measurements.unexpected == 0 ? 0 : 1;
}
