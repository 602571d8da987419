#include "orderstream/product/role.hpp"

#include "orderstream/core/config.hpp"
#include "orderstream/events/migrations.hpp"
#include "orderstream/events/outbox_relay.hpp"
#include "orderstream/rpc/service_host.hpp"
#include "orderstream/runtime/database.hpp"
#include "product_service.hpp"

namespace orderstream::product {

const std::vector<pg::Migration>& OwnMigrations();  // generated from migrations/*.sql

const std::vector<pg::Migration>& Migrations() {
    static const auto kAll = events::WithEventTables(OwnMigrations());
    return kAll;
}

int RunRole() {
    using config::Env;
    auto grpc_address = Env::Address("PRODUCT_LISTEN", "127.0.0.1:50052");
    auto admin_address = Env::Address("PRODUCT_ADMIN_LISTEN", "127.0.0.1:9102");
    auto database_url = Env::DatabaseUrl("DATABASE_URL", "postgresql://orderstream@127.0.0.1:55432/product_db");
    auto kafka = Env::String("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092");
    auto pool_size = Env::Int("DB_POOL_SIZE", 16, 1, 500);

    pg::Pool pool({database_url, static_cast<std::size_t>(pool_size)});
    runtime::PrepareDatabase(pool, Migrations());

    events::OutboxRelayOptions relay_options;
    relay_options.database_url = database_url;
    relay_options.bootstrap_servers = kafka;
    events::OutboxRelay relay(relay_options);
    relay.Start();

    ProductCatalog catalog(pool);
    PostgresProductSearch search(pool);
    ViewRecorder views(pool);
    ProductService service(catalog, search, views);

    rpc::ServiceHost host({"product", grpc_address, admin_address});
    host.AddService(&service, "pb.ProductService");
    host.AddReadinessCheck("postgres", [&pool] { return runtime::DatabaseAnswers(pool); });
    host.Start();
    host.RunUntilSignal();
    return 0;
}

}  // namespace orderstream::product
