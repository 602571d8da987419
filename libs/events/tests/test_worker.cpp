// A relay or consumer that kills itself (SIGKILL, no cleanup) at the worst moment:
//   events_test_worker relay DB_URL BOOTSTRAP
//       after a batch's delivery reports, before it is marked sent
//   events_test_worker consume DB_URL BOOTSTRAP TOPIC GROUP
//       after a batch's transaction commit, before its offsets are stored
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <cstdio>
#include <string>
#include <thread>

#include "orderstream/events/event_consumer.hpp"
#include "orderstream/events/outbox_relay.hpp"
#include "test_schema.hpp"

using namespace orderstream::events;

namespace {

[[noreturn]] void Die(const char* moment) {
    std::fprintf(stderr, "test worker: killing myself %s\n", moment);
    std::fflush(stderr);
    ::raise(SIGKILL);
    std::_Exit(1);
}

}  // namespace

int main(int argc, char** argv) {
    std::string mode = argc > 1 ? argv[1] : "";
    std::unique_ptr<OutboxRelay> relay;
    std::unique_ptr<EventConsumer> consumer;
    if (mode == "relay" && argc == 4) {
        OutboxRelayOptions options;
        options.database_url = argv[2];
        options.bootstrap_servers = argv[3];
        options.batch_size = 100;
        options.after_delivery_for_test = [] { Die("after delivery, before mark-sent"); };
        relay = std::make_unique<OutboxRelay>(options);
        relay->Start();
    } else if (mode == "consume" && argc == 6) {
        EventConsumerOptions options;
        options.database_url = argv[2];
        options.bootstrap_servers = argv[3];
        options.topics = {argv[4]};
        options.group_id = argv[5];
        options.handler = testing::RecordingHandler();
        options.consumer_config = {{"session.timeout.ms", "6000"}, {"group.instance.id", "crash-test-member"}};
        options.after_commit_for_test = [] { Die("after the handler commit, before the offset commit"); };
        consumer = std::make_unique<EventConsumer>(options);
        consumer->Start();
    } else {
        std::fprintf(stderr, "usage: %s relay DB_URL BOOTSTRAP | consume DB_URL BOOTSTRAP TOPIC GROUP\n", argv[0]);
        return 2;
    }
    std::this_thread::sleep_for(std::chrono::seconds(60));
    std::fprintf(stderr, "test worker: never reached the fault point\n");
    return 3;
}
