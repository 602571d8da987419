#include "orderstream/order/role.hpp"

#include "order_payments.hpp"
#include "order_service.hpp"
#include "orderstream/contracts/topics.hpp"
#include "orderstream/events/event_consumer.hpp"
#include "orderstream/core/config.hpp"
#include "orderstream/events/migrations.hpp"
#include "orderstream/events/outbox_relay.hpp"
#include "orderstream/rpc/client.hpp"
#include "orderstream/rpc/service_host.hpp"
#include "orderstream/runtime/database.hpp"

namespace orderstream::order {

const std::vector<pg::Migration>& OwnMigrations();  // generated from migrations/*.sql

const std::vector<pg::Migration>& Migrations() {
    static const auto kAll = events::WithEventTables(OwnMigrations());
    return kAll;
}

int RunRole() {
    using config::Env;
    auto grpc_address = Env::Address("ORDER_LISTEN", "127.0.0.1:50053");
    auto admin_address = Env::Address("ORDER_ADMIN_LISTEN", "127.0.0.1:9103");
    auto account_url = Env::Address("ACCOUNT_URL", "127.0.0.1:50051");
    auto product_url = Env::Address("PRODUCT_URL", "127.0.0.1:50052");
    auto timeout = std::chrono::milliseconds(Env::Int("DOWNSTREAM_TIMEOUT_MS", 3000, 10, 60'000));

    auto database = runtime::OpenRoleDatabase("order_db", Migrations());
    auto& pool = *database.pool;
    auto relay = events::StartRelay(database.url);

    OrderBook book(pool);
    OrderService service(book, rpc::ChannelTo(account_url), rpc::ChannelTo(product_url), timeout);

    // Payments reach orders as verified events, in order per order (the topic's key).
    events::EventConsumerOptions consuming;
    consuming.database_url = database.url;
    consuming.bootstrap_servers = Env::String("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092");
    consuming.topic_prefix = Env::String("KAFKA_TOPIC_PREFIX", "");
    consuming.group_id = "order";
    consuming.topics = {std::string(contracts::topics::kPaymentEvents)};
    consuming.handler = ApplyPaymentEvent;
    events::EventConsumer payments(std::move(consuming));

    rpc::ServiceHost host({"order", grpc_address, admin_address});
    host.AddService(&service, "pb.OrderService");
    host.AddReadinessCheck("postgres", [&pool] { return runtime::DatabaseAnswers(pool); });
    host.Start();
    payments.Start();
    host.RunUntilSignal();
    payments.Stop();
    return 0;
}

}  // namespace orderstream::order
