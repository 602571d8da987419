#pragma once

#include <map>
#include <memory>
#include <string>

#include <librdkafka/rdkafkacpp.h>

namespace orderstream::events {

// The broker credentials of every Kafka client of a role (producers, consumers, topic admin):
// KAFKA_SECURITY_PROTOCOL (plaintext, ssl, sasl_plaintext, sasl_ssl), KAFKA_SASL_MECHANISM,
// KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD, KAFKA_SSL_CA_LOCATION; unset ones stay
// librdkafka's defaults (PLAINTEXT).
std::map<std::string, std::string> KafkaSecurityFromEnvironment();

// A global librdkafka configuration from `defaults`, the credentials above and `overrides`,
// in that order; throws std::invalid_argument naming the property librdkafka rejected (a
// setup error), never a credential's value.
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
