#pragma once

#include <string>
#include <vector>

#include "orderstream/events/event_consumer.hpp"

namespace orderstream::events::testing {

// Applies the events migrations plus the `effects` table the recording handler writes to.
void PrepareDatabase(const std::string& url);

// Records every applied event as a row in `effects` (event id, key, seq, the request id of
// the handler's log scope). Event types: "noted" records; "poison" fails permanently;
// "throws" throws; "hides_error" swallows an SQL error and returns Ok (its transaction is
// aborted); "flaky" returns Unavailable on its first two attempts, then records.
EventHandler RecordingHandler();

// Appends `count` events of type "noted" to `topic` through the outbox, `per_transaction`
// per transaction, keys k0..k{keys-1} round-robin, data {"key":..,"seq":n} with a
// per-key seq starting at `first_seq`. Every transaction runs under a fresh request id.
void AppendEvents(const std::string& url, const std::string& topic, int count, int keys, int per_transaction,
                  int first_seq = 0);

}  // namespace orderstream::events::testing
