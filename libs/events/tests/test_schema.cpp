#include "test_schema.hpp"

#include <map>
#include <mutex>
#include <stdexcept>

#include <pqxx/pqxx>
#include <rapidjson/document.h>

#include "orderstream/core/log.hpp"
#include "orderstream/events/migrations.hpp"
#include "orderstream/events/outbox.hpp"

namespace orderstream::events::testing {

void PrepareDatabase(const std::string& url) {
    pqxx::connection conn(url);
    pg::ApplyMigrations(conn, Migrations());
    pqxx::work tx(conn);
    tx.exec0(
        "CREATE TABLE IF NOT EXISTS effects ("
        " handled_order BIGSERIAL PRIMARY KEY,"
        " event_id UUID NOT NULL,"
        " key TEXT NOT NULL,"
        " seq INTEGER NOT NULL,"
        " request_id TEXT NOT NULL)");
    tx.commit();
}

EventHandler RecordingHandler() {
    auto attempts = std::make_shared<std::pair<std::mutex, std::map<std::string, int>>>();
    return [attempts](pqxx::work& tx, const Envelope& event) -> Status {
        if (event.type == "poison") return Error::InvalidArgument("poison event rejected");
        if (event.type == "throws") throw std::runtime_error("handler exploded");
        if (event.type == "hides_error") {
            try {
                tx.exec("SELECT 1 / 0");
            } catch (const pqxx::sql_error&) {
                // wrongly swallowed: the transaction is aborted now
            }
            return Status::Ok();
        }
        if (event.type == "flaky") {
            std::lock_guard lock(attempts->first);
            if (++attempts->second[event.id] <= 2) return Error::Unavailable("flaky dependency down");
        }
        rapidjson::Document data;
        data.Parse(event.data.c_str());
        if (!data.IsObject() || !data.HasMember("key") || !data["key"].IsString() || !data.HasMember("seq") ||
            !data["seq"].IsInt()) {
            return Error::InvalidArgument("data needs key and seq");
        }
        tx.exec_params("INSERT INTO effects (event_id, key, seq, request_id) VALUES ($1, $2, $3, $4)", event.id,
                       std::string(data["key"].GetString()), data["seq"].GetInt(), log::CurrentRequestId());
        return Status::Ok();
    };
}

void AppendEvents(const std::string& url, const std::string& topic, int count, int keys, int per_transaction,
                  int first_seq) {
    pqxx::connection conn(url);
    std::vector<int> next_seq(static_cast<std::size_t>(keys), first_seq);
    int written = 0;
    while (written < count) {
        log::RequestScope scope(log::NewRequestId());
        pqxx::work tx(conn);
        for (int i = 0; i < per_transaction && written < count; ++i, ++written) {
            int k = written % keys;
            std::string key = "k" + std::to_string(k);
            int seq = next_seq[static_cast<std::size_t>(k)]++;
            Outbox::Append(tx, topic, key, "noted",
                           R"({"key":")" + key + R"(","seq":)" + std::to_string(seq) + "}");
        }
        tx.commit();
    }
}

}  // namespace orderstream::events::testing
