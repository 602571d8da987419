// Parser fuzz target: any input must parse or fail cleanly, and whatever parses must print to a
// document that parses again and prints identically (the printer's output is canonical).
#include <cstdint>
#include <cstdlib>
#include <string>

#include "orderstream/graphql/language/parser.hpp"
#include "orderstream/graphql/language/printer.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace orderstream::graphql;
    ParseOptions options;
    options.max_tokens = 20'000;
    auto parsed = parse(std::string(reinterpret_cast<const char*>(data), size), options);
    if (!parsed) return 0;
    const std::string printed = print(*parsed.document);
    auto reparsed = parse(printed, options);
    if (!reparsed || print(*reparsed.document) != printed) std::abort();
    return 0;
}
