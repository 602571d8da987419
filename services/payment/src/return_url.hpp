#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "orderstream/core/error.hpp"

namespace orderstream::payment {

// Where a checkout or portal may send the buyer back: only to the shop's own origins, so a
// checkout link can never be turned into a redirect to someone else's site.
class ReturnUrlPolicy {
public:
    // "http://localhost:*,https://shop.example" — scheme://host[:port], `*` for any port.
    // INVALID_ARGUMENT names the entry that is not an origin.
    static Result<ReturnUrlPolicy> Parse(std::string_view origins);
    // Development's default: http and https on localhost and 127.0.0.1, any port.
    static ReturnUrlPolicy Development();

    // OK when `url` is an absolute http(s) URL of at most 2,000 printable ASCII characters,
    // without userinfo, whose origin is allowed; INVALID_ARGUMENT naming `field` otherwise.
    Status Check(std::string_view url, const char* field) const;

    std::string ToString() const;

private:
    struct Origin {
        std::string scheme;
        std::string host;
        std::optional<int> port;  // nullopt: any
    };
    std::vector<Origin> origins_;
};

}  // namespace orderstream::payment
