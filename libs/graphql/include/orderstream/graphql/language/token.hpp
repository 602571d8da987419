#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace orderstream::graphql {

enum class TokenKind : std::uint8_t {
    StartOfFile,
    EndOfFile,
    Bang,
    Dollar,
    Amp,
    ParenL,
    ParenR,
    Spread,
    Colon,
    Equals,
    At,
    BracketL,
    BracketR,
    BraceL,
    Pipe,
    BraceR,
    Name,
    Int,
    Float,
    String,
    BlockString,
};

struct Token {
    TokenKind kind = TokenKind::StartOfFile;
    std::uint32_t start = 0;
    std::uint32_t end = 0;
    std::string_view raw;  // the token's text in the source (names and numbers use it as their value)
    std::string value;     // decoded value of String and BlockString tokens
};

// "Name", "<EOF>", "\"{\"" ... as used in syntax error messages.
std::string_view token_kind_description(TokenKind kind);
std::string token_description(const Token& token);

}  // namespace orderstream::graphql
