#pragma once

#include <string>
#include <string_view>

#include <pqxx/pqxx>

namespace orderstream::events {

// The producing half of the transactional outbox: the event row is written in the caller's
// transaction, so a state change commits together with its event or not at all.
class Outbox {
public:
    // The LISTEN/NOTIFY channel the outbox trigger signals on every committed insert.
    static constexpr const char* kChannel = "orderstream_outbox";

    // Appends an event for `topic` with Kafka key `key`. `topic` must be a valid Kafka topic
    // name and `data_json` a JSON object (programmer errors otherwise: std::invalid_argument). The trace id is taken
    // from the thread's request id. Returns the event id.
    static std::string Append(pqxx::work& tx, std::string_view topic, std::string_view key, std::string_view type,
                              std::string_view data_json);
};

}  // namespace orderstream::events
