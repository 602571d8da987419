#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

#include "orderstream/graphql/language/token.hpp"

namespace orderstream::graphql {

// Thrown inside the lexer and parser only; parse() converts it into a GraphQLError.
struct SyntaxError {
    std::uint32_t position;
    std::string message;
};

// Reads the lexical grammar of spec section 2.1, one token at a time, skipping ignored tokens.
class Lexer {
public:
    explicit Lexer(std::string_view body);

    const Token& token() const { return token_; }
    // Moves to the next significant token.
    const Token& advance();
    // The token after the current one, without consuming it.
    const Token& lookahead();

private:
    Token read_token(std::uint32_t position);
    Token read_number(std::uint32_t start, std::uint32_t position);
    Token read_string(std::uint32_t start);
    Token read_block_string(std::uint32_t start);
    std::uint32_t read_digits(std::uint32_t position);
    [[noreturn]] void fail(std::uint32_t position, std::string message) const;
    std::string describe_char_at(std::uint32_t position) const;

    std::string_view body_;
    Token token_;
    Token next_;
    bool has_next_ = false;
};

}  // namespace orderstream::graphql
