#include "orderstream/product/role.hpp"

#include "orderstream/core/config.hpp"
#include "orderstream/events/migrations.hpp"
#include "orderstream/events/outbox_relay.hpp"
#include "orderstream/rpc/service_host.hpp"
#include "orderstream/runtime/database.hpp"
#include "product_service.hpp"
#include "search_backend.hpp"
#include "search_cache.hpp"

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

    auto database = runtime::OpenRoleDatabase("product_db", Migrations());
    auto& pool = *database.pool;
    auto relay = events::StartRelay(database.url);

    ProductCatalog catalog(pool);
    PostgresProductSearch database_search(pool);
    // Repeated searches (the head of a shop's query distribution) are answered from memory
    // while the catalog is unchanged; PRODUCT_SEARCH_CACHE_MB=0 turns this off.
    auto cache_mb = Env::Int("PRODUCT_SEARCH_CACHE_MB", 64, 0, 65536);
    SearchResultCache cache(static_cast<std::size_t>(cache_mb) << 20,
                            std::chrono::seconds(Env::Int("PRODUCT_SEARCH_CACHE_TTL_SECONDS", 30, 1, 86400)));
    CachedProductSearch cached_search(database_search, catalog.version(), cache);
    ProductSearch& search = cache_mb > 0 ? static_cast<ProductSearch&>(cached_search) : database_search;
    // ELASTICSEARCH_URL set: searches go to the engine, PostgreSQL (as above) is its fallback.
    SearchBackend search_backend(pool, database.url, search);
    ViewRecorder views(pool);
    ProductService service(catalog, search_backend.search(), views);

    rpc::ServiceHost host({"product", grpc_address, admin_address});
    host.AddService(&service, "pb.ProductService");
    host.AddReadinessCheck("postgres", [&pool] { return runtime::DatabaseAnswers(pool); });
    host.Start();
    search_backend.Start();
    host.RunUntilSignal();
    search_backend.Stop();
    return 0;
}

}  // namespace orderstream::product
