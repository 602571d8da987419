#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace orderstream::text {

// Without leading and trailing ASCII white space.
std::string Trim(std::string_view text);

// ASCII lower case (other bytes unchanged).
std::string AsciiLower(std::string_view text);

// Number of code points, or nullopt when the bytes are not well-formed UTF-8
// (overlong forms, surrogates and values above U+10FFFF are rejected).
std::optional<std::size_t> Utf8Length(std::string_view text);

// True when any byte is an ASCII control character (including DEL).
bool HasControlCharacters(std::string_view text);

// RFC 3986 percent-encoding of everything but the unreserved characters, so the result is
// safe as one URL path segment or query value ("a/b c" -> "a%2Fb%20c").
std::string PercentEncode(std::string_view text);

}  // namespace orderstream::text
