#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <pqxx/pqxx>

#include "orderstream/core/error.hpp"
#include "orderstream/events/envelope.hpp"
#include "orderstream/pg/pool.hpp"
#include "orderstream/contracts/product_events.hpp"

namespace orderstream::recommender {

// The seed's weights: a purchase 3, a product view 1.
inline constexpr int kPurchaseRating = 3;
inline constexpr int kViewRating = 1;

// The rating an interaction holds: bought in a paid order, else viewed, else none (0).
int RatingOf(bool viewed, int paid_orders);

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

    // The consumer's handler: applies one product, view or order event in `tx`. Events of
    // other types (the seed's `purchase`, sent for compatibility) are ignored; malformed ones
    // are an InvalidArgument (dead-lettered).
    static Status Apply(pqxx::work& tx, const events::Envelope& event);
    static void ApplyProduct(pqxx::work& tx, const contracts::ProductEvent& change);
    // A user's interaction with a product changes: a view, or a paid order of it gained (+1)
    // or refunded (-1). The rating is the strongest that still holds.
    static void ChangeInteraction(pqxx::work& tx, const std::string& user_id, const std::string& product_id, bool viewed,
                                  int paid_orders_delta);

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
