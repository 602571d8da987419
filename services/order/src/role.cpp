#include "orderstream/order/role.hpp"

#include "order_service.hpp"
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
    auto database_url = Env::DatabaseUrl("DATABASE_URL", "postgresql://orderstream@127.0.0.1:55432/order_db");
    auto account_url = Env::Address("ACCOUNT_URL", "127.0.0.1:50051");
    auto product_url = Env::Address("PRODUCT_URL", "127.0.0.1:50052");
    auto kafka = Env::String("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092");
    auto pool_size = Env::Int("DB_POOL_SIZE", 16, 1, 500);
    auto timeout = std::chrono::milliseconds(Env::Int("DOWNSTREAM_TIMEOUT_MS", 3000, 10, 60'000));

    pg::Pool pool({database_url, static_cast<std::size_t>(pool_size)});
    runtime::PrepareDatabase(pool, Migrations());

    events::OutboxRelayOptions relay_options;
    relay_options.database_url = database_url;
    relay_options.bootstrap_servers = kafka;
    events::OutboxRelay relay(relay_options);
    relay.Start();

    OrderBook book(pool);
    OrderService service(book, rpc::ChannelTo(account_url), rpc::ChannelTo(product_url), timeout);

    rpc::ServiceHost host({"order", grpc_address, admin_address});
    host.AddService(&service, "pb.OrderService");
    host.AddReadinessCheck("postgres", [&pool] { return runtime::DatabaseAnswers(pool); });
    host.Start();
    host.RunUntilSignal();
    return 0;
}

}  // namespace orderstream::order
