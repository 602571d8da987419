#pragma once

#include <map>
#include <memory>
#include <string>

#include "orderstream/testing/database.hpp"
#include "orderstream/testing/process.hpp"

namespace orderstream::testing {

// One role of the real `orderstream` binary on its own fresh database and free ports, with
// the test Kafka broker: <ROLE>_LISTEN, <ROLE>_ADMIN_LISTEN, DATABASE_URL and
// KAFKA_BOOTSTRAP_SERVERS are set on top of `env`. Started (and waited for) on construction.
class RoleProcess {
public:
    RoleProcess(std::string role, std::map<std::string, std::string> env);

    // Starts the process again on the same database and ports; true once it is ready.
    bool Start();
    // SIGKILL, or SIGTERM for a graceful stop.
    void Stop(int signal);

    bool ready() const { return ready_; }
    std::string address() const { return "127.0.0.1:" + std::to_string(grpc_port_); }
    int grpc_port() const { return grpc_port_; }
    int admin_port() const { return admin_port_; }
    const std::string& database_url() const { return database_.url(); }
    std::string Output() const { return process_ ? process_->Output() : std::string(); }

private:
    TemporaryDatabase database_;
    std::string role_;
    std::map<std::string, std::string> env_;
    int grpc_port_ = 0;
    int admin_port_ = 0;
    std::unique_ptr<ChildProcess> process_;
    bool ready_ = false;
};

}  // namespace orderstream::testing
