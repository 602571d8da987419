#include "model_store.hpp"

#include <spdlog/spdlog.h>

#include "orderstream/recommender/model/model_codec.hpp"

namespace orderstream::recommender {

ModelStore::ModelStore(pg::Pool& pool) : pool_(pool) {
    pool_.Prepare("recommender_changes_since", "SELECT count(*) FROM interactions WHERE change_id > $1");
    pool_.Prepare("recommender_model_latest",
                  "SELECT last_change_id, ratings, users, items, holdout_rmse, training_seconds, model "
                  "FROM models ORDER BY id DESC LIMIT 1");
}

ModelStore::Snapshot ModelStore::ReadSnapshot() {
    Snapshot snapshot;
    auto lease = pool_.Acquire();
    pqxx::transaction<pqxx::isolation_level::repeatable_read, pqxx::readwrite_policy::read_only> tx(*lease);
    snapshot.last_change_id = tx.exec1("SELECT COALESCE(max(change_id), 0) FROM interactions")[0].as<std::int64_t>();
    // Bytewise order, so the training order (and with it the model) does not depend on the
    // database's collation or on the order events arrived in.
    auto rows = tx.exec(
        "SELECT user_id, product_id, rating FROM interactions WHERE rating IS NOT NULL "
        "ORDER BY user_id COLLATE \"C\", product_id COLLATE \"C\"");
    snapshot.ratings.reserve(rows.size());
    for (const auto& row : rows) {
        snapshot.ratings.push_back({row[0].as<std::string>(), row[1].as<std::string>(), row[2].as<double>()});
    }
    tx.commit();
    return snapshot;
}

std::int64_t ModelStore::ChangesSince(std::int64_t change_id) {
    return pool_.Autocommit([&](pqxx::nontransaction& tx) {
        return tx.exec_prepared1("recommender_changes_since", change_id)[0].as<std::int64_t>();
    });
}

void ModelStore::Save(const ServedModel& served) {
    const auto bytes = ModelCodec::Encode(*served.model);
    const auto& r = served.report;
    std::optional<double> rmse = r.holdout_rmse;
    pool_.Transact([&](pqxx::work& tx) {
        auto id = tx.exec_params1(
                        "INSERT INTO models (last_change_id, ratings, users, items, holdout_rmse, training_seconds, "
                        "model) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                        served.last_change_id, static_cast<std::int64_t>(r.ratings),
                        static_cast<std::int64_t>(r.users), static_cast<std::int64_t>(r.items), rmse, r.seconds,
                        pqxx::binarystring(bytes))[0]
                      .as<std::int64_t>();
        tx.exec_params0("DELETE FROM models WHERE id < $1", id);
    });
}

std::optional<ServedModel> ModelStore::LoadLatest() {
    return pool_.Autocommit([&](pqxx::nontransaction& tx) -> std::optional<ServedModel> {
        auto rows = tx.exec_prepared("recommender_model_latest");
        if (rows.empty()) return std::nullopt;
        const auto& row = rows[0];
        pqxx::binarystring blob(row["model"]);
        auto decoded = ModelCodec::Decode(std::string_view(blob.get(), blob.size()));
        if (!decoded.ok()) {
            spdlog::warn("the stored model cannot be used ({}); a new one will be trained", decoded.error().message);
            return std::nullopt;
        }
        ServedModel served;
        served.model = *decoded;
        served.last_change_id = row["last_change_id"].as<std::int64_t>();
        served.report.ratings = row["ratings"].as<std::size_t>();
        served.report.users = row["users"].as<std::size_t>();
        served.report.items = row["items"].as<std::size_t>();
        if (!row["holdout_rmse"].is_null()) served.report.holdout_rmse = row["holdout_rmse"].as<double>();
        served.report.seconds = row["training_seconds"].as<double>();
        return served;
    });
}

}  // namespace orderstream::recommender
