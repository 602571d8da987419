#include "kafka_test_client.hpp"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <stdexcept>

#include <librdkafka/rdkafkacpp.h>

namespace orderstream::events::testing {
namespace {

std::unique_ptr<RdKafka::Producer> MakeProducer(const std::string& bootstrap) {
    std::unique_ptr<RdKafka::Conf> conf(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
    std::string error;
    conf->set("bootstrap.servers", bootstrap, error);
    std::unique_ptr<RdKafka::Producer> producer(RdKafka::Producer::create(conf.get(), error));
    if (!producer) throw std::runtime_error("test producer: " + error);
    return producer;
}

}  // namespace

void ProduceRaw(const std::string& bootstrap, const std::string& topic, const std::string& key,
                const std::string& payload) {
    auto producer = MakeProducer(bootstrap);
    auto err = producer->produce(topic, RdKafka::Topic::PARTITION_UA, RdKafka::Producer::RK_MSG_COPY,
                                 const_cast<char*>(payload.data()), payload.size(), key.data(), key.size(), 0,
                                 nullptr);
    if (err != RdKafka::ERR_NO_ERROR) throw std::runtime_error("produce: " + RdKafka::err2str(err));
    if (producer->flush(10'000) != RdKafka::ERR_NO_ERROR) throw std::runtime_error("flush timed out");
}

std::int64_t TopicMessageCount(const std::string& bootstrap, const std::string& topic) {
    auto producer = MakeProducer(bootstrap);
    std::string error;
    std::unique_ptr<RdKafka::Topic> handle(RdKafka::Topic::create(producer.get(), topic, nullptr, error));
    RdKafka::Metadata* metadata = nullptr;
    if (producer->metadata(false, handle.get(), &metadata, 10'000) != RdKafka::ERR_NO_ERROR) {
        throw std::runtime_error("metadata for " + topic);
    }
    std::unique_ptr<RdKafka::Metadata> owned(metadata);
    std::int64_t total = 0;
    for (const auto* t : *metadata->topics()) {
        if (t->topic() != topic) continue;
        for (const auto* p : *t->partitions()) {
            std::int64_t low = 0, high = 0;
            if (producer->query_watermark_offsets(topic, p->id(), &low, &high, 10'000) != RdKafka::ERR_NO_ERROR) {
                throw std::runtime_error("watermarks for " + topic);
            }
            total += high;
        }
    }
    return total;
}

std::string UniqueName(const std::string& prefix) {
    static std::atomic<int> counter{0};
    auto now = std::chrono::system_clock::now().time_since_epoch() / std::chrono::milliseconds(1);
    return prefix + "_" + std::to_string(getpid()) + "_" + std::to_string(now) + "_" + std::to_string(counter++);
}

}  // namespace orderstream::events::testing
