#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "orderstream/recommender/model/model_training.hpp"

namespace orderstream::recommender {

// The role's tunables, from the environment (README, "Configuration").
struct RecommenderSettings {
    TrainingOptions training;
    // Retrain when this many interaction changes arrived since the served model...
    std::int64_t retrain_min_changes = 100;
    // ...or when any arrived and the model is this old.
    std::chrono::seconds retrain_interval{600};
    // How often the trainer looks for changes.
    std::chrono::milliseconds poll_interval{1000};
    // Weight of factor cosine against co-occurrence in "based on viewed".
    double similarity_blend = 0.5;
    std::string consumer_group = "recommender";
    // The topics consumed; other names serve deployments with prefixed topics (and tests).
    std::string product_topic = "product_events";
    std::string interaction_topic = "interaction_events";
    std::string order_topic = "order_events";
    std::string topic_prefix;  // KAFKA_TOPIC_PREFIX, before each of them

    // Throws config::ConfigError naming the variable on a malformed value.
    static RecommenderSettings FromEnv();
};

}  // namespace orderstream::recommender
