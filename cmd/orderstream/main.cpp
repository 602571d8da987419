// orderstream: one executable, one subcommand per role of the platform.
#include <cstdio>
#include <cstring>
#include <exception>
#include <memory>
#include <string>
#include <vector>

#include "certs.hpp"
#include "migrate.hpp"
#include "orderstream/auth/jwt.hpp"
#include "orderstream/core/config.hpp"
#include "orderstream/core/log.hpp"
#include "orderstream/product/search_reindex_command.hpp"
#include "orderstream/rpc/security.hpp"
#include "orderstream/rpc/service_host.hpp"
#include "roles.hpp"
#include "up.hpp"

namespace {

void PrintUsage(std::FILE* out) {
    std::fprintf(out,
                 "usage: orderstream <command>\n\n"
                 "commands:\n"
                 "  up                 run every role as its own process and supervise them\n"
                 "  migrate [role...]  apply database migrations (roles also do this at start)\n"
                 "  certs [DIR]        make a development CA and a certificate per role for mutual TLS\n"
                 "  product reindex    rebuild the search engine's product index from PostgreSQL\n");
    for (const auto& role : orderstream::cmd::Roles()) {
        std::fprintf(out, "  %-18s run the %s service\n", role.name.c_str(), role.name.c_str());
    }
}

// Every role serves and calls internal gRPC with the same transport security and verifies
// the users' tokens the gateway forwards with the platform's JWT secret (rpc/security.hpp).
// Checked before the role touches its database: plaintext gRPC listens on loopback only.
void ConfigureRoleSecurity(const orderstream::cmd::RoleSpec& role) {
    using namespace orderstream;
    auto transport = rpc::TransportSecurity::FromEnvironment();
    if (role.name != "gateway" && !transport.tls()) {  // the gateway serves HTTP, not gRPC
        rpc::RequireLoopbackForPlaintext(role.listen_variable,
                                         config::Env::Address(role.listen_variable, role.default_listen));
    }
    auto user_tokens = std::make_shared<auth::JwtCodec>(
        auth::LoadJwtSecret(config::Env::String("ORDERSTREAM_DATA_DIR", ".data")), auth::LoadJwtLifetime());
    rpc::ConfigureSecurity(std::move(transport), std::move(user_tokens));
}

int Dispatch(const std::string& command, const std::vector<std::string>& args) {
    using namespace orderstream;
    if (command == "up") {
        log::Init("up");
        return cmd::Up();
    }
    if (command == "migrate") {
        log::Init("migrate");
        return cmd::Migrate(args);
    }
    if (command == "product" && !args.empty() && args[0] == "reindex") {
        log::Init("product-reindex");
        return product::RunReindex({args.begin() + 1, args.end()});
    }
    if (command == "certs") {
        log::Init("certs");
        return cmd::Certs(args);
    }
    if (const auto* role = cmd::FindRole(command)) {
        log::Init(role->name);
        ConfigureRoleSecurity(*role);
        return role->run();
    }
    std::fprintf(stderr, "orderstream: unknown command '%s'\n\n", command.c_str());
    PrintUsage(stderr);
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2 || std::strcmp(argv[1], "help") == 0 || std::strcmp(argv[1], "--help") == 0) {
        PrintUsage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    // Before any thread starts, so that every thread inherits the mask and the role's
    // main thread can wait for shutdown signals synchronously.
    orderstream::rpc::BlockShutdownSignals();
    std::vector<std::string> args(argv + 2, argv + argc);
    try {
        return Dispatch(argv[1], args);
    } catch (const orderstream::config::ConfigError& e) {
        std::fprintf(stderr, "orderstream %s: configuration error: %s\n", argv[1], e.what());
        return 2;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "orderstream %s: %s\n", argv[1], e.what());
        return 1;
    }
}
