#include "model_trainer.hpp"

#include <spdlog/spdlog.h>

namespace orderstream::recommender {
namespace {

metrics::Gauge& Gauge(const char* name, const char* help) { return metrics::Registry::Global().GetGauge(name, help); }

}  // namespace

ModelTrainer::ModelTrainer(ModelStore& store, const RecommenderSettings& settings)
    : store_(store),
      settings_(settings),
      runs_(metrics::Registry::Global().GetCounter("recommender_training_runs_total", "Models trained.")),
      failures_(metrics::Registry::Global().GetCounter("recommender_training_failures_total",
                                                       "Training runs that failed (retried at the next poll).")),
      seconds_(Gauge("recommender_training_seconds", "Wall time of the last training run.")),
      ratings_(Gauge("recommender_model_ratings", "Interactions the served model was trained on.")),
      users_(Gauge("recommender_model_users", "Users in the served model.")),
      items_(Gauge("recommender_model_items", "Products in the served model.")),
      rmse_(Gauge("recommender_model_holdout_rmse", "Held-out RMSE measured when the served model was trained.")),
      bytes_(Gauge("recommender_model_bytes", "Memory held by the served model.")),
      pending_(Gauge("recommender_pending_interactions", "Interaction changes not yet in the served model.")) {}

ModelTrainer::~ModelTrainer() { Stop(); }

void ModelTrainer::Start() { thread_ = std::thread([this] { Run(); }); }

void ModelTrainer::Stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

bool ModelTrainer::WaitFor(std::chrono::milliseconds delay) {
    std::unique_lock lock(mutex_);
    return !wake_.wait_for(lock, delay, [this] { return stopping_; });
}

void ModelTrainer::Run() {
    auto backoff = settings_.poll_interval;
    while (!ready_.load()) {
        try {
            StartUp();
            ready_.store(true);
        } catch (const std::exception& e) {
            failures_.Increment();
            spdlog::warn("recommender start-up (load or first training) failed, retrying: {}", e.what());
            if (!WaitFor(backoff)) return;
            backoff = std::min(backoff * 2, std::chrono::milliseconds(10'000));
        }
    }
    while (WaitFor(settings_.poll_interval)) {
        try {
            MaybeRetrain();
        } catch (const std::exception& e) {
            failures_.Increment();
            spdlog::warn("recommender training failed, will retry: {}", e.what());
        }
    }
}

void ModelTrainer::StartUp() {
    if (auto stored = store_.LoadLatest()) {
        spdlog::info("serving the stored model: {} ratings, {} users, {} products (trained up to change {})",
                     stored->report.ratings, stored->report.users, stored->report.items, stored->last_change_id);
        Publish(std::make_shared<const ServedModel>(std::move(*stored)));
        return;
    }
    if (store_.ChangesSince(0) > 0) {
        TrainNow();
    } else {
        spdlog::info("no interactions yet: recommending popular products until there are");
    }
}

void ModelTrainer::MaybeRetrain() {
    auto current = Current();
    if (current && !saved_) {
        store_.Save(*current);
        saved_ = true;
    }
    const std::int64_t since = current ? current->last_change_id : 0;
    const auto changes = store_.ChangesSince(since);
    pending_.Set(static_cast<double>(changes));
    if (changes == 0) return;
    const bool enough = changes >= settings_.retrain_min_changes;
    const bool old = std::chrono::steady_clock::now() - trained_at_ >= settings_.retrain_interval;
    if (enough || old || !current) TrainNow();
}

void ModelTrainer::TrainNow() {
    auto snapshot = store_.ReadSnapshot();
    if (snapshot.ratings.empty()) return;
    auto trained = TrainRecommendationModel(snapshot.ratings, settings_.training);
    auto served = std::make_shared<ServedModel>();
    served->model = std::move(trained.model);
    served->report = trained.report;
    served->last_change_id = snapshot.last_change_id;
    const auto& r = served->report;
    spdlog::info(
        "trained a model in {:.3f} s on {} ratings ({} users, {} products): holdout RMSE {} on {} ratings, {} bytes",
        r.seconds, r.ratings, r.users, r.items, r.holdout_rmse ? fmt::format("{:.4f}", *r.holdout_rmse) : "n/a",
        r.holdout_ratings, served->model->MemoryBytes());
    runs_.Increment();
    trained_at_ = std::chrono::steady_clock::now();
    saved_ = false;
    pending_.Set(0);
    Publish(served);
    // Stored after the swap: serving does not wait for the database write. A failed write is
    // retried at the next poll.
    store_.Save(*served);
    saved_ = true;
}

void ModelTrainer::Publish(std::shared_ptr<const ServedModel> served) {
    const auto& r = served->report;
    seconds_.Set(r.seconds);
    ratings_.Set(static_cast<double>(r.ratings));
    users_.Set(static_cast<double>(r.users));
    items_.Set(static_cast<double>(r.items));
    if (r.holdout_rmse) rmse_.Set(*r.holdout_rmse);
    bytes_.Set(static_cast<double>(served->model->MemoryBytes()));
    current_.store(std::move(served));
}

}  // namespace orderstream::recommender
