#include "migrate.hpp"

#include <cstdio>

#include "orderstream/core/config.hpp"
#include "orderstream/pg/pool.hpp"
#include "orderstream/runtime/database.hpp"
#include "orderstream/core/text.hpp"
#include "roles.hpp"

namespace orderstream::cmd {

std::string DatabaseUrlFor(const std::string& role, const std::string& database) {
    std::string variable;
    for (char c : role) variable += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    variable += "_DATABASE_URL";
    auto port = config::Env::String("PG_PORT", "55432");
    return config::Env::DatabaseUrl(variable, "postgresql://orderstream@127.0.0.1:" + port + "/" + database);
}

int Migrate(const std::vector<std::string>& names) {
    std::vector<const RoleSpec*> selected;
    if (names.empty()) {
        for (const auto& role : Roles()) selected.push_back(&role);
    }
    for (const auto& name : names) {
        const auto* role = FindRole(name);
        if (role == nullptr) {
            std::fprintf(stderr, "orderstream migrate: unknown role '%s'\n", name.c_str());
            return 2;
        }
        selected.push_back(role);
    }
    for (const auto* role : selected) {
        if (role->migrations == nullptr) continue;
        auto url = selected.size() == 1 ? config::Env::DatabaseUrl("DATABASE_URL", DatabaseUrlFor(role->name, role->database))
                                        : DatabaseUrlFor(role->name, role->database);
        pg::Pool pool({url, 1});
        runtime::PrepareDatabase(pool, role->migrations());
        std::printf("%s: migrations applied\n", role->name.c_str());
    }
    return 0;
}

}  // namespace orderstream::cmd
