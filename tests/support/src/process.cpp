#include "orderstream/testing/process.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace orderstream::testing {
namespace {

int ConnectLoopback(int port) {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

}  // namespace

ChildProcess::ChildProcess(std::vector<std::string> argv, std::map<std::string, std::string> env) {
    char log_template[] = "/tmp/orderstream-child-XXXXXX";
    int log_fd = ::mkstemp(log_template);
    if (log_fd < 0) throw std::runtime_error("mkstemp failed");
    log_path_ = log_template;
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
        ::dup2(log_fd, STDERR_FILENO);
        ::dup2(log_fd, STDOUT_FILENO);
        for (const auto& [k, v] : env) ::setenv(k.c_str(), v.c_str(), 1);
        std::vector<char*> args;
        for (auto& a : argv) args.push_back(a.data());
        args.push_back(nullptr);
        ::execv(args[0], args.data());
        std::fprintf(stderr, "exec %s failed: %s\n", args[0], std::strerror(errno));
        std::_Exit(127);
    }
    ::close(log_fd);
}

ChildProcess::~ChildProcess() {
    if (!reaped_) Stop(SIGTERM, std::chrono::seconds(10));
    ::unlink(log_path_.c_str());
}

int ChildProcess::Stop(int signal, std::chrono::milliseconds timeout) {
    if (reaped_) return status_;
    ::kill(pid_, signal);
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (::waitpid(pid_, &status_, WNOHANG) == pid_) {
            reaped_ = true;
            return status_;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, &status_, 0);
    reaped_ = true;
    return status_;
}

bool ChildProcess::Running() {
    if (reaped_) return false;
    if (::waitpid(pid_, &status_, WNOHANG) == pid_) reaped_ = true;
    return !reaped_;
}

std::string ChildProcess::Output() const {
    std::ifstream in(log_path_);
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

std::string OrderstreamBinary() {
    if (const char* override_path = std::getenv("ORDERSTREAM_BINARY")) return override_path;
    return ORDERSTREAM_BINARY_PATH;
}

int FreePort() {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    socklen_t len = sizeof addr;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    int port = ntohs(addr.sin_port);
    ::close(fd);
    return port;
}

bool WaitForPort(int port, std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        int fd = ConnectLoopback(port);
        if (fd >= 0) {
            ::close(fd);
            return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
}

HttpReply HttpRequest(int port, const std::string& method, const std::string& target, const std::string& body,
                      const std::vector<std::string>& headers) {
    int fd = ConnectLoopback(port);
    if (fd < 0) throw std::runtime_error("connect to port " + std::to_string(port) + " failed");
    std::string request = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
    for (const auto& h : headers) request += h + "\r\n";
    if (!body.empty() || method == "POST") request += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    request += "\r\n" + body;
    std::size_t sent = 0;
    while (sent < request.size()) {
        auto n = ::send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) break;
        sent += static_cast<std::size_t>(n);
    }
    std::string response;
    char buffer[8192];
    while (true) {
        auto n = ::recv(fd, buffer, sizeof buffer, 0);
        if (n <= 0) break;
        response.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(fd);
    HttpReply reply;
    auto header_end = response.find("\r\n\r\n");
    if (response.size() < 12 || header_end == std::string::npos) return reply;
    reply.status = std::atoi(response.c_str() + 9);
    reply.headers = response.substr(0, header_end);
    reply.body = response.substr(header_end + 4);
    return reply;
}

bool WaitUntilReady(ChildProcess& process, int admin_port, std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (!process.Running()) return false;
        if (WaitForPort(admin_port, std::chrono::milliseconds(100)) &&
            HttpRequest(admin_port, "GET", "/health/ready").status == 200) {
            return true;
        }
    }
    return false;
}

}  // namespace orderstream::testing
