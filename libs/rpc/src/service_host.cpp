#include "orderstream/rpc/service_host.hpp"

#include <signal.h>

#include <chrono>
#include <stdexcept>
#include <thread>

#include "orderstream/rpc/call.hpp"
#include "orderstream/rpc/security.hpp"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <spdlog/spdlog.h>

#include "orderstream/core/log.hpp"
#include "orderstream/core/metrics.hpp"

namespace orderstream::rpc {
namespace {

// How long in-flight calls may run on after a shutdown signal.
constexpr auto kShutdownGrace = std::chrono::seconds(5);

}  // namespace

ServiceHost::ServiceHost(ServiceHostOptions options) : options_(std::move(options)) {}

ServiceHost::~ServiceHost() { Shutdown(); }

void ServiceHost::AddService(grpc::Service* service, const std::string& full_name) {
    services_.emplace_back(service, full_name);
}

void ServiceHost::AddReadinessCheck(std::string name, std::function<bool()> check) {
    readiness_.emplace_back(std::move(name), std::move(check));
}

void ServiceHost::AddAdminRoute(std::string path, http::Handler handler) {
    admin_routes_.emplace_back(std::move(path), std::move(handler));
}

void ServiceHost::Start() {
    grpc::EnableDefaultHealthCheckService(true);
    grpc::reflection::InitProtoReflectionServerBuilderPlugin();
    const auto& transport = CurrentTransport();
    if (!transport.tls()) RequireLoopbackForPlaintext(options_.role + " gRPC address", options_.grpc_address);
    grpc::ServerBuilder builder;
    builder.AddListeningPort(options_.grpc_address, transport.ServerCredentials(), &grpc_port_);
    // Clients re-resolve the role's name when a connection ends: ending each one after a few
    // minutes (calls in flight get a grace period) lets them find instances added since.
    builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_MS, 5 * 60 * 1000);
    builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_GRACE_MS, 30 * 1000);
    for (auto& [service, name] : services_) builder.RegisterService(service);
    server_ = builder.BuildAndStart();
    if (!server_ || grpc_port_ == 0) {
        throw std::runtime_error("cannot listen for gRPC on " + options_.grpc_address);
    }
    auto* health = server_->GetHealthCheckService();
    health->SetServingStatus(true);
    for (auto& [service, name] : services_) health->SetServingStatus(name, true);

    http::ServerOptions admin_options;
    admin_options.address = options_.admin_address;
    admin_ = std::make_unique<http::Server>(
        admin_options, [this](http::Request&& request, http::Respond respond) { HandleAdmin(std::move(request), respond); });
    admin_->Start();
    spdlog::info("{} serving gRPC ({}) on port {} and admin HTTP on port {}", options_.role,
                 transport.tls() ? "mutual TLS" : "plaintext, loopback only", grpc_port_, admin_->port());
}

int ServiceHost::admin_port() const { return admin_ ? admin_->port() : 0; }

void ServiceHost::HandleAdmin(http::Request&& request, http::Respond respond) {
    auto path = request.Path();
    if (path == "/metrics") {
        http::Response response;
        response.content_type = "text/plain; version=0.0.4; charset=utf-8";
        response.body = metrics::Registry::Global().RenderText();
        return respond(std::move(response));
    }
    if (path == "/health") return respond(http::Response::Json(200, R"({"status":"ok"})"));
    if (path == "/health/ready") {
        bool all_ready = true;
        std::string body = R"({"checks":{)";
        for (std::size_t i = 0; i < readiness_.size(); ++i) {
            bool ready = false;
            try {
                ready = readiness_[i].second();
            } catch (const std::exception& e) {
                spdlog::warn("readiness check {} failed: {}", readiness_[i].first, e.what());
            }
            all_ready = all_ready && ready;
            if (i > 0) body += ',';
            body += "\"";
            log::AppendJsonEscaped(body, readiness_[i].first);
            body += ready ? R"(":"up")" : R"(":"down")";
        }
        body += all_ready ? R"(},"status":"ready"})" : R"(},"status":"not ready"})";
        return respond(http::Response::Json(all_ready ? 200 : 503, body));
    }
    for (auto& [route, handler] : admin_routes_) {
        if (path == route) return handler(std::move(request), std::move(respond));
    }
    respond(http::Response::Text(404, "not found\n"));
}

void ServiceHost::RunUntilSignal() {
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    int received = 0;
    sigwait(&signals, &received);
    spdlog::info("{} received {}, shutting down", options_.role, received == SIGINT ? "SIGINT" : "SIGTERM");
    Shutdown();
}

void ServiceHost::Shutdown() {
    if (shut_down_) return;
    shut_down_ = true;
    if (server_) {
        server_->GetHealthCheckService()->Shutdown();
        // Let the calls in progress finish (up to the grace period), then stop at once: a
        // deadline-bound Shutdown would also wait out idle client connections.
        auto deadline = std::chrono::steady_clock::now() + kShutdownGrace;
        while (InFlightCalls().load() > 0 && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        server_->Shutdown(std::chrono::system_clock::now() + std::chrono::milliseconds(100));
        server_->Wait();
    }
    if (admin_) admin_->Stop();
    spdlog::info("{} stopped", options_.role);
}

void BlockShutdownSignals() {
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
}

}  // namespace orderstream::rpc
