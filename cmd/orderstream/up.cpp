#include "up.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <string>
#include <thread>

#include <spdlog/spdlog.h>

#include "migrate.hpp"
#include "orderstream/core/config.hpp"
#include "orderstream/http/server.hpp"
#include "roles.hpp"

namespace orderstream::cmd {
namespace {

using Clock = std::chrono::steady_clock;

struct Child {
    const RoleSpec* role = nullptr;
    pid_t pid = -1;
    int restarts = 0;
    Clock::time_point started;
    Clock::time_point restart_at;  // when pid == -1: when to start it again
};

// GET <path> on host:port; returns the HTTP status, 0 when nothing answered.
int ProbeStatus(const std::string& address, const std::string& path) {
    auto [host, port] = http::SplitAddress(address);
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return 0;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    ::inet_pton(AF_INET, host == "0.0.0.0" || host == "localhost" ? "127.0.0.1" : host.c_str(), &addr.sin_addr);
    timeval timeout{2, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    int status = 0;
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
        std::string request = "GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
        if (::send(fd, request.data(), request.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(request.size())) {
            char buffer[64] = {};
            if (::recv(fd, buffer, sizeof buffer - 1, 0) > 12) status = std::atoi(buffer + 9);
        }
    }
    ::close(fd);
    return status;
}

// Each role's log (its stderr and stdout) goes to <ORDERSTREAM_DATA_DIR>/logs/<role>.log,
// appended across restarts, so the terminal keeps the table and the supervisor's lines.
std::string LogPath(const RoleSpec& role) {
    return config::Env::String("ORDERSTREAM_DATA_DIR", ".data") + "/logs/" + role.name + ".log";
}

pid_t Spawn(const RoleSpec& role) {
    auto database_url = role.migrations != nullptr ? DatabaseUrlFor(role.name, role.database) : std::string();
    auto log_path = LogPath(role);
    pid_t pid = ::fork();
    if (pid == 0) {
        sigset_t none;
        sigemptyset(&none);
        pthread_sigmask(SIG_SETMASK, &none, nullptr);
        int log_fd = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
        if (log_fd >= 0) {
            ::dup2(log_fd, STDOUT_FILENO);
            ::dup2(log_fd, STDERR_FILENO);
        } else {
            std::fprintf(stderr, "orderstream up: cannot open %s (%s): %s logs to this terminal\n", log_path.c_str(),
                         std::strerror(errno), role.name.c_str());
        }
        if (!database_url.empty()) ::setenv("DATABASE_URL", database_url.c_str(), 1);
        std::string self = "/proc/self/exe";
        char* argv[] = {self.data(), const_cast<char*>(role.name.c_str()), nullptr};
        ::execv("/proc/self/exe", argv);
        std::fprintf(stderr, "orderstream up: cannot exec %s: %s\n", role.name.c_str(), std::strerror(errno));
        std::_Exit(127);
    }
    return pid;
}

std::string AdminAddress(const RoleSpec& role) { return config::Env::Address(role.admin_variable, role.default_admin); }

void StopAll(std::map<pid_t, Child*>& running) {
    for (auto& [pid, child] : running) ::kill(pid, SIGTERM);
    auto deadline = Clock::now() + std::chrono::seconds(15);
    while (!running.empty() && Clock::now() < deadline) {
        int status = 0;
        pid_t pid = ::waitpid(-1, &status, WNOHANG);
        if (pid > 0) {
            if (auto it = running.find(pid); it != running.end()) {
                spdlog::info("{} stopped", it->second->role->name);
                running.erase(it);
            }
        } else {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    }
    for (auto& [pid, child] : running) {
        spdlog::warn("{} did not stop in time, killing it", child->role->name);
        ::kill(pid, SIGKILL);
        ::waitpid(pid, nullptr, 0);
    }
    running.clear();
}

// Reaps roles that exited, scheduling each restart with backoff, and starts those whose time has come.
void Supervise(std::vector<Child>& children, std::map<pid_t, Child*>& running) {
    int status = 0;
    pid_t pid = 0;
    while ((pid = ::waitpid(-1, &status, WNOHANG)) > 0) {
        auto it = running.find(pid);
        if (it == running.end()) continue;
        Child* child = it->second;
        running.erase(it);
        // Back off exponentially, but forgive a role that had been up for a while.
        if (Clock::now() - child->started > std::chrono::seconds(60)) child->restarts = 0;
        auto delay = std::chrono::seconds(std::min(30, 1 << std::min(child->restarts, 5)));
        ++child->restarts;
        child->pid = -1;
        child->restart_at = Clock::now() + delay;
        spdlog::error("{} exited ({}), restarting in {} s; its log: {}", child->role->name,
                      WIFSIGNALED(status) ? "signal " + std::to_string(WTERMSIG(status))
                                          : "status " + std::to_string(WEXITSTATUS(status)),
                      delay.count(), LogPath(*child->role));
    }
    for (auto& child : children) {
        if (child.pid == -1 && Clock::now() >= child.restart_at) {
            child.pid = Spawn(*child.role);
            child.started = Clock::now();
            running[child.pid] = &child;
            spdlog::info("{} restarted (pid {})", child.role->name, child.pid);
        }
    }
}

}  // namespace

int Up() {
    auto log_dir = std::filesystem::path(config::Env::String("ORDERSTREAM_DATA_DIR", ".data")) / "logs";
    std::error_code error;
    std::filesystem::create_directories(log_dir, error);
    if (error) spdlog::warn("cannot create {}: {}", log_dir.string(), error.message());
    std::vector<Child> children;
    for (const auto& role : Roles()) {
        Child child;
        child.role = &role;
        children.push_back(child);
    }
    std::map<pid_t, Child*> running;
    for (auto& child : children) {
        child.pid = Spawn(*child.role);
        child.started = Clock::now();
        running[child.pid] = &child;
    }

    // Wait for readiness, then print where everything is. Meanwhile a role that dies is restarted
    // and Ctrl-C / SIGTERM stop everything, as later.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGCHLD);
    auto stop_requested = [&signals](long milliseconds) {
        timespec tick{milliseconds / 1000, (milliseconds % 1000) * 1'000'000};
        int received = ::sigtimedwait(&signals, nullptr, &tick);
        return received == SIGINT || received == SIGTERM;
    };
    auto ready_deadline = Clock::now() + std::chrono::seconds(config::Env::Int("UP_READY_TIMEOUT_SECONDS", 120, 1, 3600));
    std::vector<bool> ready(children.size(), false);
    while (Clock::now() < ready_deadline) {
        for (std::size_t i = 0; i < children.size(); ++i) {
            if (!ready[i] && children[i].pid != -1) {
                ready[i] = ProbeStatus(AdminAddress(*children[i].role), "/health/ready") == 200;
            }
        }
        if (std::find(ready.begin(), ready.end(), false) == ready.end()) break;
        if (stop_requested(100)) {
            spdlog::info("stopping all roles");
            StopAll(running);
            return 0;
        }
        Supervise(children, running);
    }
    std::printf("\n%-12s %-22s %-22s %s\n", "ROLE", "ADDRESS", "ADMIN", "HEALTH");
    for (std::size_t i = 0; i < children.size(); ++i) {
        const auto& role = *children[i].role;
        auto listen = config::Env::Address(role.listen_variable, role.default_listen);
        std::printf("%-12s %-22s %-22s %s\n", role.name.c_str(), listen.c_str(), AdminAddress(role).c_str(),
                    ready[i] ? "ready" : "NOT READY");
    }
    std::printf("\nLogs: %s/<role>.log\nPress Ctrl-C to stop.\n\n", log_dir.string().c_str());
    std::fflush(stdout);

    while (true) {
        if (stop_requested(200)) {
            spdlog::info("stopping all roles");
            StopAll(running);
            return 0;
        }
        Supervise(children, running);
    }
}

}  // namespace orderstream::cmd
