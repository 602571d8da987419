#include "orderstream/payment/role.hpp"

#include <sodium.h>

#include <spdlog/spdlog.h>

#include "customer_directory.hpp"
#include "dodo_provider.hpp"
#include "ledger.hpp"
#include "order_status_applier.hpp"
#include "orderstream/core/config.hpp"
#include "orderstream/core/text.hpp"
#include "orderstream/events/event_consumer.hpp"
#include "orderstream/events/migrations.hpp"
#include "orderstream/http/server.hpp"
#include "orderstream/rpc/client.hpp"
#include "orderstream/rpc/service_host.hpp"
#include "orderstream/runtime/database.hpp"
#include "payment_service.hpp"
#include "product_mirror.hpp"
#include "sandbox_pages.hpp"
#include "sandbox_provider.hpp"
#include "webhook_receiver.hpp"

namespace orderstream::payment {

const std::vector<pg::Migration>& OwnMigrations();  // generated from migrations/*.sql

const std::vector<pg::Migration>& Migrations() {
    static const auto kAll = events::WithEventTables(OwnMigrations());
    return kAll;
}

namespace {

// How a browser (and the sandbox's own deliveries) reach the HTTP port.
std::string PublicUrl(const std::string& http_address) {
    auto [host, port] = http::SplitAddress(http_address);
    if (host == "0.0.0.0" || host.empty()) host = "127.0.0.1";
    return config::Env::String("PAYMENT_PUBLIC_URL", "http://" + host + ":" + std::to_string(port));
}

SignatureVerifier WebhookVerifier(const std::string& secret) {
    auto verifier = SignatureVerifier::FromSecret(secret);
    if (!verifier.ok()) throw config::ConfigError("DODO_WEBHOOK_SECRET: " + verifier.error().message);
    return *verifier;
}

}  // namespace

int RunRole() {
    using config::Env;
    if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
    auto grpc_address = Env::Address("PAYMENT_LISTEN", "127.0.0.1:50054");
    auto admin_address = Env::Address("PAYMENT_ADMIN_LISTEN", "127.0.0.1:9104");
    auto http_address = Env::Address("PAYMENT_HTTP_LISTEN", "127.0.0.1:8081");
    auto http_threads = Env::Int("PAYMENT_HTTP_THREADS", 16, 1, 256);
    // ORDER_SERVICE_URL is the seed's name for it here; ORDER_URL works too.
    auto order_url = Env::Address("ORDER_SERVICE_URL", Env::Address("ORDER_URL", "127.0.0.1:50053"));
    auto timeout = std::chrono::milliseconds(Env::Int("DOWNSTREAM_TIMEOUT_MS", 3000, 10, 60'000));
    auto public_url = PublicUrl(http_address);
    // An empty key (a compose file passing through an unset variable) means no key.
    auto api_key = Env::Get("DODO_API_KEY");
    bool sandbox = !api_key || text::Trim(*api_key).empty();
    // The sandbox's pages let anyone mark an order paid: a production deployment has to ask
    // for it by name rather than fall into it because a secret is missing.
    if (sandbox && Env::String("ORDERSTREAM_ENV", "development") == "production" &&
        !Env::Bool("PAYMENT_SANDBOX", false)) {
        throw config::ConfigError(
            "DODO_API_KEY: is required when ORDERSTREAM_ENV=production (set PAYMENT_SANDBOX=true to run the "
            "sandbox provider instead, whose checkout pages let anyone mark an order paid)");
    }
    std::unique_ptr<DodoProvider> dodo;
    if (!sandbox) {
        dodo = std::make_unique<DodoProvider>(DodoOptions::FromEnv());
        Env::Required("DODO_WEBHOOK_SECRET");
    }

    auto database = runtime::OpenRoleDatabase("payment_db", Migrations());
    auto& pool = *database.pool;
    auto secret = sandbox ? Env::String("DODO_WEBHOOK_SECRET", SandboxWebhookSecret(pool))
                          : Env::Required("DODO_WEBHOOK_SECRET");
    auto verifier = WebhookVerifier(secret);

    SandboxProvider sandbox_provider(pool, public_url);
    PaymentProvider& provider = sandbox ? static_cast<PaymentProvider&>(sandbox_provider) : *dodo;
    spdlog::info("payment provider: {}", sandbox ? "sandbox (no DODO_API_KEY)" : "Dodo Payments");

    Ledger ledger(pool);
    CustomerDirectory customers(pool, provider);
    ProductMirror mirror(pool, provider);
    OrderStatusApplier applier(pool, rpc::ChannelTo(order_url));
    WebhookReceiver receiver(ledger, verifier, [&applier] { applier.Nudge(); });
    std::unique_ptr<SandboxPages> pages;
    if (sandbox) pages = std::make_unique<SandboxPages>(pool, ledger, verifier, public_url + "/webhooks/dodo");

    PaymentService service(provider, customers, mirror, ledger, rpc::ChannelTo(order_url), timeout);

    events::EventConsumerOptions consuming;
    consuming.database_url = database.url;
    consuming.bootstrap_servers = Env::String("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092");
    consuming.group_id = "payment";
    consuming.topics = {"product_events"};
    consuming.handler = [&mirror](pqxx::work& tx, const events::Envelope& event) { return mirror.Apply(tx, event); };
    events::EventConsumer consumer(std::move(consuming));

    http::ServerOptions http_options;
    http_options.address = http_address;
    http_options.threads = static_cast<int>(http_threads);
    http::Server http_server(http_options, [&](http::Request&& request, http::Respond respond) {
        if (request.Path() == "/webhooks/dodo") {
            if (request.method != "POST") {
                auto answer = http::Response::Text(405, "use POST\n");
                answer.headers.emplace_back("Allow", "POST");
                return respond(std::move(answer));
            }
            return respond(receiver.Receive(request));
        }
        if (pages && pages->Handle(request, respond)) return;
        respond(http::Response::Text(404, "not found\n"));
    });

    rpc::ServiceHost host({"payment", grpc_address, admin_address});
    host.AddService(&service, "pb.PaymentService");
    host.AddReadinessCheck("postgres", [&pool] { return runtime::DatabaseAnswers(pool); });
    host.Start();
    http_server.Start();
    spdlog::info("payment webhooks on {}/webhooks/dodo", public_url);
    consumer.Start();
    mirror.Start();
    applier.Start();
    host.RunUntilSignal();

    http_server.Stop();
    if (pages) pages->Stop();
    consumer.Stop();
    mirror.Stop();
    applier.Stop();
    return 0;
}

}  // namespace orderstream::payment
