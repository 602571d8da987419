#include "orderstream/events/topic_admin.hpp"

#include <algorithm>
#include <memory>
#include <thread>

#include <librdkafka/rdkafka.h>

namespace orderstream::events {
namespace {

struct KafkaHandleDeleter {
    void operator()(rd_kafka_t* rk) const { rd_kafka_destroy(rk); }
};
using KafkaHandle = std::unique_ptr<rd_kafka_t, KafkaHandleDeleter>;

// Every partition of `topic` has a leader according to fresh broker metadata.
bool TopicReady(rd_kafka_t* rk, const std::string& topic, int partitions, int timeout_ms) {
    rd_kafka_topic_t* handle = rd_kafka_topic_new(rk, topic.c_str(), nullptr);
    const rd_kafka_metadata_t* metadata = nullptr;
    bool ready = false;
    if (rd_kafka_metadata(rk, 0, handle, &metadata, timeout_ms) == RD_KAFKA_RESP_ERR_NO_ERROR) {
        for (int i = 0; i < metadata->topic_cnt; ++i) {
            const auto& t = metadata->topics[i];
            if (topic != t.topic || t.err != RD_KAFKA_RESP_ERR_NO_ERROR || t.partition_cnt < std::max(partitions, 1)) {
                continue;
            }
            ready = true;
            for (int p = 0; p < t.partition_cnt; ++p) ready = ready && t.partitions[p].leader >= 0;
        }
        rd_kafka_metadata_destroy(metadata);
    }
    rd_kafka_topic_destroy(handle);
    return ready;
}

}  // namespace

Status CreateTopic(const std::string& bootstrap_servers, const std::string& topic, int partitions,
                   std::chrono::milliseconds timeout) {
    char error[512];
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    if (rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap_servers.c_str(), error, sizeof error) !=
        RD_KAFKA_CONF_OK) {
        rd_kafka_conf_destroy(conf);
        return Error::InvalidArgument(std::string("bootstrap.servers: ") + error);
    }
    rd_kafka_conf_set(conf, "reconnect.backoff.max.ms", "1000", error, sizeof error);
    KafkaHandle rk(rd_kafka_new(RD_KAFKA_PRODUCER, conf, error, sizeof error));
    if (!rk) {
        rd_kafka_conf_destroy(conf);
        return Error::Internal(std::string("kafka client: ") + error);
    }

    auto deadline = std::chrono::steady_clock::now() + timeout;
    auto remaining_ms = [&] {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        return static_cast<int>(std::max<long long>(left.count(), 1));
    };

    // partitions <= 0: the broker's default partitions and replication factor.
    rd_kafka_NewTopic_t* new_topic = rd_kafka_NewTopic_new(topic.c_str(), partitions > 0 ? partitions : -1,
                                                           partitions > 0 ? 1 : -1, error, sizeof error);
    if (new_topic == nullptr) return Error::InvalidArgument(std::string("topic ") + topic + ": " + error);
    rd_kafka_AdminOptions_t* options = rd_kafka_AdminOptions_new(rk.get(), RD_KAFKA_ADMIN_OP_CREATETOPICS);
    rd_kafka_AdminOptions_set_request_timeout(options, remaining_ms(), error, sizeof error);
    rd_kafka_queue_t* queue = rd_kafka_queue_new(rk.get());
    rd_kafka_CreateTopics(rk.get(), &new_topic, 1, options, queue);

    Status status;
    rd_kafka_event_t* event = rd_kafka_queue_poll(queue, remaining_ms());
    if (event == nullptr) {
        status = Error::Unavailable("creating topic " + topic + ": no answer from the broker");
    } else if (rd_kafka_event_error(event) != RD_KAFKA_RESP_ERR_NO_ERROR) {
        status = Error::Unavailable("creating topic " + topic + ": " + rd_kafka_event_error_string(event));
    } else {
        const rd_kafka_CreateTopics_result_t* result = rd_kafka_event_CreateTopics_result(event);
        size_t count = 0;
        const rd_kafka_topic_result_t** results = rd_kafka_CreateTopics_result_topics(result, &count);
        for (size_t i = 0; i < count; ++i) {
            auto err = rd_kafka_topic_result_error(results[i]);
            if (err != RD_KAFKA_RESP_ERR_NO_ERROR && err != RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS) {
                const char* message = rd_kafka_topic_result_error_string(results[i]);
                status = Error::Unavailable("creating topic " + topic + ": " +
                                            (message != nullptr ? message : rd_kafka_err2str(err)));
            }
        }
    }
    if (event != nullptr) rd_kafka_event_destroy(event);
    rd_kafka_queue_destroy(queue);
    rd_kafka_AdminOptions_destroy(options);
    rd_kafka_NewTopic_destroy(new_topic);
    if (!status.ok()) return status;

    while (!TopicReady(rk.get(), topic, partitions, std::min(remaining_ms(), 2000))) {
        if (std::chrono::steady_clock::now() >= deadline) {
            return Error::Unavailable("topic " + topic + " has no leader for every partition yet");
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return Status::Ok();
}

}  // namespace orderstream::events
