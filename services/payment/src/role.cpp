#include "orderstream/payment/role.hpp"

#include <sodium.h>

#include <spdlog/spdlog.h>

#include "customer_directory.hpp"
#include "dodo_provider.hpp"
#include "delivery_recorder.hpp"
#include "ledger.hpp"
#include "order_events_handler.hpp"
#include "order_products.hpp"
#include "orderstream/contracts/product_events.hpp"
#include "orderstream/contracts/topics.hpp"
#include "orderstream/events/outbox_relay.hpp"
#include "refund_worker.hpp"
#include "return_url.hpp"
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
#include "sandbox_webhooks.hpp"
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

// PAYMENT_ALLOWED_RETURN_ORIGINS; in development localhost and 127.0.0.1 on any port.
ReturnUrlPolicy ReturnUrls(bool production) {
    auto configured = config::Env::Get("PAYMENT_ALLOWED_RETURN_ORIGINS");
    if (!configured || text::Trim(*configured).empty()) {
        if (production) {
            throw config::ConfigError(
                "PAYMENT_ALLOWED_RETURN_ORIGINS: is required when ORDERSTREAM_ENV=production (the shop's origins, e.g. "
                "https://shop.example)");
        }
        return ReturnUrlPolicy::Development();
    }
    auto policy = ReturnUrlPolicy::Parse(*configured);
    if (!policy.ok()) throw config::ConfigError("PAYMENT_ALLOWED_RETURN_ORIGINS: " + policy.error().message);
    return *policy;
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
    auto account_url = Env::Address("ACCOUNT_URL", "127.0.0.1:50051");
    bool production = Env::String("ORDERSTREAM_ENV", "development") == "production";
    auto timeout = std::chrono::milliseconds(Env::Int("DOWNSTREAM_TIMEOUT_MS", 3000, 10, 60'000));
    auto public_url = PublicUrl(http_address);
    // An empty key (a compose file passing through an unset variable) means no key.
    auto api_key = Env::Get("DODO_API_KEY");
    bool sandbox = !api_key || text::Trim(*api_key).empty();
    // The sandbox's pages let anyone mark an order paid: a production deployment has to ask
    // for it by name rather than fall into it because a secret is missing.
    if (sandbox && production && !Env::Bool("PAYMENT_SANDBOX", false)) {
        throw config::ConfigError(
            "DODO_API_KEY: is required when ORDERSTREAM_ENV=production (set PAYMENT_SANDBOX=true to run the "
            "sandbox provider instead, whose checkout pages let anyone mark an order paid)");
    }
    std::unique_ptr<DodoProvider> dodo;
    if (!sandbox) {
        dodo = std::make_unique<DodoProvider>(DodoOptions::FromEnv());
        Env::Required("DODO_WEBHOOK_SECRET");
    }

    auto return_urls = ReturnUrls(production);

    auto database = runtime::OpenRoleDatabase("payment_db", Migrations());
    auto& pool = *database.pool;
    // Declared first, destroyed last: the events of the last deliveries are flushed on stop.
    auto relay = events::StartRelay(database.url);
    auto secret = sandbox ? Env::String("DODO_WEBHOOK_SECRET", SandboxWebhookSecret(pool))
                          : Env::Required("DODO_WEBHOOK_SECRET");
    auto verifier = WebhookVerifier(secret);

    std::unique_ptr<SandboxWebhooks> sandbox_webhooks;
    if (sandbox) sandbox_webhooks = std::make_unique<SandboxWebhooks>(pool, verifier, public_url + "/webhooks/dodo");
    std::unique_ptr<SandboxProvider> sandbox_provider;
    if (sandbox) sandbox_provider = std::make_unique<SandboxProvider>(pool, public_url, *sandbox_webhooks);
    PaymentProvider& provider = sandbox ? static_cast<PaymentProvider&>(*sandbox_provider) : *dodo;
    spdlog::info("payment provider: {}; checkouts return to {}", sandbox ? "sandbox (no DODO_API_KEY)" : "Dodo Payments",
                 return_urls.ToString());

    Ledger ledger(pool);
    CustomerDirectory customers(pool, provider);
    ProductMirror mirror(pool, provider);
    OrderProducts order_products(pool, provider);
    RefundWorker refunds(pool, provider);
    DeliveryRecorder recorder(pool);
    WebhookReceiver receiver(recorder, verifier, [&refunds] { refunds.Nudge(); });
    OrderEventsHandler order_events(provider, [&refunds] { refunds.Nudge(); });
    std::unique_ptr<SandboxPages> pages;
    if (sandbox) pages = std::make_unique<SandboxPages>(pool, ledger, *sandbox_webhooks);

    PaymentService service({pool, provider, customers, order_products, ledger, refunds, return_urls,
                            rpc::ChannelTo(order_url), rpc::ChannelTo(account_url), timeout});

    // The catalog for the provider's copy of it, and the orders' life (which closes checkouts
    // and gives back payments an order refused), in one consumer group.
    events::EventConsumerOptions consuming;
    consuming.database_url = database.url;
    consuming.bootstrap_servers = Env::String("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092");
    consuming.topic_prefix = Env::String("KAFKA_TOPIC_PREFIX", "");
    consuming.group_id = "payment";
    consuming.topics = {std::string(contracts::topics::kProductEvents), std::string(contracts::topics::kOrderEvents)};
    consuming.handler = [&mirror, &order_events](pqxx::work& tx, const events::Envelope& event) {
        if (contracts::ProductEvent::Handles(event.type)) return mirror.Apply(tx, event);
        return order_events.Apply(tx, event);
    };
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
    refunds.Start();
    if (sandbox_webhooks) sandbox_webhooks->Start();
    host.RunUntilSignal();

    http_server.Stop();
    if (pages) pages->Stop();
    if (sandbox_webhooks) sandbox_webhooks->Stop();
    consumer.Stop();
    mirror.Stop();
    refunds.Stop();
    return 0;
}

}  // namespace orderstream::payment
