#pragma once

#include <string>
#include <vector>

namespace orderstream::product {

// `orderstream product reindex`: rebuilds the search engine's index (ELASTICSEARCH_URL,
// ELASTICSEARCH_INDEX) from product_db with progress on stdout, then swaps the alias to it.
// Returns the exit code.
int RunReindex(const std::vector<std::string>& args);

}  // namespace orderstream::product
