#include "kafka_config.hpp"

#include <chrono>
#include <stdexcept>

#include <spdlog/spdlog.h>

#include "orderstream/core/config.hpp"

namespace orderstream::events {

std::map<std::string, std::string> KafkaSecurityFromEnvironment() {
    std::map<std::string, std::string> settings;
    for (auto [variable, property] : {std::pair{"KAFKA_SECURITY_PROTOCOL", "security.protocol"},
                                      std::pair{"KAFKA_SASL_MECHANISM", "sasl.mechanism"},
                                      std::pair{"KAFKA_SASL_USERNAME", "sasl.username"},
                                      std::pair{"KAFKA_SASL_PASSWORD", "sasl.password"},
                                      std::pair{"KAFKA_SSL_CA_LOCATION", "ssl.ca.location"}}) {
        if (auto value = config::Env::Get(variable); value && !value->empty()) settings[property] = *value;
    }
    return settings;
}

std::unique_ptr<RdKafka::Conf> MakeKafkaConf(const std::map<std::string, std::string>& defaults,
                                             const std::map<std::string, std::string>& overrides) {
    std::unique_ptr<RdKafka::Conf> conf(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
    auto merged = defaults;
    for (const auto& [name, value] : KafkaSecurityFromEnvironment()) merged[name] = value;
    for (const auto& [name, value] : overrides) merged[name] = value;
    for (const auto& [name, value] : merged) {
        std::string error;
        if (conf->set(name, value, error) != RdKafka::Conf::CONF_OK) {
            // Never the value of a credential in an error message.
            bool secret = name.find("password") != std::string::npos || name.find("secret") != std::string::npos;
            throw std::invalid_argument("kafka setting " + name + "=" + (secret ? std::string("<redacted>") : value) +
                                        ": " + error);
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
