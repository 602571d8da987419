#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <grpcpp/grpcpp.h>

#include "orderstream/auth/jwt.hpp"
#include "orderstream/core/error.hpp"

// Who is calling, on internal gRPC.
//
// Transport: with ORDERSTREAM_TLS_CA / _CERT / _KEY set (required when ORDERSTREAM_ENV=production)
// every role serves and calls with mutual TLS; a certificate's common name says its role
// ("orderstream-<role>", made by `orderstream certs`), and a client checks that the server it
// reached holds the certificate of the role it meant to call (<role>.orderstream.internal).
// Without them (development) gRPC is plaintext and may only listen on loopback, where every
// local process is trusted as an operator: the seed README's `grpcurl -plaintext` calls work.
//
// The user: the gateway forwards the signed-in user's own token (kUserMetadata) and every
// call made while serving it passes it on (ClientContextFor); services verify it with the
// platform's JWT secret and act for that user, never for an account id in the request.
namespace orderstream::rpc {

// The metadata key carrying the user's token from the gateway to the services.
inline constexpr std::string_view kUserMetadata = "x-orderstream-user";
// Roles that call gRPC methods, as their certificates name them. `operator` is a person with
// grpcurl and the operator certificate.
inline constexpr std::string_view kCallerRoles[] = {"gateway", "account", "product",   "order",
                                                    "payment", "recommender", "operator"};

// The files of one role's TLS identity (PEM).
struct TlsFiles {
    std::string ca;    // the platform's CA certificate
    std::string cert;  // this role's certificate
    std::string key;   // its private key
};

class TransportSecurity {
public:
    // Plaintext (development on loopback).
    TransportSecurity() = default;
    // Mutual TLS with the given PEM contents. Throws std::invalid_argument when a part is empty.
    explicit TransportSecurity(TlsFiles pem);

    // From ORDERSTREAM_TLS_CA, ORDERSTREAM_TLS_CERT and ORDERSTREAM_TLS_KEY (file paths: all or
    // none); ORDERSTREAM_ENV=production requires them. Throws config::ConfigError naming the
    // variable.
    static TransportSecurity FromEnvironment();

    bool tls() const { return pem_.has_value(); }
    std::shared_ptr<grpc::ServerCredentials> ServerCredentials() const;
    std::shared_ptr<grpc::ChannelCredentials> ChannelCredentials() const;

private:
    std::optional<TlsFiles> pem_;
};

// This process's transport security and user-token verifier, set once at start by the role
// (ConfigureSecurity) before any server or channel is created; plaintext and no verifier
// until then (unit tests).
void ConfigureSecurity(TransportSecurity transport, std::shared_ptr<const auth::JwtCodec> user_tokens);
const TransportSecurity& CurrentTransport();

// The caller's role from its verified certificate; empty on plaintext (development).
std::string PeerRole(const grpc::ServerContext& context);

// The user a call acts for: the forwarded token, verified. nullopt when none came;
// UNAUTHENTICATED when one came and does not verify (forged, expired, no verifier).
Result<std::optional<auth::Claims>> ForwardedUser(const grpc::ServerContext& context);

// Throws config::ConfigError naming `variable` unless `address` is on loopback: where plaintext
// gRPC may listen (any local process is trusted there, nothing else can reach it).
void RequireLoopbackForPlaintext(const std::string& variable, const std::string& address);

// The target name a client checks the server certificate of `role` against.
std::string ServerNameOf(std::string_view role);

}  // namespace orderstream::rpc
