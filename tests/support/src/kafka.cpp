#include "orderstream/testing/kafka.hpp"

#include <memory>
#include <stdexcept>

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

    // Assign every partition from the beginning instead of joining a group.
    RdKafka::Metadata* raw_metadata = nullptr;
    std::unique_ptr<RdKafka::Topic> handle(RdKafka::Topic::create(consumer.get(), topic, nullptr, error));
    if (consumer->metadata(false, handle.get(), &raw_metadata, 10000) != RdKafka::ERR_NO_ERROR) {
        throw std::runtime_error("reading metadata of " + topic + " failed");
    }
    std::unique_ptr<RdKafka::Metadata> metadata(raw_metadata);
    std::vector<RdKafka::TopicPartition*> partitions;
    for (const auto* t : *metadata->topics()) {
        if (t->topic() != topic) continue;
        for (const auto* p : *t->partitions()) {
            partitions.push_back(RdKafka::TopicPartition::create(topic, p->id(), RdKafka::Topic::OFFSET_BEGINNING));
        }
    }
    consumer->assign(partitions);
    RdKafka::TopicPartition::destroy(partitions);

    std::vector<KafkaRecord> records;
    auto deadline = std::chrono::steady_clock::now() + timeout;
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

}  // namespace orderstream::testing
