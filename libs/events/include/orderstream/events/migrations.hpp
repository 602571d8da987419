#pragma once

#include <vector>

#include "orderstream/pg/migrations.hpp"

namespace orderstream::events {

// The events tables (outbox with its NOTIFY trigger, processed_events, dead_letters) as
// migrations named events_NNNN_*.sql, so they never clash with a service's own 0001_*.sql.
// A service appends them to its own list before pg::ApplyMigrations.
const std::vector<pg::Migration>& Migrations();

// A service's own migrations followed by the events tables: what a service that writes or
// reads events applies at start.
std::vector<pg::Migration> WithEventTables(const std::vector<pg::Migration>& own);

}  // namespace orderstream::events
