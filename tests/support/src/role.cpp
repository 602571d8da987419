#include "orderstream/testing/role.hpp"

#include <cctype>

namespace orderstream::testing {

RoleProcess::RoleProcess(std::string role, std::map<std::string, std::string> env)
    : database_(role), role_(std::move(role)), env_(std::move(env)) {
    grpc_port_ = FreePort();
    admin_port_ = FreePort();
    std::string upper;
    for (char c : role_) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    env_[upper + "_LISTEN"] = address();
    env_[upper + "_ADMIN_LISTEN"] = "127.0.0.1:" + std::to_string(admin_port_);
    env_["DATABASE_URL"] = database_.url();
    env_["KAFKA_BOOTSTRAP_SERVERS"] = TestKafkaBootstrap();
    Start();
}

bool RoleProcess::Start() {
    process_.reset();
    process_ = std::make_unique<ChildProcess>(std::vector<std::string>{OrderstreamBinary(), role_}, env_);
    ready_ = WaitUntilReady(*process_, admin_port_);
    return ready_;
}

void RoleProcess::Stop(int signal) {
    if (process_) process_->Stop(signal);
    ready_ = false;
}

}  // namespace orderstream::testing
