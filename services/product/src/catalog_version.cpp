#include "catalog_version.hpp"

namespace orderstream::product {

CatalogVersion::CatalogVersion(pg::Pool& pool) : pool_(pool) {
    // A sequence is not transactional: its value is current whatever the snapshot. Before
    // its first nextval last_value is already 1, so that state reads as 0.
    pool_.Prepare("catalog_version_current",
                  "SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM catalog_changes");
    pool_.Prepare("catalog_version_advance", "SELECT nextval('catalog_changes')");
}

std::int64_t CatalogVersion::Current() {
    return pool_.Autocommit([](pqxx::nontransaction& tx) {
        return tx.exec_prepared1("catalog_version_current")[0].as<std::int64_t>();
    });
}

void CatalogVersion::Advance() {
    pool_.Autocommit([](pqxx::nontransaction& tx) { tx.exec_prepared1("catalog_version_advance"); });
}

}  // namespace orderstream::product
