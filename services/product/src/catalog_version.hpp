#pragma once

#include <cstdint>

#include "orderstream/pg/pool.hpp"

namespace orderstream::product {

// A number that grows after every committed change to the catalog, shared by every
// instance of the product role through product_db.
//
// Advance() is called after the change has committed and before the caller hears of it;
// a reader takes Current() before it reads the catalog. A result computed under version v
// therefore never misses a change whose writer had already answered when v was read.
class CatalogVersion {
public:
    explicit CatalogVersion(pg::Pool& pool);

    std::int64_t Current();
    void Advance();

private:
    pg::Pool& pool_;
};

}  // namespace orderstream::product
