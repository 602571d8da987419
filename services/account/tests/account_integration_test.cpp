// Black-box tests: the real `orderstream account` binary on a fresh database, called over gRPC.
#include <signal.h>
#include <sys/wait.h>

#include <atomic>
#include <thread>

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include "account.grpc.pb.h"
#include "orderstream/auth/jwt.hpp"
#include "orderstream/testing/database.hpp"
#include "orderstream/testing/process.hpp"

namespace testing_ = orderstream::testing;

namespace {

const std::string kSecret = "account-integration-test-secret-0123456789";

class AccountServiceTest : public ::testing::Test {
protected:
    void SetUp() override {
        db_ = std::make_unique<testing_::TemporaryDatabase>("account");
        grpc_port_ = testing_::FreePort();
        admin_port_ = testing_::FreePort();
        process_ = std::make_unique<testing_::ChildProcess>(
            std::vector<std::string>{testing_::OrderstreamBinary(), "account"},
            std::map<std::string, std::string>{{"ACCOUNT_LISTEN", "127.0.0.1:" + std::to_string(grpc_port_)},
                                               {"ACCOUNT_ADMIN_LISTEN", "127.0.0.1:" + std::to_string(admin_port_)},
                                               {"DATABASE_URL", db_->url()},
                                               {"JWT_SECRET", kSecret},
                                               {"ADMIN_EMAILS", "boss@shop.io"}});
        ASSERT_TRUE(testing_::WaitUntilReady(*process_, admin_port_)) << process_->Output();
        auto channel = grpc::CreateChannel("127.0.0.1:" + std::to_string(grpc_port_), grpc::InsecureChannelCredentials());
        stub_ = pb::AccountService::NewStub(channel);
    }

    void TearDown() override {
        if (::testing::Test::HasFailure()) std::fprintf(stderr, "--- service log ---\n%s\n", process_->Output().c_str());
        stub_.reset();
        process_.reset();
        db_.reset();
    }

    grpc::Status Register(const std::string& name, const std::string& email, const std::string& password,
                          std::string* token = nullptr) {
        grpc::ClientContext context;
        pb::RegisterRequest request;
        request.set_name(name);
        request.set_email(email);
        request.set_password(password);
        google::protobuf::StringValue response;
        auto status = stub_->Register(&context, request, &response);
        if (token != nullptr) *token = response.value();
        return status;
    }

    grpc::Status Login(const std::string& email, const std::string& password, std::string* token = nullptr) {
        grpc::ClientContext context;
        pb::LoginRequest request;
        request.set_email(email);
        request.set_password(password);
        google::protobuf::StringValue response;
        auto status = stub_->Login(&context, request, &response);
        if (token != nullptr) *token = response.value();
        return status;
    }

    long CountAccounts() {
        pqxx::connection conn(db_->url());
        pqxx::work tx(conn);
        return tx.exec1("SELECT count(*) FROM accounts")[0].as<long>();
    }

    orderstream::auth::Claims ClaimsOf(const std::string& token) {
        orderstream::auth::JwtCodec codec(kSecret, std::chrono::hours(24));
        auto claims = codec.Verify(token);
        EXPECT_TRUE(claims.ok()) << (claims.ok() ? "" : claims.error().message);
        return claims.ok() ? *claims : orderstream::auth::Claims{};
    }

    std::unique_ptr<testing_::TemporaryDatabase> db_;
    std::unique_ptr<testing_::ChildProcess> process_;
    std::unique_ptr<pb::AccountService::Stub> stub_;
    int grpc_port_ = 0;
    int admin_port_ = 0;
};

TEST_F(AccountServiceTest, RegisterLoginAndGetAccount) {
    std::string token;
    ASSERT_TRUE(Register("John Doe", "john@example.com", "securepassword123", &token).ok());
    auto claims = ClaimsOf(token);
    EXPECT_EQ(claims.role, orderstream::auth::Role::kCustomer);

    std::string login_token;
    auto login = Login("  JOHN@example.com ", "securepassword123", &login_token);
    ASSERT_TRUE(login.ok()) << login.error_message();
    EXPECT_EQ(ClaimsOf(login_token).account_id, claims.account_id);

    grpc::ClientContext context;
    google::protobuf::UInt64Value id;
    id.set_value(claims.account_id);
    pb::AccountResponse response;
    ASSERT_TRUE(stub_->GetAccount(&context, id, &response).ok());
    EXPECT_EQ(response.account().id(), claims.account_id);
    EXPECT_EQ(response.account().name(), "John Doe");
    EXPECT_EQ(response.account().email(), "john@example.com");
}

TEST_F(AccountServiceTest, WrongPasswordAndUnknownEmailLookTheSame) {
    ASSERT_TRUE(Register("John", "john@example.com", "securepassword123").ok());
    auto wrong_password = Login("john@example.com", "securepassword124");
    auto unknown_email = Login("nobody@example.com", "securepassword123");
    EXPECT_EQ(wrong_password.error_code(), grpc::StatusCode::UNAUTHENTICATED);
    EXPECT_EQ(unknown_email.error_code(), grpc::StatusCode::UNAUTHENTICATED);
    EXPECT_EQ(wrong_password.error_message(), unknown_email.error_message());
    EXPECT_EQ(Login("", "x").error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(AccountServiceTest, DuplicateEmailIsAlreadyExistsWhateverTheCase) {
    ASSERT_TRUE(Register("John", "john@example.com", "securepassword123").ok());
    auto again = Register("Other John", " John@Example.COM ", "anotherpassword");
    EXPECT_EQ(again.error_code(), grpc::StatusCode::ALREADY_EXISTS);
    EXPECT_EQ(CountAccounts(), 1);
}

TEST_F(AccountServiceTest, InvalidRegistrationsStoreNothing) {
    struct Case {
        std::string name, email, password, message;
    };
    std::vector<Case> cases = {
        {"", "a@b.co", "password123", "name must not be empty"},
        {std::string(101, 'x'), "a@b.co", "password123", "name must be at most 100 characters"},
        {"John", "not-an-email", "password123", "email is not a valid email address"},
        {"John", "a@b.co", "short", "password must be at least 8 characters"},
    };
    for (const auto& c : cases) {
        auto status = Register(c.name, c.email, c.password);
        EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << c.message;
        EXPECT_EQ(status.error_message(), c.message);
    }
    EXPECT_EQ(CountAccounts(), 0);
}

TEST_F(AccountServiceTest, MissingAccountIsNotFound) {
    grpc::ClientContext context;
    google::protobuf::UInt64Value id;
    id.set_value(424242);
    pb::AccountResponse response;
    auto status = stub_->GetAccount(&context, id, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
    EXPECT_EQ(status.error_message(), "account 424242 not found");
}

TEST_F(AccountServiceTest, GetAccountsPagesInIdOrderAndCapsTake) {
    {
        pqxx::connection conn(db_->url());
        pqxx::work tx(conn);
        tx.exec0(
            "INSERT INTO accounts (name, email, password) "
            "SELECT 'user ' || i, 'user' || i || '@shop.io', 'x' FROM generate_series(1, 130) AS i");
        tx.commit();
    }
    auto page = [&](std::uint64_t skip, std::uint64_t take) {
        grpc::ClientContext context;
        pb::GetAccountsRequest request;
        request.set_skip(skip);
        request.set_take(take);
        pb::GetAccountsResponse response;
        EXPECT_TRUE(stub_->GetAccounts(&context, request, &response).ok());
        return response;
    };
    auto first = page(0, 10);
    ASSERT_EQ(first.accounts_size(), 10);
    EXPECT_EQ(first.accounts(0).name(), "user 1");
    auto second = page(10, 10);
    ASSERT_EQ(second.accounts_size(), 10);
    EXPECT_EQ(second.accounts(0).name(), "user 11");
    EXPECT_GT(second.accounts(0).id(), first.accounts(9).id());
    EXPECT_EQ(page(0, 1000).accounts_size(), 100);
    EXPECT_EQ(page(0, 0).accounts_size(), 10);
    EXPECT_EQ(page(125, 10).accounts_size(), 5);
    EXPECT_EQ(page(UINT64_MAX, 10).accounts_size(), 0);
}

TEST_F(AccountServiceTest, AdminEmailsGetTheAdminRole) {
    std::string token;
    ASSERT_TRUE(Register("Boss", "Boss@Shop.io", "securepassword123", &token).ok());
    EXPECT_EQ(ClaimsOf(token).role, orderstream::auth::Role::kAdmin);
    std::string login_token;
    ASSERT_TRUE(Login("boss@shop.io", "securepassword123", &login_token).ok());
    EXPECT_EQ(ClaimsOf(login_token).role, orderstream::auth::Role::kAdmin);
}

TEST_F(AccountServiceTest, ConcurrentDuplicateRegistrationCreatesExactlyOneAccount) {
    std::atomic<int> created{0};
    std::atomic<int> already_exists{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 8; ++i) {
        threads.emplace_back([&] {
            auto status = Register("Racer", "race@shop.io", "securepassword123");
            if (status.ok()) ++created;
            if (status.error_code() == grpc::StatusCode::ALREADY_EXISTS) ++already_exists;
        });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(created.load(), 1);
    EXPECT_EQ(already_exists.load(), 7);
    EXPECT_EQ(CountAccounts(), 1);
}

TEST_F(AccountServiceTest, AdminEndpointServesMetricsAndHealth) {
    ASSERT_TRUE(Register("John", "john@example.com", "securepassword123").ok());
    EXPECT_EQ(Register("John", "john@example.com", "securepassword123").error_code(), grpc::StatusCode::ALREADY_EXISTS);
    auto metrics = testing_::HttpRequest(admin_port_, "GET", "/metrics");
    EXPECT_EQ(metrics.status, 200);
    EXPECT_NE(metrics.body.find("grpc_server_handled_total{method=\"pb.AccountService/Register\",code=\"OK\"} 1"),
              std::string::npos)
        << metrics.body;
    EXPECT_NE(
        metrics.body.find("grpc_server_handled_total{method=\"pb.AccountService/Register\",code=\"ALREADY_EXISTS\"} 1"),
        std::string::npos);
    auto health = testing_::HttpRequest(admin_port_, "GET", "/health");
    EXPECT_EQ(health.status, 200);
    auto ready = testing_::HttpRequest(admin_port_, "GET", "/health/ready");
    EXPECT_EQ(ready.body, R"({"checks":{"postgres":"up"},"status":"ready"})");
}

TEST_F(AccountServiceTest, SigtermShutsDownCleanly) {
    int status = process_->Stop(SIGTERM);
    ASSERT_TRUE(WIFEXITED(status)) << process_->Output();
    EXPECT_EQ(WEXITSTATUS(status), 0);
    EXPECT_NE(process_->Output().find("shutting down"), std::string::npos);
}

TEST(AccountConfig, MalformedVariableStopsTheProcessWithOneLineNamingIt) {
    testing_::ChildProcess process({testing_::OrderstreamBinary(), "account"},
                                   {{"ACCOUNT_LISTEN", "nonsense"}, {"JWT_SECRET", kSecret}});
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (process.Running() && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    int status = process.Stop(SIGKILL);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 2);
    EXPECT_EQ(process.Output(),
              "orderstream account: configuration error: ACCOUNT_LISTEN: expected host:port, got 'nonsense'\n");
}

}  // namespace
