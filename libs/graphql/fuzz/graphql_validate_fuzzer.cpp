// Parse + validate (+ execute when valid) fuzz target against the seed schema: hostile documents must
// produce errors, never crashes, hangs or unbounded memory.
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>

#include "orderstream/graphql/graphql.hpp"
#include "orderstream/graphql/validation/validate.hpp"

namespace {
std::shared_ptr<orderstream::graphql::Schema> load_schema() {
    std::ifstream in(ORDERSTREAM_GRAPHQL_FUZZ_SCHEMA);
    std::stringstream sdl;
    sdl << in.rdbuf();
    auto built = orderstream::graphql::Schema::from_sdl(sdl.str());
    if (!built.schema) std::abort();
    return built.schema;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace orderstream::graphql;
    static const std::shared_ptr<Schema> schema = load_schema();
    ParseOptions options;
    options.max_tokens = 20'000;
    auto parsed = parse(std::string(reinterpret_cast<const char*>(data), size), options);
    if (!parsed) return 0;
    if (!validate(*schema, *parsed.document).empty()) return 0;
    ExecutionRequest request;
    request.schema = schema;
    request.document = parsed.document;
    (void)execute(std::move(request)).to_json();
    return 0;
}
