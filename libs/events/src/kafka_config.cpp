#include "kafka_config.hpp"

#include <chrono>
#include <stdexcept>

#include <spdlog/spdlog.h>

namespace orderstream::events {

std::unique_ptr<RdKafka::Conf> MakeKafkaConf(const std::map<std::string, std::string>& defaults,
                                             const std::map<std::string, std::string>& overrides) {
    std::unique_ptr<RdKafka::Conf> conf(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
    auto merged = defaults;
    for (const auto& [name, value] : overrides) merged[name] = value;
    for (const auto& [name, value] : merged) {
        std::string error;
        if (conf->set(name, value, error) != RdKafka::Conf::CONF_OK) {
            throw std::invalid_argument("kafka setting " + name + "=" + value + ": " + error);
        }
    }
    return conf;
}

void KafkaEventLogger::event_cb(RdKafka::Event& event) {
    switch (event.type()) {
        case RdKafka::Event::EVENT_ERROR: {
            if (event.fatal()) {
                fatal_ = true;
                spdlog::error("{}: fatal kafka error: {}", component_, event.str());
                return;
            }
            // The same error (e.g. "Connection refused" while the broker is down) at most every 10 s.
            auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::steady_clock::now().time_since_epoch())
                           .count();
            std::string text = RdKafka::err2str(event.err()) + ": " + event.str();
            if (text == last_error_ && now - last_logged_ms_ < 10'000) return;
            last_error_ = text;
            last_logged_ms_ = now;
            spdlog::warn("{}: kafka: {}", component_, text);
            return;
        }
        case RdKafka::Event::EVENT_LOG:
            if (event.severity() <= RdKafka::Event::EVENT_SEVERITY_WARNING) {
                spdlog::debug("{}: librdkafka {}: {}", component_, event.fac(), event.str());
            }
            return;
        default:
            return;
    }
}

}  // namespace orderstream::events
