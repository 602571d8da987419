#include "orderstream/events/migrations.hpp"

namespace orderstream::events {

std::vector<pg::Migration> WithEventTables(const std::vector<pg::Migration>& own) {
    auto all = own;
    const auto& events = Migrations();
    all.insert(all.end(), events.begin(), events.end());
    return all;
}

}  // namespace orderstream::events
