#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "orderstream/pg/pool.hpp"
#include "orderstream/recommender/model/model_training.hpp"

namespace orderstream::recommender {

// A model as served: what it was trained on and how well it did.
struct ServedModel {
    std::shared_ptr<const RecommendationModel> model;
    TrainingReport report;
    std::int64_t last_change_id = 0;  // the newest interaction change it has seen
};

// Training snapshots and the stored model, in recommender_db.
class ModelStore {
public:
    explicit ModelStore(pg::Pool& pool);

    struct Snapshot {
        std::vector<RawRating> ratings;  // ordered by user id, then product id (bytewise)
        std::int64_t last_change_id = 0;
    };
    // Every interaction, read in one consistent snapshot.
    Snapshot ReadSnapshot();
    // Interaction changes made after `change_id`.
    std::int64_t ChangesSince(std::int64_t change_id);

    // Stores the model as the one to serve and drops older ones.
    void Save(const ServedModel& served);
    // The stored model, if any. A row that does not decode is logged and skipped.
    std::optional<ServedModel> LoadLatest();

private:
    pg::Pool& pool_;
};

}  // namespace orderstream::recommender
