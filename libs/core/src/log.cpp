#include "orderstream/core/log.hpp"

#include <array>
#include <chrono>
#include <cstdio>
#include <random>

#include <spdlog/formatter.h>
#include <spdlog/sinks/stdout_sinks.h>

#include "orderstream/core/config.hpp"
#include "orderstream/core/time_format.hpp"

namespace orderstream::log {
namespace {

thread_local std::string t_request_id;

class JsonLineFormatter final : public spdlog::formatter {
public:
    explicit JsonLineFormatter(std::string role) : role_(std::move(role)) {}

    void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
        std::string line;
        line.reserve(160 + msg.payload.size());
        line += "{\"ts\":\"";
        AppendTimestamp(line, msg.time);
        line += "\",\"level\":\"";
        auto level = spdlog::level::to_string_view(msg.level);
        line.append(level.data(), level.size());
        line += "\",\"role\":\"";
        AppendJsonEscaped(line, role_);
        line += '"';
        if (!t_request_id.empty()) {
            line += ",\"request_id\":\"";
            AppendJsonEscaped(line, t_request_id);
            line += '"';
        }
        line += ",\"msg\":\"";
        AppendJsonEscaped(line, std::string_view(msg.payload.data(), msg.payload.size()));
        line += "\"}\n";
        dest.append(line.data(), line.data() + line.size());
    }

    std::unique_ptr<spdlog::formatter> clone() const override { return std::make_unique<JsonLineFormatter>(role_); }

private:
    static void AppendTimestamp(std::string& out, spdlog::log_clock::time_point time) {
        out += time_format::Rfc3339Utc(time, 6);
    }

    std::string role_;
};

}  // namespace

void Init(const std::string& role) {
    auto level_name = config::Env::String("LOG_LEVEL", "info");
    auto level = spdlog::level::from_str(level_name);
    if (level == spdlog::level::off && level_name != "off") {
        throw config::ConfigError("LOG_LEVEL: expected trace, debug, info, warn, error or off, got '" + level_name +
                                  "'");
    }
    auto logger = std::make_shared<spdlog::logger>(role, std::make_shared<spdlog::sinks::stderr_sink_mt>());
    logger->set_formatter(std::make_unique<JsonLineFormatter>(role));
    logger->set_level(level);
    logger->flush_on(spdlog::level::info);
    spdlog::set_default_logger(logger);
}

const std::string& CurrentRequestId() { return t_request_id; }

RequestScope::RequestScope(std::string request_id) : previous_(std::move(t_request_id)) {
    t_request_id = std::move(request_id);
}

RequestScope::~RequestScope() { t_request_id = std::move(previous_); }

void AppendJsonEscaped(std::string& out, std::string_view text) {
    static constexpr char kHex[] = "0123456789abcdef";
    for (unsigned char c : text) {
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (c < 0x20) {
                    out += "\\u00";
                    out += kHex[c >> 4];
                    out += kHex[c & 0xF];
                } else {
                    out += static_cast<char>(c);
                }
        }
    }
}

std::string NewRequestId() {
    thread_local std::mt19937_64 engine{std::random_device{}()};
    static constexpr char kHex[] = "0123456789abcdef";
    std::string id(32, '0');
    for (std::size_t i = 0; i < id.size(); i += 16) {
        auto bits = engine();
        for (std::size_t j = 0; j < 16; ++j) id[i + j] = kHex[(bits >> (j * 4)) & 0xF];
    }
    return id;
}

}  // namespace orderstream::log
