#include "orderstream/testing/kafka.hpp"

#include <memory>
#include <stdexcept>
#include <thread>

#include <librdkafka/rdkafkacpp.h>

namespace orderstream::testing {

std::vector<KafkaRecord> ReadTopic(const std::string& bootstrap, const std::string& topic,
                                   const std::function<bool(const std::vector<KafkaRecord>&)>& done,
                                   std::chrono::milliseconds timeout) {
    std::string error;
    std::unique_ptr<RdKafka::Conf> conf(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
    conf->set("bootstrap.servers", bootstrap, error);
    conf->set("group.id", "test-reader", error);  // required by the API; offsets are never committed
    conf->set("enable.auto.commit", "false", error);
    conf->set("enable.partition.eof", "false", error);
    std::unique_ptr<RdKafka::KafkaConsumer> consumer(RdKafka::KafkaConsumer::create(conf.get(), error));
    if (!consumer) throw std::runtime_error("creating a Kafka consumer failed: " + error);

    // Assign every partition from the beginning instead of joining a group. A topic that is
    // created on first use (a test's own prefix) may not exist yet: look again until it does.
    auto deadline = std::chrono::steady_clock::now() + timeout;
    std::unique_ptr<RdKafka::Topic> handle(RdKafka::Topic::create(consumer.get(), topic, nullptr, error));
    std::vector<RdKafka::TopicPartition*> partitions;
    while (partitions.empty()) {
        RdKafka::Metadata* raw_metadata = nullptr;
        if (consumer->metadata(false, handle.get(), &raw_metadata, 10000) != RdKafka::ERR_NO_ERROR) {
            throw std::runtime_error("reading metadata of " + topic + " failed");
        }
        std::unique_ptr<RdKafka::Metadata> metadata(raw_metadata);
        for (const auto* t : *metadata->topics()) {
            if (t->topic() != topic || t->err() != RdKafka::ERR_NO_ERROR) continue;
            for (const auto* p : *t->partitions()) {
                partitions.push_back(RdKafka::TopicPartition::create(topic, p->id(), RdKafka::Topic::OFFSET_BEGINNING));
            }
        }
        if (!partitions.empty() || std::chrono::steady_clock::now() >= deadline) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    consumer->assign(partitions);
    RdKafka::TopicPartition::destroy(partitions);

    std::vector<KafkaRecord> records;
    while (!done(records) && std::chrono::steady_clock::now() < deadline) {
        std::unique_ptr<RdKafka::Message> message(consumer->consume(200));
        if (message->err() != RdKafka::ERR_NO_ERROR) continue;
        KafkaRecord record;
        if (message->key() != nullptr) record.key = *message->key();
        record.value.assign(static_cast<const char*>(message->payload()), message->len());
        record.partition = message->partition();
        record.offset = message->offset();
        records.push_back(std::move(record));
    }
    consumer->close();
    return records;
}

void ProduceRecord(const std::string& bootstrap, const std::string& topic, const std::string& key,
                   const std::string& value) {
    std::string error;
    std::unique_ptr<RdKafka::Conf> conf(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
    conf->set("bootstrap.servers", bootstrap, error);
    conf->set("acks", "all", error);
    conf->set("partitioner", "murmur2_random", error);  // the relay's partitioner: same key, same partition
    std::unique_ptr<RdKafka::Producer> producer(RdKafka::Producer::create(conf.get(), error));
    if (!producer) throw std::runtime_error("creating a Kafka producer failed: " + error);
    auto err = producer->produce(topic, RdKafka::Topic::PARTITION_UA, RdKafka::Producer::RK_MSG_COPY,
                                 const_cast<char*>(value.data()), value.size(), key.data(), key.size(), 0, nullptr);
    if (err != RdKafka::ERR_NO_ERROR) throw std::runtime_error("producing to " + topic + " failed: " + RdKafka::err2str(err));
    if (producer->flush(10000) != RdKafka::ERR_NO_ERROR) throw std::runtime_error("producing to " + topic + " timed out");
}

}  // namespace orderstream::testing
