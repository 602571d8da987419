#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <pqxx/pqxx>

#include "orderstream/core/error.hpp"

namespace orderstream::pg {

// The database could not be reached (or no connection was free in time).
class Unavailable : public UnavailableError {
public:
    using UnavailableError::UnavailableError;
};

struct PoolOptions {
    std::string url;
    std::size_t size = 8;
    std::chrono::milliseconds acquire_timeout{3000};
};

// A fixed-size pool of libpqxx connections, opened lazily. Statements registered with
// Prepare() exist on every connection. Thread-safe.
class Pool {
public:
    explicit Pool(PoolOptions options);
    ~Pool();
    Pool(const Pool&) = delete;
    Pool& operator=(const Pool&) = delete;

    // A connection and how many of the pool's statements it has prepared so far.
    struct Pooled {
        explicit Pooled(const std::string& url) : conn(url) {}
        pqxx::connection conn;
        std::size_t prepared = 0;
    };

    // A connection on loan; returned to the pool (or dropped when broken) on destruction.
    class Lease {
    public:
        Lease(Lease&& other) noexcept : pool_(std::exchange(other.pool_, nullptr)), conn_(std::move(other.conn_)) {}
        Lease& operator=(Lease&&) = delete;
        ~Lease();
        pqxx::connection& operator*() const { return conn_->conn; }
        pqxx::connection* operator->() const { return &conn_->conn; }

    private:
        friend class Pool;
        Lease(Pool* pool, std::unique_ptr<Pooled> conn) : pool_(pool), conn_(std::move(conn)) {}
        Pool* pool_;
        std::unique_ptr<Pooled> conn_;
    };

    // Register a prepared statement for every connection, including ones already open.
    void Prepare(std::string name, std::string sql);

    // Throws Unavailable when no connection can be had within the acquire timeout.
    Lease Acquire();

    // Runs fn(pqxx::work&) in one transaction and commits it; the return value of fn is
    // passed through. A connection lost before commit is retried once on a fresh connection,
    // as is a serialization failure; anything else propagates and the transaction rolls back.
    template <typename Fn>
    auto Transact(Fn&& fn) {
        return Run<pqxx::work>(std::forward<Fn>(fn));
    }

    // Runs fn(pqxx::nontransaction&): each statement commits on its own. For single-statement
    // reads, where BEGIN/COMMIT would only add round trips.
    template <typename Fn>
    auto Autocommit(Fn&& fn) {
        return Run<pqxx::nontransaction>(std::forward<Fn>(fn));
    }

    const PoolOptions& options() const { return options_; }

private:
    template <typename Tx, typename Fn>
    auto Run(Fn&& fn) -> decltype(fn(std::declval<Tx&>())) {
        for (int attempt = 0;; ++attempt) {
            auto lease = Acquire();
            try {
                Tx tx(*lease);
                if constexpr (std::is_void_v<decltype(fn(tx))>) {
                    fn(tx);
                    tx.commit();
                    return;
                } else {
                    auto result = fn(tx);
                    tx.commit();
                    return result;
                }
            } catch (const pqxx::in_doubt_error&) {
                throw;  // the commit may have happened: never repeat it blindly
            } catch (const pqxx::broken_connection& e) {
                if (attempt >= 1) throw Unavailable(std::string("database connection lost: ") + e.what());
            } catch (const pqxx::serialization_failure&) {
                if (attempt >= 2) throw;
            }
        }
    }

    std::unique_ptr<Pooled> Open();
    // Prepares on `conn` the statements registered since it last caught up.
    void CatchUp(Pooled& conn);
    void Return(std::unique_ptr<Pooled> conn);

    PoolOptions options_;
    std::mutex mutex_;
    std::condition_variable available_;
    std::vector<std::unique_ptr<Pooled>> idle_;
    std::size_t open_ = 0;
    std::vector<std::pair<std::string, std::string>> statements_;
};

// Errors from PostgreSQL that mean "a unique constraint was hit".
bool IsUniqueViolation(const pqxx::sql_error& e);

}  // namespace orderstream::pg
