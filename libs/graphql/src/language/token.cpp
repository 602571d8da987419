#include "orderstream/graphql/language/token.hpp"

namespace orderstream::graphql {

std::string_view token_kind_description(TokenKind kind) {
    switch (kind) {
        case TokenKind::StartOfFile: return "<SOF>";
        case TokenKind::EndOfFile: return "<EOF>";
        case TokenKind::Bang: return "\"!\"";
        case TokenKind::Dollar: return "\"$\"";
        case TokenKind::Amp: return "\"&\"";
        case TokenKind::ParenL: return "\"(\"";
        case TokenKind::ParenR: return "\")\"";
        case TokenKind::Spread: return "\"...\"";
        case TokenKind::Colon: return "\":\"";
        case TokenKind::Equals: return "\"=\"";
        case TokenKind::At: return "\"@\"";
        case TokenKind::BracketL: return "\"[\"";
        case TokenKind::BracketR: return "\"]\"";
        case TokenKind::BraceL: return "\"{\"";
        case TokenKind::Pipe: return "\"|\"";
        case TokenKind::BraceR: return "\"}\"";
        case TokenKind::Name: return "Name";
        case TokenKind::Int: return "Int";
        case TokenKind::Float: return "Float";
        case TokenKind::String: return "String";
        case TokenKind::BlockString: return "BlockString";
    }
    return "?";
}

std::string token_description(const Token& token) {
    std::string description(token_kind_description(token.kind));
    if (token.kind == TokenKind::Name || token.kind == TokenKind::Int || token.kind == TokenKind::Float) {
        description += " \"";
        description += token.raw;
        description += '"';
    } else if (token.kind == TokenKind::String || token.kind == TokenKind::BlockString) {
        description += " \"";
        description += token.value;
        description += '"';
    }
    return description;
}

}  // namespace orderstream::graphql
