#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "model_store.hpp"
#include "orderstream/core/metrics.hpp"
#include "recommender_settings.hpp"

namespace orderstream::recommender {

// Keeps the served model fresh. A background thread first loads the stored model (or, when
// there is none but there are interactions, trains one) and then retrains on a snapshot
// whenever enough interactions changed or the model is old enough. Each new model is swapped
// in atomically and stored; readers never wait for training.
class ModelTrainer {
public:
    ModelTrainer(ModelStore& store, const RecommenderSettings& settings);
    ~ModelTrainer();  // Stop()
    ModelTrainer(const ModelTrainer&) = delete;
    ModelTrainer& operator=(const ModelTrainer&) = delete;

    void Start();
    void Stop();

    // The model to serve from; null until one exists.
    std::shared_ptr<const ServedModel> Current() const { return current_.load(); }
    // True once the start-up step (load or first training) is done.
    bool Ready() const { return ready_.load(); }

private:
    void Run();
    void StartUp();
    void MaybeRetrain();
    void TrainNow();
    void Publish(std::shared_ptr<const ServedModel> served);
    bool WaitFor(std::chrono::milliseconds delay);  // false when stopping

    ModelStore& store_;
    const RecommenderSettings settings_;
    std::atomic<std::shared_ptr<const ServedModel>> current_;
    std::atomic<bool> ready_{false};
    std::chrono::steady_clock::time_point trained_at_ = std::chrono::steady_clock::now();
    bool saved_ = true;  // the served model is in the database (trainer thread only)

    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;

    metrics::Counter& runs_;
    metrics::Counter& failures_;
    metrics::Gauge& seconds_;
    metrics::Gauge& ratings_;
    metrics::Gauge& users_;
    metrics::Gauge& items_;
    metrics::Gauge& rmse_;
    metrics::Gauge& bytes_;
    metrics::Gauge& pending_;
};

}  // namespace orderstream::recommender
