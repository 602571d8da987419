#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <pqxx/pqxx>

#include "orderstream/core/error.hpp"
#include "orderstream/events/envelope.hpp"
#include "orderstream/pg/pool.hpp"
#include "replica_events.hpp"

namespace orderstream::recommender {

struct ReplicaProduct {
    std::string id;
    std::int64_t account_id = 0;
    std::string name;
    std::string description;
    std::int64_t price_cents = 0;
    std::string currency;
};

// recommender_db's replica of products and interactions: written by the event consumer (in
// its transaction), read when serving.
class ReplicaStore {
public:
    explicit ReplicaStore(pg::Pool& pool);

    // The consumer's handler: applies one product or interaction event in `tx`. Events of
    // other types are ignored; malformed ones are an InvalidArgument (dead-lettered).
    static Status Apply(pqxx::work& tx, const events::Envelope& event);
    static void ApplyProduct(pqxx::work& tx, const ProductChange& change);
    static void ApplyInteraction(pqxx::work& tx, const Interaction& interaction);

    // Products the user interacted with.
    std::vector<std::string> InteractedProducts(const std::string& user_id);
    // The products among `ids` that exist and are not deleted, by id.
    std::map<std::string, ReplicaProduct> LiveProducts(const std::vector<std::string>& ids);
    // Live products by popularity (then id), leaving out `excluded`.
    std::vector<ReplicaProduct> Popular(const std::vector<std::string>& excluded, std::uint64_t skip,
                                        std::uint64_t take);

private:
    pg::Pool& pool_;
};

}  // namespace orderstream::recommender
