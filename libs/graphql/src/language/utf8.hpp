#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace orderstream::graphql::detail {

// Decodes the UTF-8 sequence at `position`. Returns its length in bytes, or 0 when the bytes are not
// a well-formed encoding of a Unicode scalar value (overlong forms and surrogates are rejected).
inline std::uint32_t decode_utf8(std::string_view text, std::uint32_t position, char32_t& code_point) {
    const auto byte = [&](std::uint32_t i) { return static_cast<unsigned char>(text[i]); };
    const std::uint32_t left = static_cast<std::uint32_t>(text.size()) - position;
    const unsigned char lead = byte(position);
    if (lead < 0x80) {
        code_point = lead;
        return 1;
    }
    std::uint32_t length = 0;
    char32_t minimum = 0;
    if ((lead & 0xE0) == 0xC0) {
        length = 2, code_point = lead & 0x1F, minimum = 0x80;
    } else if ((lead & 0xF0) == 0xE0) {
        length = 3, code_point = lead & 0x0F, minimum = 0x800;
    } else if ((lead & 0xF8) == 0xF0) {
        length = 4, code_point = lead & 0x07, minimum = 0x10000;
    } else {
        return 0;
    }
    if (left < length) return 0;
    for (std::uint32_t i = 1; i < length; ++i) {
        const unsigned char continuation = byte(position + i);
        if ((continuation & 0xC0) != 0x80) return 0;
        code_point = (code_point << 6) | (continuation & 0x3F);
    }
    if (code_point < minimum || code_point > 0x10FFFF || (code_point >= 0xD800 && code_point <= 0xDFFF)) return 0;
    return length;
}

inline void append_utf8(std::string& out, char32_t code_point) {
    if (code_point < 0x80) {
        out += static_cast<char>(code_point);
    } else if (code_point < 0x800) {
        out += static_cast<char>(0xC0 | (code_point >> 6));
        out += static_cast<char>(0x80 | (code_point & 0x3F));
    } else if (code_point < 0x10000) {
        out += static_cast<char>(0xE0 | (code_point >> 12));
        out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (code_point & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (code_point >> 18));
        out += static_cast<char>(0x80 | ((code_point >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (code_point & 0x3F));
    }
}

}  // namespace orderstream::graphql::detail
