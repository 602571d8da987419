#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace orderstream::testing {

// A child process (normally the real `orderstream` binary) with extra environment,
// its stderr captured to a file. Killed (SIGTERM, then SIGKILL) on destruction.
class ChildProcess {
public:
    ChildProcess(std::vector<std::string> argv, std::map<std::string, std::string> env);
    ~ChildProcess();
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    pid_t pid() const { return pid_; }
    // Sends the signal and waits for the exit; returns the raw wait status.
    int Stop(int signal, std::chrono::milliseconds timeout = std::chrono::seconds(10));
    bool Running();
    // Everything the process wrote to stderr so far.
    std::string Output() const;

private:
    pid_t pid_ = -1;
    std::string log_path_;
    bool reaped_ = false;
    int status_ = 0;
};

// Path of the orderstream executable under test (set by the build).
std::string OrderstreamBinary();

// A TCP port on 127.0.0.1 that was free a moment ago.
int FreePort();

// Polls until a TCP connect to 127.0.0.1:port succeeds; false on timeout.
bool WaitForPort(int port, std::chrono::milliseconds timeout);

// A blocking HTTP/1.1 GET or POST on 127.0.0.1:port; returns status code and body.
struct HttpReply {
    int status = 0;
    std::string headers;
    std::string body;
};
HttpReply HttpRequest(int port, const std::string& method, const std::string& target, const std::string& body = "",
                      const std::vector<std::string>& headers = {});

// Polls GET /health/ready on the admin port until it answers 200. False when the process
// exits or the timeout passes first.
bool WaitUntilReady(ChildProcess& process, int admin_port, std::chrono::milliseconds timeout = std::chrono::seconds(30));

}  // namespace orderstream::testing
