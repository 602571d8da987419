#pragma once

#include <vector>

#include "orderstream/pg/migrations.hpp"

namespace orderstream::payment {

// `orderstream payment`: serves pb.PaymentService (gRPC), the webhook endpoint and the
// sandbox pages (HTTP), mirrors product_events to the provider and applies paid/failed/
// refunded to orders, until SIGINT/SIGTERM. Returns the exit code.
int RunRole();

// payment_db's migrations: the service's own (services/payment/migrations) and the events tables.
const std::vector<pg::Migration>& Migrations();

}  // namespace orderstream::payment
