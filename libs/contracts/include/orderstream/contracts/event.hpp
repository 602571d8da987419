#pragma once

#include <string>
#include <string_view>

#include <pqxx/pqxx>

#include "orderstream/core/error.hpp"
#include "orderstream/events/envelope.hpp"
#include "orderstream/events/outbox.hpp"

// Every event of the platform is one C++ type here with one serializer and one parser, used
// by its producer and its consumers alike (written in C++ rather than generated from .proto:
// the seed's product_events and interaction_events keep their hand-chosen JSON field names,
// such as accountID and user_id, which proto's JSON mapping would not produce, and each
// parser checks what a consumer relies on — positive ids, non-negative minor units,
// ISO currencies — naming the field that is wrong). docs/asyncapi.yaml is the catalog.
//
// An event type E provides:
//   static constexpr std::string_view kTopic;
//   std::string_view Type() const;           // the envelope's "type"
//   std::string Key() const;                 // the Kafka key
//   std::string ToJson() const;              // the envelope's "data" object
//   static bool Handles(std::string_view type);
//   static Result<E> Parse(std::string_view type, std::string_view data_json);
namespace orderstream::contracts {

// Writes `event` to the outbox in the caller's transaction; returns the event id.
template <typename E>
std::string Publish(pqxx::work& tx, const E& event) {
    return events::Outbox::Append(tx, E::kTopic, event.Key(), event.Type(), event.ToJson());
}

// The event an envelope carries when it is of type E: nullopt for another type (not this
// consumer's to apply), InvalidArgument naming the field when it is malformed.
template <typename E>
Result<std::optional<E>> Read(const events::Envelope& envelope) {
    if (!E::Handles(envelope.type)) return std::optional<E>();
    auto parsed = E::Parse(envelope.type, envelope.data);
    if (!parsed.ok()) return parsed.error();
    return std::optional<E>(std::move(parsed).value());
}

}  // namespace orderstream::contracts
