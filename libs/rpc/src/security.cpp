#include "orderstream/rpc/security.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "orderstream/core/config.hpp"

namespace orderstream::rpc {
namespace {

constexpr std::string_view kRolePrefix = "orderstream-";
constexpr std::string_view kServerNameSuffix = ".orderstream.internal";

struct Security {
    TransportSecurity transport;
    std::shared_ptr<const auth::JwtCodec> user_tokens;
};

Security& Current() {
    static Security security;
    return security;
}

std::string ReadPem(const char* variable, const std::string& path) {
    std::ifstream in(path);
    if (!in) throw config::ConfigError(std::string(variable) + ": cannot read " + path);
    std::stringstream content;
    content << in.rdbuf();
    if (content.str().find("-----BEGIN ") == std::string::npos) {
        throw config::ConfigError(std::string(variable) + ": " + path + " is not a PEM file");
    }
    return content.str();
}

}  // namespace

TransportSecurity::TransportSecurity(TlsFiles pem) {
    if (pem.ca.empty() || pem.cert.empty() || pem.key.empty()) {
        throw std::invalid_argument("mutual TLS needs the CA certificate, a certificate and its key");
    }
    pem_ = std::move(pem);
}

TransportSecurity TransportSecurity::FromEnvironment() {
    auto ca = config::Env::Get("ORDERSTREAM_TLS_CA");
    auto cert = config::Env::Get("ORDERSTREAM_TLS_CERT");
    auto key = config::Env::Get("ORDERSTREAM_TLS_KEY");
    bool any = (ca && !ca->empty()) || (cert && !cert->empty()) || (key && !key->empty());
    bool production = config::Env::String("ORDERSTREAM_ENV", "development") == "production";
    if (!any) {
        if (production) {
            throw config::ConfigError(
                "ORDERSTREAM_TLS_CA: internal gRPC uses mutual TLS when ORDERSTREAM_ENV=production: set "
                "ORDERSTREAM_TLS_CA, ORDERSTREAM_TLS_CERT and ORDERSTREAM_TLS_KEY (`orderstream certs` makes them)");
        }
        return {};
    }
    for (auto [name, value] : {std::pair{"ORDERSTREAM_TLS_CA", &ca}, std::pair{"ORDERSTREAM_TLS_CERT", &cert},
                               std::pair{"ORDERSTREAM_TLS_KEY", &key}}) {
        if (!*value || (*value)->empty()) {
            throw config::ConfigError(std::string(name) + ": is required with the other ORDERSTREAM_TLS_* variables");
        }
    }
    return TransportSecurity(TlsFiles{ReadPem("ORDERSTREAM_TLS_CA", *ca), ReadPem("ORDERSTREAM_TLS_CERT", *cert),
                                      ReadPem("ORDERSTREAM_TLS_KEY", *key)});
}

std::shared_ptr<grpc::ServerCredentials> TransportSecurity::ServerCredentials() const {
    if (!pem_) return grpc::InsecureServerCredentials();
    grpc::SslServerCredentialsOptions options(GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
    options.pem_root_certs = pem_->ca;
    options.pem_key_cert_pairs.push_back({pem_->key, pem_->cert});
    return grpc::SslServerCredentials(options);
}

std::shared_ptr<grpc::ChannelCredentials> TransportSecurity::ChannelCredentials() const {
    if (!pem_) return grpc::InsecureChannelCredentials();
    grpc::SslCredentialsOptions options;
    options.pem_root_certs = pem_->ca;
    options.pem_private_key = pem_->key;
    options.pem_cert_chain = pem_->cert;
    return grpc::SslCredentials(options);
}

void ConfigureSecurity(TransportSecurity transport, std::shared_ptr<const auth::JwtCodec> user_tokens) {
    Current() = Security{std::move(transport), std::move(user_tokens)};
}

const TransportSecurity& CurrentTransport() { return Current().transport; }

std::string PeerRole(const grpc::ServerContext& context) {
    auto auth = context.auth_context();
    if (!auth || !auth->IsPeerAuthenticated()) return {};
    for (const auto& name : auth->FindPropertyValues("x509_common_name")) {
        std::string_view common_name(name.data(), name.size());
        if (common_name.starts_with(kRolePrefix)) return std::string(common_name.substr(kRolePrefix.size()));
    }
    return "unknown";  // a certificate of the platform's CA that names no role: allowed nothing
}

Result<std::optional<auth::Claims>> ForwardedUser(const grpc::ServerContext& context) {
    const auto& metadata = context.client_metadata();
    auto it = metadata.find(std::string(kUserMetadata));
    if (it == metadata.end()) return std::optional<auth::Claims>();
    const auto& verifier = Current().user_tokens;
    if (!verifier) return Error::Unauthenticated("this role cannot verify user tokens");
    auto claims = verifier->Verify(std::string(it->second.data(), it->second.size()));
    if (!claims.ok()) return Error::Unauthenticated("the user token is not valid: " + claims.error().message);
    return std::optional<auth::Claims>(*claims);
}

void RequireLoopbackForPlaintext(const std::string& variable, const std::string& address) {
    auto host = address.substr(0, address.rfind(':'));
    if (host == "localhost" || host == "::1" || host == "[::1]" || host.starts_with("127.")) return;
    throw config::ConfigError(variable + ": plaintext gRPC listens on loopback only, not on " + address +
                              ": give the role its certificate (ORDERSTREAM_TLS_CA, ORDERSTREAM_TLS_CERT, "
                              "ORDERSTREAM_TLS_KEY; `orderstream certs` makes them) or listen on 127.0.0.1");
}

std::string ServerNameOf(std::string_view role) { return std::string(role) + std::string(kServerNameSuffix); }

}  // namespace orderstream::rpc
