#pragma once

#include <vector>

#include "orderstream/pg/migrations.hpp"

namespace orderstream::order {

// `orderstream order`: serves pb.OrderService and relays its outbox to Kafka until
// SIGINT/SIGTERM. Returns the exit code.
int RunRole();

// order_db's migrations: the service's own (services/order/migrations) and the events tables.
const std::vector<pg::Migration>& Migrations();

}  // namespace orderstream::order
