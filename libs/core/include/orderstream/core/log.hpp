#pragma once

#include <string>
#include <string_view>

#include <spdlog/spdlog.h>

namespace orderstream::log {

// Installs the process-wide logger: one JSON object per line on stderr with the time,
// level, role, message and the current request id. The level comes from LOG_LEVEL
// (trace, debug, info, warn, error; default info).
void Init(const std::string& role);

// The request id attached to log lines written by this thread.
const std::string& CurrentRequestId();

// Sets the thread's request id for the lifetime of the scope (restoring the previous one).
class RequestScope {
public:
    explicit RequestScope(std::string request_id);
    ~RequestScope();
    RequestScope(const RequestScope&) = delete;
    RequestScope& operator=(const RequestScope&) = delete;

private:
    std::string previous_;
};

// Appends `text` to `out` as the inside of a JSON string.
void AppendJsonEscaped(std::string& out, std::string_view text);

// A new random request id (32 hex characters, usable as a W3C trace id).
std::string NewRequestId();

}  // namespace orderstream::log
