#include "product_search.hpp"

#include <cctype>

#include "orderstream/core/paging.hpp"

namespace orderstream::product {
namespace {

std::vector<ProductRecord> Records(const pqxx::result& rows) {
    std::vector<ProductRecord> records;
    records.reserve(rows.size());
    for (const auto& row : rows) records.push_back(ProductFromRow(row));
    return records;
}

}  // namespace

std::string AnyWordPrefixTsQuery(const std::string& query) {
    std::string out;
    std::string word;
    auto flush = [&] {
        if (word.empty()) return;
        if (!out.empty()) out += " | ";
        out += word + ":*";
        word.clear();
    };
    for (unsigned char c : query) {
        // Non-ASCII bytes are kept: they are parts of UTF-8 letters.
        if (std::isalnum(c) || c >= 0x80) {
            word += static_cast<char>(std::tolower(c));
        } else {
            flush();
        }
    }
    flush();
    return out;
}

namespace {

// Not prepared: a generic plan cannot see the query's selectivity and may scan the whole
// catalog (seconds for a trigram match), so each search is planned with its own values.
constexpr const char* kFullText =
                  "SELECT p.id, p.account_id, p.name, p.description, p.price_cents, p.currency "
                  "FROM products p, websearch_to_tsquery('english', $1) q "
                  "WHERE p.deleted_at IS NULL AND p.document @@ q "
                  "ORDER BY ts_rank(p.document, q) DESC, p.id ASC OFFSET $2 LIMIT $3";
constexpr const char* kFullTextAny =
                  "SELECT EXISTS (SELECT 1 FROM products p, websearch_to_tsquery('english', $1) q "
                  "WHERE p.deleted_at IS NULL AND p.document @@ q)";
constexpr const char* kAnyWord =
    "SELECT p.id, p.account_id, p.name, p.description, p.price_cents, p.currency "
    "FROM products p, to_tsquery('english', $1) q "
    "WHERE p.deleted_at IS NULL AND p.document @@ q "
    "ORDER BY ts_rank(p.document, q) DESC, p.id ASC OFFSET $2 LIMIT $3";
constexpr const char* kAnyWordAny =
    "SELECT EXISTS (SELECT 1 FROM products p, to_tsquery('english', $1) q "
    "WHERE p.deleted_at IS NULL AND p.document @@ q)";
constexpr const char* kSimilarName =
    "SELECT p.id, p.account_id, p.name, p.description, p.price_cents, p.currency "
    "FROM products p "
    "WHERE p.deleted_at IS NULL AND (lower(p.name) % lower($1) OR lower($1) <% lower(p.name)) "
    "ORDER BY word_similarity(lower($1), lower(p.name)) DESC, p.id ASC OFFSET $2 LIMIT $3";

}  // namespace

PostgresProductSearch::PostgresProductSearch(pg::Pool& pool) : pool_(pool) {}

std::vector<ProductRecord> PostgresProductSearch::Search(const std::string& query, std::uint64_t skip,
                                                         std::uint64_t take) {
    auto skip_rows = paging::Skip(skip);
    auto take_rows = paging::Skip(take);
    return pool_.Autocommit([&](pqxx::nontransaction& tx) {
        // A stage with matches answers every page; a later stage runs only when the earlier
        // one matches nothing at all (an empty page past its end stays empty).
        auto rows = tx.exec_params(kFullText, query, skip_rows, take_rows);
        if (!rows.empty() || (skip_rows > 0 && tx.exec_params1(kFullTextAny, query)[0].as<bool>())) {
            return Records(rows);
        }
        auto any_word = AnyWordPrefixTsQuery(query);
        if (!any_word.empty()) {
            rows = tx.exec_params(kAnyWord, any_word, skip_rows, take_rows);
            if (!rows.empty() || (skip_rows > 0 && tx.exec_params1(kAnyWordAny, any_word)[0].as<bool>())) {
                return Records(rows);
            }
        }
        return Records(tx.exec_params(kSimilarName, query, skip_rows, take_rows));
    });
}

}  // namespace orderstream::product
