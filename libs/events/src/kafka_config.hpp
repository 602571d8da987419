#pragma once

#include <map>
#include <memory>
#include <string>

#include <librdkafka/rdkafkacpp.h>

namespace orderstream::events {

// A global librdkafka configuration from `defaults` overridden by `overrides`; throws
// std::invalid_argument naming the property librdkafka rejected (a setup error).
std::unique_ptr<RdKafka::Conf> MakeKafkaConf(const std::map<std::string, std::string>& defaults,
                                             const std::map<std::string, std::string>& overrides);

// Logs librdkafka errors and log lines through spdlog, rate-limiting repeats (a broker
// outage otherwise logs every reconnect attempt).
class KafkaEventLogger : public RdKafka::EventCb {
public:
    explicit KafkaEventLogger(std::string component) : component_(std::move(component)) {}
    void event_cb(RdKafka::Event& event) override;
    // Set when librdkafka raised a fatal error: the client must be recreated.
    bool fatal() const { return fatal_; }

private:
    std::string component_;
    std::string last_error_;
    long long last_logged_ms_ = 0;
    bool fatal_ = false;
};

}  // namespace orderstream::events
