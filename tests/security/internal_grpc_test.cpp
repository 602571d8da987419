// Internal gRPC in production mode, as an attacker inside the network meets it: the real
// account, product and order roles with ORDERSTREAM_ENV=production and certificates made by
// `orderstream certs`, called with grpc++ and with grpcurl.
#include <sys/wait.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <thread>

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include "account.grpc.pb.h"
#include "order.grpc.pb.h"
#include "orderstream/auth/jwt.hpp"
#include "orderstream/testing/database.hpp"
#include "orderstream/testing/process.hpp"
#include "orderstream/testing/role.hpp"
#include "product.grpc.pb.h"

namespace {

namespace fs = std::filesystem;
using orderstream::testing::ChildProcess;
using orderstream::testing::OrderstreamBinary;
using orderstream::testing::RoleProcess;
using namespace std::chrono_literals;

const std::string kJwtSecret = "internal-grpc-test-secret-0123456789abcdef";

std::string Read(const fs::path& path) {
    std::ifstream in(path);
    std::stringstream content;
    content << in.rdbuf();
    return content.str();
}

// Runs a command to its end; its exit code and combined output.
std::pair<int, std::string> RunCommand(const std::string& command) {
    std::string output;
    FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
    char buffer[4096];
    while (pipe != nullptr && std::fgets(buffer, sizeof buffer, pipe) != nullptr) output += buffer;
    int status = pipe != nullptr ? ::pclose(pipe) : -1;
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

class InternalGrpcTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        certs_ = new fs::path(fs::temp_directory_path() / ("orderstream-certs-" + std::to_string(::getpid())));
        auto [code, output] = RunCommand("'" + OrderstreamBinary() + "' certs '" + certs_->string() + "'");
        ASSERT_EQ(code, 0) << output;
        account_ = new RoleProcess("account", Production("account"));
        product_ = new RoleProcess("product", Production("product"));
        auto order_env = Production("order");
        order_env["ACCOUNT_URL"] = account_->address();
        order_env["PRODUCT_URL"] = product_->address();
        order_ = new RoleProcess("order", order_env);
    }
    static void TearDownTestSuite() {
        delete order_;
        delete product_;
        delete account_;
        fs::remove_all(*certs_);
        delete certs_;
    }

    static std::map<std::string, std::string> Production(const std::string& role) {
        auto dir = *certs_ / role;
        return {{"ORDERSTREAM_ENV", "production"},
                {"JWT_SECRET", kJwtSecret},
                {"ORDERSTREAM_TLS_CA", (dir / "ca.crt").string()},
                {"ORDERSTREAM_TLS_CERT", (dir / "tls.crt").string()},
                {"ORDERSTREAM_TLS_KEY", (dir / "tls.key").string()},
                {"KAFKA_TOPIC_PREFIX", "internal-grpc-" + std::to_string(::getpid()) + "."}};
    }

    // A channel to `target` holding the certificate of `as` (none when empty), checking that
    // the server is `role`.
    static std::shared_ptr<grpc::Channel> ChannelAs(const std::string& as, const RoleProcess& target,
                                                    const std::string& role) {
        grpc::SslCredentialsOptions options;
        options.pem_root_certs = Read(*certs_ / "ca.crt");
        if (!as.empty()) {
            options.pem_cert_chain = Read(*certs_ / as / "tls.crt");
            options.pem_private_key = Read(*certs_ / as / "tls.key");
        }
        grpc::ChannelArguments args;
        args.SetSslTargetNameOverride(role + ".orderstream.internal");
        return grpc::CreateCustomChannel(target.address(), grpc::SslCredentials(options), args);
    }

    static std::unique_ptr<grpc::ClientContext> Context(const std::string& user_token = "") {
        auto context = std::make_unique<grpc::ClientContext>();
        context->set_deadline(std::chrono::system_clock::now() + 10s);
        if (!user_token.empty()) context->AddMetadata("x-orderstream-user", user_token);
        return context;
    }

    // Registers through the gateway's certificate; the account's token.
    static std::string Register(const std::string& email) {
        auto stub = pb::AccountService::NewStub(ChannelAs("gateway", *account_, "account"));
        pb::RegisterRequest request;
        request.set_name("Someone");
        request.set_email(email);
        request.set_password("a long and unusual passphrase");
        google::protobuf::StringValue token;
        auto status = stub->Register(Context().get(), request, &token);
        EXPECT_TRUE(status.ok()) << status.error_message();
        return token.value();
    }

    static std::string Grpcurl(const std::string& flags, const std::string& rest) {
        fs::path grpcurl = fs::path(ORDERSTREAM_SOURCE_DIR) / ".deps/bin/grpcurl";
        return "'" + grpcurl.string() + "' -connect-timeout 3 -max-time 10 " + flags + " " + rest;
    }

    static fs::path* certs_;
    static RoleProcess* account_;
    static RoleProcess* product_;
    static RoleProcess* order_;
};

fs::path* InternalGrpcTest::certs_ = nullptr;
RoleProcess* InternalGrpcTest::account_ = nullptr;
RoleProcess* InternalGrpcTest::product_ = nullptr;
RoleProcess* InternalGrpcTest::order_ = nullptr;

TEST_F(InternalGrpcTest, EveryRoleStartedWithMutualTls) {
    ASSERT_TRUE(account_->ready()) << account_->Output();
    ASSERT_TRUE(product_->ready()) << product_->Output();
    ASSERT_TRUE(order_->ready()) << order_->Output();
    EXPECT_NE(account_->Output().find("serving gRPC (mutual TLS)"), std::string::npos) << account_->Output();
}

TEST_F(InternalGrpcTest, GrpcurlWithoutAClientCertificateIsRefused) {
    auto target = account_->address() + " pb.AccountService/GetAccounts";
    auto [plain_code, plain] = RunCommand(Grpcurl("-plaintext", target));
    EXPECT_NE(plain_code, 0) << plain;
    auto [anonymous_code, anonymous] =
        RunCommand(Grpcurl("-cacert '" + (*certs_ / "ca.crt").string() + "' -servername account.orderstream.internal", target));
    EXPECT_NE(anonymous_code, 0) << anonymous;
    EXPECT_EQ(anonymous.find("\"accounts\""), std::string::npos) << anonymous;

    // The operator's certificate is what a person with grpcurl uses in production.
    auto op = *certs_ / "operator";
    auto [operator_code, listed] =
        RunCommand(Grpcurl("-cacert '" + (op / "ca.crt").string() + "' -cert '" + (op / "tls.crt").string() + "' -key '" +
                        (op / "tls.key").string() + "' -servername account.orderstream.internal -d '{}'",
                    target));
    EXPECT_EQ(operator_code, 0) << listed;
}

TEST_F(InternalGrpcTest, AClientWithoutACertificateCannotEvenConnect) {
    auto stub = pb::AccountService::NewStub(ChannelAs("", *account_, "account"));
    pb::GetAccountsRequest request;
    pb::GetAccountsResponse response;
    auto status = stub->GetAccounts(Context().get(), request, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE) << status.error_message();
    EXPECT_EQ(response.accounts_size(), 0);
}

TEST_F(InternalGrpcTest, ARoleMayCallOnlyWhatItsPolicyAllows) {
    auto token = Register("buyer@internal.test");
    // The recommender's certificate is valid, but the recommender never places orders.
    auto orders = pb::OrderService::NewStub(ChannelAs("recommender", *order_, "order"));
    pb::PostOrderRequest order;
    order.set_accountid(1);
    auto* line = order.add_products();
    line->set_id("any");
    line->set_quantity(1);
    pb::PostOrderResponse placed;
    auto refused = orders->PostOrder(Context(token).get(), order, &placed);
    EXPECT_EQ(refused.error_code(), grpc::StatusCode::PERMISSION_DENIED);
    EXPECT_EQ(refused.error_message(), "the recommender role may not call pb.OrderService/PostOrder");

    // Nor may the payment role register accounts or anyone but the operator set a status.
    auto accounts = pb::AccountService::NewStub(ChannelAs("payment", *account_, "account"));
    pb::RegisterRequest registration;
    google::protobuf::StringValue issued;
    EXPECT_EQ(accounts->Register(Context().get(), registration, &issued).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
    auto gateway_orders = pb::OrderService::NewStub(ChannelAs("gateway", *order_, "order"));
    pb::UpdateOrderStatusRequest paid;
    paid.set_orderid(1);
    paid.set_status("paid");
    google::protobuf::Empty nothing;
    auto status_change = gateway_orders->UpdateOrderStatus(Context(token).get(), paid, &nothing);
    EXPECT_EQ(status_change.error_code(), grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(InternalGrpcTest, AForgedOrMissingUserTokenIsRefusedEvenWithAValidCertificate) {
    Register("victim@internal.test");
    auto accounts = pb::AccountService::NewStub(ChannelAs("gateway", *account_, "account"));
    pb::GetAccountsRequest request;
    pb::GetAccountsResponse response;

    auto missing = accounts->GetAccounts(Context().get(), request, &response);
    EXPECT_EQ(missing.error_code(), grpc::StatusCode::UNAUTHENTICATED);

    // An admin token signed with another key (the attacker does not hold JWT_SECRET).
    orderstream::auth::JwtCodec forger("not-the-platform-secret-0123456789abcdef", std::chrono::hours(1));
    auto forged = accounts->GetAccounts(Context(forger.Issue(1, orderstream::auth::Role::kAdmin)).get(), request,
                                        &response);
    EXPECT_EQ(forged.error_code(), grpc::StatusCode::UNAUTHENTICATED);
    EXPECT_NE(forged.error_message().find("the user token is not valid"), std::string::npos) << forged.error_message();
    EXPECT_EQ(response.accounts_size(), 0);

    // A real customer's token: the list of accounts is for admins.
    auto customer = Register("curious@internal.test");
    auto refused = accounts->GetAccounts(Context(customer).get(), request, &response);
    EXPECT_EQ(refused.error_code(), grpc::StatusCode::PERMISSION_DENIED);
    EXPECT_EQ(response.accounts_size(), 0);
}

TEST_F(InternalGrpcTest, TheActingUserComesFromTheTokenNeverFromTheRequest) {
    auto alice = Register("alice@internal.test");
    auto mallory = Register("mallory@internal.test");
    orderstream::auth::JwtCodec platform(kJwtSecret, std::chrono::hours(1));
    auto alice_id = platform.Verify(alice)->account_id;
    auto mallory_id = platform.Verify(mallory)->account_id;

    // Alice's product, created through the gateway's certificate with her token.
    auto products = pb::ProductService::NewStub(ChannelAs("gateway", *product_, "product"));
    pb::CreateProductRequest create;
    create.set_name("Teapot");
    create.set_description("Cast iron");
    create.set_price(25);
    create.set_accountid(mallory_id);  // naming another owner than the token's is refused
    pb::ProductResponse product;
    auto squatted = products->PostProduct(Context(alice).get(), create, &product);
    EXPECT_EQ(squatted.error_code(), grpc::StatusCode::PERMISSION_DENIED) << squatted.error_message();
    create.set_accountid(0);
    ASSERT_TRUE(products->PostProduct(Context(alice).get(), create, &product).ok());
    EXPECT_EQ(product.product().accountid(), static_cast<std::int64_t>(alice_id));

    // Mallory cannot reprice it by naming Alice as the owner.
    pb::UpdateProductRequest update;
    update.set_id(product.product().id());
    update.set_name("Teapot");
    update.set_description("Cast iron");
    update.set_price(0.01);
    update.set_accountid(alice_id);
    pb::ProductResponse updated;
    auto hijack = products->UpdateProduct(Context(mallory).get(), update, &updated);
    EXPECT_EQ(hijack.error_code(), grpc::StatusCode::PERMISSION_DENIED) << hijack.error_message();

    // An order placed with Mallory's token is Mallory's, whatever accountId says; the order role
    // passes the token on to account and product with its own certificate.
    auto orders = pb::OrderService::NewStub(ChannelAs("gateway", *order_, "order"));
    pb::PostOrderRequest order;
    order.set_accountid(alice_id);
    auto* line = order.add_products();
    line->set_id(product.product().id());
    line->set_quantity(1);
    pb::PostOrderResponse placed;
    auto in_alices_name = orders->PostOrder(Context(mallory).get(), order, &placed);
    EXPECT_EQ(in_alices_name.error_code(), grpc::StatusCode::PERMISSION_DENIED) << in_alices_name.error_message();
    order.set_accountid(0);
    auto own = orders->PostOrder(Context(mallory).get(), order, &placed);
    ASSERT_TRUE(own.ok()) << own.error_message() << order_->Output();
    EXPECT_EQ(placed.order().accountid(), mallory_id);

    // Alice cannot read it.
    google::protobuf::UInt64Value id;
    id.set_value(placed.order().id());
    pb::PostOrderResponse read;
    EXPECT_EQ(orders->GetOrder(Context(alice).get(), id, &read).error_code(), grpc::StatusCode::PERMISSION_DENIED);
    EXPECT_TRUE(orders->GetOrder(Context(mallory).get(), id, &read).ok());
}

TEST(InternalGrpcStartup, ProductionRefusesPlaintextAndDevelopmentListensOnLoopbackOnly) {
    ChildProcess production({OrderstreamBinary(), "account"},
                            {{"ORDERSTREAM_ENV", "production"},
                             {"JWT_SECRET", kJwtSecret},
                             {"ACCOUNT_LISTEN", "127.0.0.1:" + std::to_string(orderstream::testing::FreePort())}});
    auto deadline = std::chrono::steady_clock::now() + 15s;
    while (production.Running() && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(50ms);
    ASSERT_FALSE(production.Running());
    EXPECT_NE(production.Output().find("internal gRPC uses mutual TLS when ORDERSTREAM_ENV=production"),
              std::string::npos)
        << production.Output();

    orderstream::testing::TemporaryDatabase database("exposed");
    ChildProcess exposed({OrderstreamBinary(), "account"},
                         {{"ACCOUNT_LISTEN", "0.0.0.0:" + std::to_string(orderstream::testing::FreePort())},
                          {"ACCOUNT_ADMIN_LISTEN", "127.0.0.1:" + std::to_string(orderstream::testing::FreePort())},
                          {"DATABASE_URL", database.url()}});
    deadline = std::chrono::steady_clock::now() + 30s;
    while (exposed.Running() && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(50ms);
    ASSERT_FALSE(exposed.Running()) << "plaintext gRPC listened on every interface";
    EXPECT_NE(exposed.Output().find("plaintext gRPC listens on loopback only"), std::string::npos) << exposed.Output();
}

}  // namespace
