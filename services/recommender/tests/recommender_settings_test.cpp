#include "recommender_settings.hpp"

#include <cstdlib>

#include <gtest/gtest.h>

#include "orderstream/core/config.hpp"

namespace orderstream::recommender {
namespace {

TEST(RecommenderSettings, DefaultsAreSurprisesSvdDefaults) {
    auto s = RecommenderSettings::FromEnv();
    EXPECT_EQ(s.training.svd.n_factors, 100);
    EXPECT_EQ(s.training.svd.n_epochs, 20);
    EXPECT_EQ(s.training.svd.init_mean, 0.0);
    EXPECT_EQ(s.training.svd.init_std_dev, 0.1);
    EXPECT_EQ(s.training.svd.lr_all, 0.005);
    EXPECT_EQ(s.training.svd.reg_all, 0.02);
    EXPECT_TRUE(s.training.svd.biased);
    EXPECT_EQ(s.consumer_group, "recommender");
    EXPECT_EQ(s.product_topic, "product_events");
    EXPECT_EQ(s.interaction_topic, "interaction_events");
}

TEST(RecommenderSettings, MalformedValuesNameTheVariable) {
    ::setenv("RECOMMENDER_LEARNING_RATE", "fast", 1);
    try {
        RecommenderSettings::FromEnv();
        ADD_FAILURE() << "accepted a learning rate of \"fast\"";
    } catch (const config::ConfigError& e) {
        EXPECT_NE(std::string(e.what()).find("RECOMMENDER_LEARNING_RATE"), std::string::npos) << e.what();
    }
    ::setenv("RECOMMENDER_LEARNING_RATE", "0.01", 1);
    EXPECT_EQ(RecommenderSettings::FromEnv().training.svd.lr_all, 0.01);
    ::unsetenv("RECOMMENDER_LEARNING_RATE");
    ::setenv("RECOMMENDER_FACTORS", "0", 1);
    EXPECT_THROW(RecommenderSettings::FromEnv(), config::ConfigError);
    ::unsetenv("RECOMMENDER_FACTORS");
}

}  // namespace
}  // namespace orderstream::recommender
