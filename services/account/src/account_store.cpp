#include "account_store.hpp"

#include <limits>

#include "orderstream/core/paging.hpp"

namespace orderstream::account {
namespace {

AccountRecord FromRow(const pqxx::row& row) {
    AccountRecord record;
    record.id = row["id"].as<std::uint64_t>();
    record.name = row["name"].as<std::string>();
    record.email = row["email"].as<std::string>();
    record.password_hash = row["password"].as<std::string>();
    auto role = auth::ParseRole(row["role"].as<std::string>());
    record.role = role.ok() ? *role : auth::Role::kCustomer;
    return record;
}

}  // namespace

AccountStore::AccountStore(pg::Pool& pool) : pool_(pool) {
    pool_.Prepare("account_insert",
                  "INSERT INTO accounts (name, email, password, role) VALUES ($1, $2, $3, $4) "
                  "ON CONFLICT ((lower(email))) DO NOTHING RETURNING id, name, email, password, role");
    pool_.Prepare("account_by_email",
                  "SELECT id, name, email, password, role FROM accounts WHERE lower(email) = lower($1)");
    pool_.Prepare("account_by_id", "SELECT id, name, email, password, role FROM accounts WHERE id = $1");
    pool_.Prepare("account_list",
                  "SELECT id, name, email, password, role FROM accounts ORDER BY id OFFSET $1 LIMIT $2");
    pool_.Prepare("account_set_role", "UPDATE accounts SET role = $2, updated_at = now() WHERE id = $1");
}

Result<AccountRecord> AccountStore::Create(const std::string& name, const std::string& email,
                                           const std::string& password_hash, auth::Role role) {
    auto inserted = pool_.Transact([&](pqxx::work& tx) {
        return tx.exec_prepared("account_insert", name, email, password_hash, auth::ToString(role));
    });
    if (inserted.empty()) return Error::AlreadyExists("an account with this email already exists");
    return FromRow(inserted[0]);
}

std::optional<AccountRecord> AccountStore::FindByEmail(const std::string& email) {
    auto rows = pool_.Autocommit([&](pqxx::nontransaction& tx) { return tx.exec_prepared("account_by_email", email); });
    if (rows.empty()) return std::nullopt;
    return FromRow(rows[0]);
}

std::optional<AccountRecord> AccountStore::FindById(std::uint64_t id) {
    if (id > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) return std::nullopt;
    auto rows = pool_.Autocommit(
        [&](pqxx::nontransaction& tx) { return tx.exec_prepared("account_by_id", static_cast<std::int64_t>(id)); });
    if (rows.empty()) return std::nullopt;
    return FromRow(rows[0]);
}

std::vector<AccountRecord> AccountStore::List(std::uint64_t skip, std::uint64_t take) {
    auto rows = pool_.Autocommit(
        [&](pqxx::nontransaction& tx) { return tx.exec_prepared("account_list", paging::Skip(skip), paging::Skip(take)); });
    std::vector<AccountRecord> records;
    records.reserve(rows.size());
    for (const auto& row : rows) records.push_back(FromRow(row));
    return records;
}

void AccountStore::UpdateRole(std::uint64_t id, auth::Role role) {
    pool_.Transact([&](pqxx::work& tx) {
        tx.exec_prepared("account_set_role", static_cast<std::int64_t>(id), auth::ToString(role));
    });
}

}  // namespace orderstream::account
