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
    auto account_url = Env::Address("ACCOUNT_URL", "127.0.0.1:50051");
    auto product_url = Env::Address("PRODUCT_URL", "127.0.0.1:50052");
    auto timeout = std::chrono::milliseconds(Env::Int("DOWNSTREAM_TIMEOUT_MS", 3000, 10, 60'000));

    auto database = runtime::OpenRoleDatabase("order_db", Migrations());
    auto& pool = *database.pool;
    auto relay = events::StartRelay(database.url);

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
