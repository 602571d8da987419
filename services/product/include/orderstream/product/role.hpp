#pragma once

#include <vector>

#include "orderstream/pg/migrations.hpp"

namespace orderstream::product {

// `orderstream product`: serves pb.ProductService and relays its outbox to Kafka until
// SIGINT/SIGTERM. Returns the exit code.
int RunRole();

// product_db's migrations: the service's own (services/product/migrations) and the events tables.
const std::vector<pg::Migration>& Migrations();

}  // namespace orderstream::product
