#include "orderstream/graphql/language/lexer.hpp"

#include <cstdio>
#include <vector>

#include "block_string.hpp"
#include "utf8.hpp"

namespace orderstream::graphql {

namespace {

bool is_digit(int c) { return c >= '0' && c <= '9'; }
bool is_name_start(int c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool is_name_continue(int c) { return is_name_start(c) || is_digit(c); }

int hex_value(int c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

}  // namespace

Lexer::Lexer(std::string_view body) : body_(body) {}

const Token& Lexer::advance() {
    if (has_next_) {
        token_ = std::move(next_);
        has_next_ = false;
    } else if (token_.kind != TokenKind::EndOfFile) {
        token_ = read_token(token_.end);
    }
    return token_;
}

const Token& Lexer::lookahead() {
    if (token_.kind == TokenKind::EndOfFile) return token_;
    if (!has_next_) {
        next_ = read_token(token_.end);
        has_next_ = true;
    }
    return next_;
}

void Lexer::fail(std::uint32_t position, std::string message) const { throw SyntaxError{position, std::move(message)}; }

std::string Lexer::describe_char_at(std::uint32_t position) const {
    if (position >= body_.size()) return "<EOF>";
    char32_t code = 0;
    if (detail::decode_utf8(body_, position, code) == 0) code = static_cast<unsigned char>(body_[position]);
    if (code >= 0x20 && code <= 0x7E) {
        if (code == '"') return "'\"'";
        return std::string("\"") + static_cast<char>(code) + "\"";
    }
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "U+%04X", static_cast<unsigned>(code));
    return buffer;
}

Token Lexer::read_token(std::uint32_t position) {
    const auto size = static_cast<std::uint32_t>(body_.size());
    const auto at = [&](std::uint32_t i) -> int { return i < size ? static_cast<unsigned char>(body_[i]) : -1; };
    const auto punctuator = [&](TokenKind kind, std::uint32_t start, std::uint32_t length) {
        Token token;
        token.kind = kind;
        token.start = start;
        token.end = start + length;
        token.raw = body_.substr(start, length);
        return token;
    };
    while (position < size) {
        const int c = at(position);
        switch (c) {
            case '\t':
            case ' ':
            case ',':
            case '\n':
                ++position;
                continue;
            case '\r':
                position += at(position + 1) == '\n' ? 2 : 1;
                continue;
            case 0xEF:  // U+FEFF byte order mark is ignored like white space
                if (at(position + 1) == 0xBB && at(position + 2) == 0xBF) {
                    position += 3;
                    continue;
                }
                break;
            case '#': {
                // A comment runs to the end of the line; bytes that are not valid UTF-8 end it and are
                // then reported as invalid characters.
                ++position;
                while (position < size) {
                    const int d = at(position);
                    if (d == '\n' || d == '\r') break;
                    char32_t code = 0;
                    const auto length = detail::decode_utf8(body_, position, code);
                    if (length == 0) break;
                    position += length;
                }
                continue;
            }
            case '!': return punctuator(TokenKind::Bang, position, 1);
            case '$': return punctuator(TokenKind::Dollar, position, 1);
            case '&': return punctuator(TokenKind::Amp, position, 1);
            case '(': return punctuator(TokenKind::ParenL, position, 1);
            case ')': return punctuator(TokenKind::ParenR, position, 1);
            case '.':
                if (at(position + 1) == '.' && at(position + 2) == '.') return punctuator(TokenKind::Spread, position, 3);
                break;
            case ':': return punctuator(TokenKind::Colon, position, 1);
            case '=': return punctuator(TokenKind::Equals, position, 1);
            case '@': return punctuator(TokenKind::At, position, 1);
            case '[': return punctuator(TokenKind::BracketL, position, 1);
            case ']': return punctuator(TokenKind::BracketR, position, 1);
            case '{': return punctuator(TokenKind::BraceL, position, 1);
            case '|': return punctuator(TokenKind::Pipe, position, 1);
            case '}': return punctuator(TokenKind::BraceR, position, 1);
            case '"':
                if (at(position + 1) == '"' && at(position + 2) == '"') return read_block_string(position);
                return read_string(position);
            default:
                break;
        }
        if (is_digit(c) || c == '-') return read_number(position, position);
        if (is_name_start(c)) {
            std::uint32_t end = position + 1;
            while (is_name_continue(at(end))) ++end;
            return punctuator(TokenKind::Name, position, end - position);
        }
        if (c == '\'') fail(position, "Unexpected single quote character ('), did you mean to use a double quote (\")?");
        char32_t code = 0;
        if (detail::decode_utf8(body_, position, code) != 0) {
            fail(position, "Unexpected character: " + describe_char_at(position) + ".");
        }
        fail(position, "Invalid character: " + describe_char_at(position) + ".");
    }
    return punctuator(TokenKind::EndOfFile, size, 0);
}

std::uint32_t Lexer::read_digits(std::uint32_t position) {
    const auto at = [&](std::uint32_t i) -> int { return i < body_.size() ? body_[i] : -1; };
    if (!is_digit(at(position))) fail(position, "Invalid number, expected digit but got: " + describe_char_at(position) + ".");
    ++position;
    while (is_digit(at(position))) ++position;
    return position;
}

Token Lexer::read_number(std::uint32_t start, std::uint32_t position) {
    const auto at = [&](std::uint32_t i) -> int { return i < body_.size() ? body_[i] : -1; };
    bool is_float = false;
    if (at(position) == '-') ++position;
    if (at(position) == '0') {
        ++position;
        if (is_digit(at(position))) fail(position, "Invalid number, unexpected digit after 0: " + describe_char_at(position) + ".");
    } else {
        position = read_digits(position);
    }
    if (at(position) == '.') {
        is_float = true;
        position = read_digits(position + 1);
    }
    if (at(position) == 'e' || at(position) == 'E') {
        is_float = true;
        ++position;
        if (at(position) == '+' || at(position) == '-') ++position;
        position = read_digits(position);
    }
    // The spec's lookahead restriction: a number may not run straight into a '.' or a name.
    if (at(position) == '.' || is_name_start(at(position))) {
        fail(position, "Invalid number, expected digit but got: " + describe_char_at(position) + ".");
    }
    Token token;
    token.kind = is_float ? TokenKind::Float : TokenKind::Int;
    token.start = start;
    token.end = position;
    token.raw = body_.substr(start, position - start);
    return token;
}

Token Lexer::read_string(std::uint32_t start) {
    const auto size = static_cast<std::uint32_t>(body_.size());
    const auto at = [&](std::uint32_t i) -> int { return i < size ? static_cast<unsigned char>(body_[i]) : -1; };
    const auto read_hex4 = [&](std::uint32_t from) -> std::int32_t {
        std::int32_t value = 0;
        for (std::uint32_t i = 0; i < 4; ++i) {
            const int digit = hex_value(at(from + i));
            if (digit < 0) return -1;
            value = (value << 4) | digit;
        }
        return value;
    };
    const auto invalid_escape = [&](std::uint32_t position, std::uint32_t length) {
        fail(position, "Invalid Unicode escape sequence: \"" + std::string(body_.substr(position, length)) + "\".");
    };
    std::uint32_t position = start + 1;
    Token token;
    token.kind = TokenKind::String;
    token.start = start;
    std::string& value = token.value;
    while (position < size) {
        const int c = at(position);
        if (c == '"') {
            token.end = position + 1;
            token.raw = body_.substr(start, token.end - start);
            return token;
        }
        if (c == '\\') {
            const int escaped = at(position + 1);
            if (escaped == 'u' && at(position + 2) == '{') {
                // \u{...}: up to 8 hex digits naming a Unicode scalar value.
                char32_t point = 0;
                std::uint32_t length = 3;
                bool closed = false;
                while (length < 12) {
                    const int d = at(position + length++);
                    if (d == '}') {
                        closed = length >= 5 && point <= 0x10FFFF && !(point >= 0xD800 && point <= 0xDFFF);
                        break;
                    }
                    const int digit = hex_value(d);
                    if (digit < 0 || point > 0x10FFFF) break;
                    point = (point << 4) | static_cast<char32_t>(digit);
                }
                if (!closed) invalid_escape(position, length);
                detail::append_utf8(value, point);
                position += length;
            } else if (escaped == 'u') {
                const std::int32_t code = read_hex4(position + 2);
                if (code >= 0 && (code < 0xD800 || code > 0xDFFF)) {
                    detail::append_utf8(value, static_cast<char32_t>(code));
                    position += 6;
                } else if (code >= 0xD800 && code <= 0xDBFF && at(position + 6) == '\\' && at(position + 7) == 'u') {
                    const std::int32_t trailing = read_hex4(position + 8);
                    if (trailing < 0xDC00 || trailing > 0xDFFF) invalid_escape(position, 6);
                    detail::append_utf8(value, 0x10000 + ((static_cast<char32_t>(code) - 0xD800) << 10) +
                                                   (static_cast<char32_t>(trailing) - 0xDC00));
                    position += 12;
                } else {
                    invalid_escape(position, 6);
                }
            } else {
                char decoded = 0;
                switch (escaped) {
                    case '"': decoded = '"'; break;
                    case '\\': decoded = '\\'; break;
                    case '/': decoded = '/'; break;
                    case 'b': decoded = '\b'; break;
                    case 'f': decoded = '\f'; break;
                    case 'n': decoded = '\n'; break;
                    case 'r': decoded = '\r'; break;
                    case 't': decoded = '\t'; break;
                    default:
                        fail(position, "Invalid character escape sequence: \"" + std::string(body_.substr(position, 2)) + "\".");
                }
                value += decoded;
                position += 2;
            }
            continue;
        }
        if (c == '\n' || c == '\r') break;
        char32_t code = 0;
        const auto length = detail::decode_utf8(body_, position, code);
        if (length == 0) fail(position, "Invalid character within String: " + describe_char_at(position) + ".");
        value.append(body_.substr(position, length));
        position += length;
    }
    fail(position, "Unterminated string.");
}

Token Lexer::read_block_string(std::uint32_t start) {
    const auto size = static_cast<std::uint32_t>(body_.size());
    const auto at = [&](std::uint32_t i) -> int { return i < size ? static_cast<unsigned char>(body_[i]) : -1; };
    std::uint32_t position = start + 3;
    std::vector<std::string> lines;
    std::string current;
    while (position < size) {
        const int c = at(position);
        if (c == '"' && at(position + 1) == '"' && at(position + 2) == '"') {
            lines.push_back(std::move(current));
            Token token;
            token.kind = TokenKind::BlockString;
            token.start = start;
            token.end = position + 3;
            token.raw = body_.substr(start, token.end - start);
            token.value = detail::dedent_block_string_lines(lines);
            return token;
        }
        if (c == '\\' && at(position + 1) == '"' && at(position + 2) == '"' && at(position + 3) == '"') {
            current += "\"\"\"";
            position += 4;
            continue;
        }
        if (c == '\n' || c == '\r') {
            lines.push_back(std::move(current));
            current.clear();
            position += (c == '\r' && at(position + 1) == '\n') ? 2 : 1;
            continue;
        }
        char32_t code = 0;
        const auto length = detail::decode_utf8(body_, position, code);
        if (length == 0) fail(position, "Invalid character within String: " + describe_char_at(position) + ".");
        current.append(body_.substr(position, length));
        position += length;
    }
    fail(position, "Unterminated string.");
}

}  // namespace orderstream::graphql
