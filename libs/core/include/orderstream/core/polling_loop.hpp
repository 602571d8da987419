#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace orderstream::concurrency {

// One background thread that runs `pass` every `interval`, or sooner when nudged; an
// exception from a pass is logged (as "<name>: <what>") and the next pass runs as usual.
// The queue workers of the roles (refunds, the provider's catalog, the sandbox's webhooks)
// are each a pass over their table.
class PollingLoop {
public:
    PollingLoop(std::string name, std::chrono::milliseconds interval, std::function<void()> pass);
    ~PollingLoop();  // Stop()
    PollingLoop(const PollingLoop&) = delete;
    PollingLoop& operator=(const PollingLoop&) = delete;

    void Start();
    // Runs the next pass now (or right after the current one).
    void Nudge();
    // Waits for a running pass, then joins the thread. Idempotent.
    void Stop();

private:
    void Run();

    std::string name_;
    std::chrono::milliseconds interval_;
    std::function<void()> pass_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    bool nudged_ = false;
    std::thread thread_;
};

}  // namespace orderstream::concurrency
