#include "certs.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "orderstream/core/config.hpp"
#include "orderstream/rpc/security.hpp"

namespace orderstream::cmd {
namespace {

namespace fs = std::filesystem;

template <typename T, void (*Free)(T*)>
struct Deleter {
    void operator()(T* p) const { Free(p); }
};
using Key = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using Cert = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using Bio = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;

[[noreturn]] void Fail(const std::string& what) { throw std::runtime_error(what); }

Key NewKey() {
    Key key(EVP_EC_gen("P-256"));
    if (!key) Fail("cannot generate a P-256 key");
    return key;
}

std::string Pem(const std::function<int(BIO*)>& write) {
    Bio bio(BIO_new(BIO_s_mem()));
    if (!bio || write(bio.get()) != 1) Fail("cannot encode PEM");
    char* data = nullptr;
    auto size = BIO_get_mem_data(bio.get(), &data);
    return {data, static_cast<std::size_t>(size)};
}

std::string KeyPem(EVP_PKEY* key) {
    return Pem([key](BIO* bio) { return PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr); });
}

std::string CertPem(X509* cert) {
    return Pem([cert](BIO* bio) { return PEM_write_bio_X509(bio, cert); });
}

// Writes `content` to `path` atomically, readable by the owner only when `secret`.
void WriteFile(const fs::path& path, const std::string& content, bool secret) {
    auto tmp = path;
    tmp += ".tmp";
    ::unlink(tmp.c_str());
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, secret ? 0600 : 0644);
    if (fd < 0) Fail("cannot write " + tmp.string() + ": " + std::strerror(errno));
    bool written = ::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size());
    if (::close(fd) != 0 || !written) Fail("cannot write " + tmp.string() + ": " + std::strerror(errno));
    fs::rename(tmp, path);
}

std::string ReadFile(const fs::path& path) {
    Bio bio(BIO_new_file(path.c_str(), "r"));
    if (!bio) Fail("cannot read " + path.string());
    std::string content;
    char buffer[4096];
    int n = 0;
    while ((n = BIO_read(bio.get(), buffer, sizeof buffer)) > 0) content.append(buffer, static_cast<std::size_t>(n));
    return content;
}

void AddExtension(X509* cert, X509* issuer, int nid, const char* value) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
    X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    if (extension == nullptr || X509_add_ext(cert, extension, -1) != 1) Fail(std::string("cannot add ") + value);
    X509_EXTENSION_free(extension);
}

// A certificate for `subject_key` named `common_name` (and the DNS name `dns` unless empty),
// valid for `days`, signed by `issuer` (itself when null: the CA).
Cert Issue(EVP_PKEY* subject_key, const std::string& common_name, const std::string& dns, int days, X509* issuer,
           EVP_PKEY* issuer_key) {
    Cert cert(X509_new());
    X509_set_version(cert.get(), 2);
    std::unique_ptr<BIGNUM, Deleter<BIGNUM, BN_free>> serial(BN_new());
    BN_rand(serial.get(), 127, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY);
    BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert.get()));
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), -300);  // a little clock skew between roles
    X509_time_adj_ex(X509_getm_notAfter(cert.get()), days, 0, nullptr);
    X509_set_pubkey(cert.get(), subject_key);
    X509_NAME* name = X509_get_subject_name(cert.get());
    X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("OrderStream"), -1, -1,
                               0);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(common_name.c_str()),
                               -1, -1, 0);
    X509* signer = issuer != nullptr ? issuer : cert.get();
    X509_set_issuer_name(cert.get(), X509_get_subject_name(signer));
    AddExtension(cert.get(), signer, NID_subject_key_identifier, "hash");
    if (issuer == nullptr) {
        AddExtension(cert.get(), signer, NID_basic_constraints, "critical,CA:TRUE,pathlen:0");
        AddExtension(cert.get(), signer, NID_key_usage, "critical,keyCertSign,cRLSign");
    } else {
        AddExtension(cert.get(), signer, NID_authority_key_identifier, "keyid:always");
        AddExtension(cert.get(), signer, NID_basic_constraints, "critical,CA:FALSE");
        AddExtension(cert.get(), signer, NID_key_usage, "critical,digitalSignature");
        AddExtension(cert.get(), signer, NID_ext_key_usage, "serverAuth,clientAuth");
        AddExtension(cert.get(), signer, NID_subject_alt_name, ("DNS:" + dns).c_str());
    }
    if (X509_sign(cert.get(), issuer_key != nullptr ? issuer_key : subject_key, EVP_sha256()) == 0) {
        Fail("cannot sign the certificate of " + common_name);
    }
    return cert;
}

struct Authority {
    Key key;
    Cert cert;
    std::string pem;
};

Authority LoadOrCreateAuthority(const fs::path& dir, int days) {
    auto cert_path = dir / "ca.crt";
    auto key_path = dir / "ca.key";
    Authority ca;
    if (fs::exists(cert_path) && fs::exists(key_path)) {
        Bio cert_bio(BIO_new_file(cert_path.c_str(), "r"));
        Bio key_bio(BIO_new_file(key_path.c_str(), "r"));
        if (cert_bio) ca.cert.reset(PEM_read_bio_X509(cert_bio.get(), nullptr, nullptr, nullptr));
        if (key_bio) ca.key.reset(PEM_read_bio_PrivateKey(key_bio.get(), nullptr, nullptr, nullptr));
        if (!ca.cert || !ca.key || X509_check_private_key(ca.cert.get(), ca.key.get()) != 1) {
            Fail(cert_path.string() + " and " + key_path.string() + " are not a CA certificate and its key");
        }
        ca.pem = ReadFile(cert_path);
        std::printf("using the CA in %s\n", cert_path.c_str());
        return ca;
    }
    ca.key = NewKey();
    ca.cert = Issue(ca.key.get(), "OrderStream development CA", "", days, nullptr, nullptr);
    ca.pem = CertPem(ca.cert.get());
    WriteFile(key_path, KeyPem(ca.key.get()), true);
    WriteFile(cert_path, ca.pem, false);
    std::printf("created the CA %s (its key %s stays here: it signs every role's certificate)\n", cert_path.c_str(),
                key_path.c_str());
    return ca;
}

}  // namespace

int Certs(const std::vector<std::string>& args) {
    fs::path dir = fs::path(config::Env::String("ORDERSTREAM_DATA_DIR", ".data")) / "certs";
    int days = 365;
    bool dir_given = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--days" && i + 1 < args.size()) {
            const auto& value = args[++i];
            auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), days);
            if (ec != std::errc() || end != value.data() + value.size() || days < 1 || days > 3650) {
                std::fprintf(stderr, "orderstream certs: --days takes a number of days from 1 to 3650, not '%s'\n",
                             value.c_str());
                return 2;
            }
        } else if (!args[i].starts_with("-") && !dir_given) {
            dir = args[i];
            dir_given = true;
        } else {
            std::fprintf(stderr, "usage: orderstream certs [DIR] [--days N]\n");
            return 2;
        }
    }
    fs::create_directories(dir);
    auto ca = LoadOrCreateAuthority(dir, 3650);
    for (auto role : rpc::kCallerRoles) {
        auto role_dir = dir / std::string(role);
        if (fs::exists(role_dir / "tls.crt") && fs::exists(role_dir / "tls.key")) {
            std::printf("kept      %s/tls.crt\n", role_dir.c_str());
            continue;
        }
        fs::create_directories(role_dir);
        auto key = NewKey();
        auto cert = Issue(key.get(), "orderstream-" + std::string(role), rpc::ServerNameOf(role), days, ca.cert.get(),
                          ca.key.get());
        WriteFile(role_dir / "tls.key", KeyPem(key.get()), true);
        WriteFile(role_dir / "tls.crt", CertPem(cert.get()), false);
        WriteFile(role_dir / "ca.crt", ca.pem, false);
        std::printf("issued    %s/tls.crt (CN orderstream-%s, %d days)\n", role_dir.c_str(), std::string(role).c_str(),
                    days);
    }
    std::printf("\nA role uses its folder: ORDERSTREAM_TLS_CA=<dir>/ca.crt ORDERSTREAM_TLS_CERT=<dir>/tls.crt "
                "ORDERSTREAM_TLS_KEY=<dir>/tls.key.\nKubernetes: kubectl create secret generic orderstream-tls-<role> "
                "--from-file=%s/<role>/ (deploy/k8s mounts it).\n",
                dir.c_str());
    return 0;
}

}  // namespace orderstream::cmd
