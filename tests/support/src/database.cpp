#include "orderstream/testing/database.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>

#include <pqxx/pqxx>

namespace orderstream::testing {
namespace {

std::string RequiredEnv(const char* name) {
    const char* value = std::getenv(name);
    if (value == nullptr || *value == '\0') {
        std::fprintf(stderr, "%s is not set: run integration tests through scripts/with-infra.sh (make test)\n", name);
        std::abort();
    }
    return value;
}

// Replaces the database part of a postgresql:// URL.
std::string WithDatabase(const std::string& url, const std::string& database) {
    auto scheme_end = url.find("://");
    auto slash = url.find('/', scheme_end == std::string::npos ? 0 : scheme_end + 3);
    auto query = url.find('?');
    std::string base = slash == std::string::npos ? url.substr(0, query) : url.substr(0, slash);
    std::string params = query == std::string::npos ? "" : url.substr(query);
    return base + "/" + database + params;
}

}  // namespace

std::string TestPostgresUrl() { return RequiredEnv("ORDERSTREAM_TEST_PG_URL"); }

std::string TestKafkaBootstrap() { return RequiredEnv("ORDERSTREAM_TEST_KAFKA"); }

TemporaryDatabase::TemporaryDatabase(const std::string& prefix) : admin_url_(TestPostgresUrl()) {
    static std::atomic<int> counter{0};
    name_ = "t_" + prefix + "_" + std::to_string(getpid()) + "_" + std::to_string(counter++);
    pqxx::connection admin(admin_url_);
    pqxx::nontransaction tx(admin);
    tx.exec0("DROP DATABASE IF EXISTS " + tx.quote_name(name_));
    tx.exec0("CREATE DATABASE " + tx.quote_name(name_));
    url_ = WithDatabase(admin_url_, name_);
}

TemporaryDatabase::~TemporaryDatabase() {
    try {
        pqxx::connection admin(admin_url_);
        pqxx::nontransaction tx(admin);
        tx.exec0("DROP DATABASE IF EXISTS " + tx.quote_name(name_) + " WITH (FORCE)");
    } catch (const std::exception& e) {
        std::fprintf(stderr, "dropping %s failed: %s\n", name_.c_str(), e.what());
    }
}

}  // namespace orderstream::testing
