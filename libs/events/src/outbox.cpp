#include "orderstream/events/outbox.hpp"

#include <stdexcept>

#include "orderstream/events/envelope.hpp"
#include "orderstream/core/trace_context.hpp"

namespace orderstream::events {
namespace {

// Kafka's own rule (kafka.common.Topic): 1-249 of [a-zA-Z0-9._-]. A row the broker would
// refuse forever must not get into the outbox.
bool IsValidTopic(std::string_view topic) {
    if (topic.empty() || topic.size() > 249 || topic == "." || topic == "..") return false;
    for (char c : topic) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
                  c == '-';
        if (!ok) return false;
    }
    return true;
}

}  // namespace

std::string Outbox::Append(pqxx::work& tx, std::string_view topic, std::string_view key, std::string_view type,
                           std::string_view data_json) {
    if (!IsValidTopic(topic)) {
        throw std::invalid_argument("Outbox::Append: invalid topic name '" + std::string(topic) + "'");
    }
    if (type.empty()) throw std::invalid_argument("Outbox::Append: type must not be empty");
    if (!IsJsonObject(data_json)) throw std::invalid_argument("Outbox::Append: data must be a JSON object");
    auto envelope = Envelope::Make(std::string(type), std::string(data_json));
    tx.exec_params(
        "INSERT INTO outbox (event_id, topic, key, type, payload, trace_id) VALUES ($1, $2, $3, $4, $5, $6)",
        envelope.id, std::string(topic), std::string(key), envelope.type, Serialize(envelope), trace::CurrentTraceId());
    return envelope.id;
}

}  // namespace orderstream::events
