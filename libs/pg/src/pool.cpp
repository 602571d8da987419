#include "orderstream/pg/pool.hpp"

namespace orderstream::pg {

Pool::Pool(PoolOptions options) : options_(std::move(options)) {
    if (options_.size == 0) throw std::invalid_argument("pool size must be positive");
}

Pool::~Pool() = default;

void Pool::Prepare(std::string name, std::string sql) {
    std::lock_guard lock(mutex_);
    statements_.emplace_back(std::move(name), std::move(sql));
}

std::unique_ptr<Pool::Pooled> Pool::Open() {
    try {
        return std::make_unique<Pooled>(options_.url);
    } catch (const pqxx::broken_connection& e) {
        throw Unavailable(std::string("cannot connect to the database: ") + e.what());
    }
}

void Pool::CatchUp(Pooled& pooled) {
    std::vector<std::pair<std::string, std::string>> missing;
    {
        std::lock_guard lock(mutex_);
        if (pooled.prepared == statements_.size()) return;
        missing.assign(statements_.begin() + static_cast<std::ptrdiff_t>(pooled.prepared), statements_.end());
    }
    for (const auto& [name, sql] : missing) pooled.conn.prepare(name, sql);
    pooled.prepared += missing.size();
}

Pool::Lease Pool::Acquire() {
    std::unique_lock lock(mutex_);
    auto deadline = std::chrono::steady_clock::now() + options_.acquire_timeout;
    while (idle_.empty() && open_ >= options_.size) {
        if (available_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty() &&
            open_ >= options_.size) {
            throw Unavailable("no database connection free within the acquire timeout");
        }
    }
    std::unique_ptr<Pooled> pooled;
    if (!idle_.empty()) {
        pooled = std::move(idle_.back());
        idle_.pop_back();
        lock.unlock();
    } else {
        ++open_;
        lock.unlock();
        try {
            pooled = Open();
        } catch (...) {
            lock.lock();
            --open_;
            available_.notify_one();
            throw;
        }
    }
    Lease lease(this, std::move(pooled));
    CatchUp(*lease.conn_);
    return lease;
}

void Pool::Return(std::unique_ptr<Pooled> pooled) {
    std::lock_guard lock(mutex_);
    if (pooled && pooled->conn.is_open()) {
        idle_.push_back(std::move(pooled));
    } else {
        --open_;
    }
    available_.notify_one();
}

Pool::Lease::~Lease() {
    if (pool_ != nullptr) pool_->Return(std::move(conn_));
}

bool IsUniqueViolation(const pqxx::sql_error& e) { return e.sqlstate() == "23505"; }

}  // namespace orderstream::pg
