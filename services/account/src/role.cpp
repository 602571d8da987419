#include "orderstream/account/role.hpp"

#include "account_service.hpp"
#include "orderstream/auth/jwt.hpp"
#include "orderstream/core/config.hpp"
#include "orderstream/pg/migrations.hpp"
#include "orderstream/rpc/service_host.hpp"
#include "orderstream/runtime/database.hpp"

namespace orderstream::account {

int RunRole() {
    using config::Env;
    auto grpc_address = Env::Address("ACCOUNT_LISTEN", "127.0.0.1:50051");
    auto admin_address = Env::Address("ACCOUNT_ADMIN_LISTEN", "127.0.0.1:9101");
    auto data_dir = Env::String("ORDERSTREAM_DATA_DIR", ".data");
    RolePolicy roles(Env::List("ADMIN_EMAILS"));
    auth::JwtCodec jwt(auth::LoadJwtSecret(data_dir), auth::LoadJwtLifetime());

    auto database = runtime::OpenRoleDatabase("account_db", Migrations());
    auto& pool = *database.pool;

    AccountStore store(pool);
    auth::PasswordHasher hasher;
    AccountService service(store, hasher, jwt, std::move(roles));

    rpc::ServiceHost host({"account", grpc_address, admin_address});
    host.AddService(&service, "pb.AccountService");
    host.AddReadinessCheck("postgres", [&pool] { return runtime::DatabaseAnswers(pool); });
    host.Start();
    host.RunUntilSignal();
    return 0;
}

}  // namespace orderstream::account
