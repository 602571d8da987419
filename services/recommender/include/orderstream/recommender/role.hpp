#pragma once

#include <vector>

#include "orderstream/pg/migrations.hpp"

namespace orderstream::recommender {

// `orderstream recommender`: keeps a replica of products and interactions from Kafka, trains
// the SVD in the background and serves pb.RecommenderService until SIGINT/SIGTERM.
int RunRole();

// recommender_db's migrations: the service's own (services/recommender/migrations) and the
// events tables.
const std::vector<pg::Migration>& Migrations();

}  // namespace orderstream::recommender
