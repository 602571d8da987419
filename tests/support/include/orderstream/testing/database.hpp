#pragma once

#include <string>

namespace orderstream::testing {

// A fresh, empty database on the test PostgreSQL (ORDERSTREAM_TEST_PG_URL, an admin URL),
// dropped again on destruction. Fails the calling test's process when the variable is unset:
// integration tests run under scripts/with-infra.sh and must never pass by skipping.
class TemporaryDatabase {
public:
    explicit TemporaryDatabase(const std::string& prefix);
    ~TemporaryDatabase();
    TemporaryDatabase(const TemporaryDatabase&) = delete;
    TemporaryDatabase& operator=(const TemporaryDatabase&) = delete;

    const std::string& name() const { return name_; }
    const std::string& url() const { return url_; }

private:
    std::string admin_url_;
    std::string name_;
    std::string url_;
};

// The admin URL of the test PostgreSQL, or abort with a clear message.
std::string TestPostgresUrl();

// The bootstrap address of the test Kafka broker (ORDERSTREAM_TEST_KAFKA), or abort.
std::string TestKafkaBootstrap();

}  // namespace orderstream::testing
