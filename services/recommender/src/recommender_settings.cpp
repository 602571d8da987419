#include "recommender_settings.hpp"

#include <cmath>
#include <cstdlib>

#include <fmt/format.h>

#include "orderstream/core/config.hpp"

namespace orderstream::recommender {
namespace {

double EnvDouble(const std::string& name, double fallback, double min, double max) {
    auto text = config::Env::Get(name);
    if (!text || text->empty()) return fallback;
    char* end = nullptr;
    const double value = std::strtod(text->c_str(), &end);
    if (end != text->c_str() + text->size() || !std::isfinite(value) || value < min || value > max) {
        throw config::ConfigError(fmt::format("{} must be a number between {} and {}, got \"{}\"", name, min, max, *text));
    }
    return value;
}

}  // namespace

RecommenderSettings RecommenderSettings::FromEnv() {
    using config::Env;
    RecommenderSettings s;
    auto& svd = s.training.svd;
    // Surprise's defaults unless overridden.
    svd.n_factors = static_cast<int>(Env::Int("RECOMMENDER_FACTORS", 100, 1, 1000));
    svd.n_epochs = static_cast<int>(Env::Int("RECOMMENDER_EPOCHS", 20, 1, 10'000));
    svd.init_mean = EnvDouble("RECOMMENDER_INIT_MEAN", 0.0, -10, 10);
    svd.init_std_dev = EnvDouble("RECOMMENDER_INIT_STD_DEV", 0.1, 0, 10);
    svd.lr_all = EnvDouble("RECOMMENDER_LEARNING_RATE", 0.005, 0, 1);
    svd.reg_all = EnvDouble("RECOMMENDER_REGULARIZATION", 0.02, 0, 10);
    svd.random_state = static_cast<std::uint32_t>(Env::Int("RECOMMENDER_SEED", 0, 0, 4'294'967'295LL));
    // Interactions are rated 1 (viewed) or 3 (bought).
    svd.rating_min = 1;
    svd.rating_max = 3;
    s.training.holdout_fraction = EnvDouble("RECOMMENDER_HOLDOUT_FRACTION", 0.1, 0, 0.5);
    s.retrain_min_changes = Env::Int("RECOMMENDER_RETRAIN_MIN_INTERACTIONS", 100, 1, 1'000'000'000);
    s.retrain_interval = std::chrono::seconds(Env::Int("RECOMMENDER_RETRAIN_INTERVAL_SECONDS", 600, 1, 604'800));
    s.poll_interval = std::chrono::milliseconds(Env::Int("RECOMMENDER_RETRAIN_POLL_MS", 1000, 10, 3'600'000));
    s.similarity_blend = EnvDouble("RECOMMENDER_SIMILARITY_BLEND", 0.5, 0, 1);
    s.consumer_group = Env::String("RECOMMENDER_CONSUMER_GROUP", "recommender");
    s.product_topic = Env::String("RECOMMENDER_PRODUCT_TOPIC", "product_events");
    s.interaction_topic = Env::String("RECOMMENDER_INTERACTION_TOPIC", "interaction_events");
    s.order_topic = Env::String("RECOMMENDER_ORDER_TOPIC", "order_events");
    s.topic_prefix = Env::String("KAFKA_TOPIC_PREFIX", "");
    return s;
}

}  // namespace orderstream::recommender
