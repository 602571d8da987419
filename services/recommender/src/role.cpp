#include "orderstream/recommender/role.hpp"

#include <spdlog/spdlog.h>

#include "model_store.hpp"
#include "model_trainer.hpp"
#include "orderstream/core/config.hpp"
#include "orderstream/events/event_consumer.hpp"
#include "orderstream/events/migrations.hpp"
#include "orderstream/rpc/service_host.hpp"
#include "orderstream/runtime/database.hpp"
#include "recommender.hpp"
#include "recommender_service.hpp"
#include "recommender_settings.hpp"
#include "replica_store.hpp"

namespace orderstream::recommender {

const std::vector<pg::Migration>& OwnMigrations();  // generated from migrations/*.sql

const std::vector<pg::Migration>& Migrations() {
    static const auto kAll = events::WithEventTables(OwnMigrations());
    return kAll;
}

int RunRole() {
    using config::Env;
    auto grpc_address = Env::Address("RECOMMENDER_LISTEN", "127.0.0.1:50055");
    auto admin_address = Env::Address("RECOMMENDER_ADMIN_LISTEN", "127.0.0.1:9105");
    auto kafka = Env::String("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092");
    auto settings = RecommenderSettings::FromEnv();

    auto database = runtime::OpenRoleDatabase("recommender_db", Migrations());
    auto& pool = *database.pool;

    ReplicaStore replica(pool);
    ModelStore models(pool);
    ModelTrainer trainer(models, settings);
    Recommender recommender(replica, trainer, settings.similarity_blend);
    RecommenderService service(recommender);

    events::EventConsumerOptions consuming;
    consuming.database_url = database.url;
    consuming.bootstrap_servers = kafka;
    consuming.group_id = settings.consumer_group;
    consuming.topics = {settings.product_topic, settings.interaction_topic, settings.order_topic};
    consuming.topic_prefix = settings.topic_prefix;
    consuming.handler = [](pqxx::work& tx, const events::Envelope& event) { return ReplicaStore::Apply(tx, event); };
    events::EventConsumer consumer(std::move(consuming));

    rpc::ServiceHost host({"recommender", grpc_address, admin_address});
    host.AddService(&service, "pb.RecommenderService");
    host.AddReadinessCheck("postgres", [&pool] { return runtime::DatabaseAnswers(pool); });
    host.AddReadinessCheck("model", [&trainer] { return trainer.Ready(); });
    trainer.Start();
    consumer.Start();
    host.Start();
    spdlog::info("recommender: SVD with {} factors, {} epochs; consumer group {}", settings.training.svd.n_factors,
                 settings.training.svd.n_epochs, settings.consumer_group);
    host.RunUntilSignal();
    consumer.Stop();
    trainer.Stop();
    return 0;
}

}  // namespace orderstream::recommender
