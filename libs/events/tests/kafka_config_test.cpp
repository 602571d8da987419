#include "kafka_config.hpp"

#include <cstdlib>

#include <gtest/gtest.h>

namespace events = orderstream::events;

namespace {

struct ScopedEnv {
    ScopedEnv(const char* name, const char* value) : name(name) { ::setenv(name, value, 1); }
    ~ScopedEnv() { ::unsetenv(name); }
    const char* name;
};

std::string Get(RdKafka::Conf& conf, const std::string& name) {
    std::string value;
    EXPECT_EQ(conf.get(name, value), RdKafka::Conf::CONF_OK) << name;
    return value;
}

TEST(KafkaConfig, BrokerCredentialsFromTheEnvironmentReachEveryClient) {
    ScopedEnv protocol("KAFKA_SECURITY_PROTOCOL", "sasl_ssl");
    ScopedEnv mechanism("KAFKA_SASL_MECHANISM", "SCRAM-SHA-512");
    ScopedEnv user("KAFKA_SASL_USERNAME", "order");
    ScopedEnv password("KAFKA_SASL_PASSWORD", "s3cret");
    auto conf = events::MakeKafkaConf({{"client.id", "test"}}, {});
    EXPECT_EQ(Get(*conf, "security.protocol"), "sasl_ssl");
    EXPECT_EQ(Get(*conf, "sasl.mechanisms"), "SCRAM-SHA-512");
    EXPECT_EQ(Get(*conf, "sasl.username"), "order");
    EXPECT_EQ(Get(*conf, "client.id"), "test");
}

TEST(KafkaConfig, WithoutThemClientsSpeakPlaintext) {
    auto conf = events::MakeKafkaConf({}, {});
    EXPECT_EQ(Get(*conf, "security.protocol"), "plaintext");
}

TEST(KafkaConfig, AnUnknownProtocolIsASetupErrorNamingTheProperty) {
    ScopedEnv protocol("KAFKA_SECURITY_PROTOCOL", "carrier-pigeon");
    try {
        events::MakeKafkaConf({}, {});
        FAIL() << "accepted security.protocol=carrier-pigeon";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("kafka setting security.protocol=carrier-pigeon"), std::string::npos)
            << e.what();
    }
}

}  // namespace
