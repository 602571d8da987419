#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "orderstream/http/server.hpp"

namespace orderstream::rpc {

struct ServiceHostOptions {
    std::string role;           // "account", ...: names logs and metrics
    std::string grpc_address;   // host:port for the gRPC server
    std::string admin_address;  // host:port for /metrics, /health, /health/ready
};

// Hosts a role's gRPC services with the standard health service and server reflection,
// plus an HTTP admin endpoint with Prometheus metrics and health. Shutdown is graceful:
// health turns NOT_SERVING, in-flight calls get a grace period, then the servers stop.
class ServiceHost {
public:
    explicit ServiceHost(ServiceHostOptions options);
    ~ServiceHost();

    // Services must outlive the host.
    void AddService(grpc::Service* service, const std::string& full_name);
    // A named dependency check reported by /health/ready (e.g. the database).
    void AddReadinessCheck(std::string name, std::function<bool()> check);
    // Extra admin routes (path -> handler), e.g. for a role's own pages.
    void AddAdminRoute(std::string path, http::Handler handler);

    // Binds both servers; throws std::runtime_error naming the address on failure.
    void Start();
    // Blocks until SIGINT or SIGTERM (which the caller must have blocked in every thread,
    // see BlockShutdownSignals), then shuts down.
    void RunUntilSignal();
    void Shutdown();

    int grpc_port() const { return grpc_port_; }
    int admin_port() const;

private:
    void HandleAdmin(http::Request&& request, http::Respond respond);

    ServiceHostOptions options_;
    std::vector<std::pair<grpc::Service*, std::string>> services_;
    std::vector<std::pair<std::string, std::function<bool()>>> readiness_;
    std::vector<std::pair<std::string, http::Handler>> admin_routes_;
    std::unique_ptr<grpc::Server> server_;
    std::unique_ptr<http::Server> admin_;
    int grpc_port_ = 0;
    bool shut_down_ = false;
};

// Blocks SIGINT/SIGTERM in the calling thread (and threads it creates later), so that
// RunUntilSignal can wait for them synchronously. Call first thing in main.
void BlockShutdownSignals();

}  // namespace orderstream::rpc
