#include "orderstream/graphql/language/parser.hpp"

#include <array>
#include <utility>

#include "orderstream/graphql/language/lexer.hpp"

namespace orderstream::graphql {

namespace {

using namespace ast;

constexpr std::array kDirectiveLocations = {
    "QUERY", "MUTATION", "SUBSCRIPTION", "FIELD", "FRAGMENT_DEFINITION", "FRAGMENT_SPREAD", "INLINE_FRAGMENT",
    "VARIABLE_DEFINITION", "SCHEMA", "SCALAR", "OBJECT", "FIELD_DEFINITION", "ARGUMENT_DEFINITION", "INTERFACE",
    "UNION", "ENUM", "ENUM_VALUE", "INPUT_OBJECT", "INPUT_FIELD_DEFINITION",
};

// Recursive-descent parser mirroring the grammar productions of the spec (and graphql-js's
// Parser, so syntax errors are reported at the same token).
class Parser {
public:
    Parser(std::string_view body, const ParseOptions& options) : lexer_(body), options_(options) {}

    void parse_document(Document& document) {
        advance();
        do {
            document.definitions.push_back(parse_definition());
        } while (!skip(TokenKind::EndOfFile));
        document.loc = {0, static_cast<std::uint32_t>(lexer_.token().end)};
    }

private:
    // --- token helpers -------------------------------------------------------------------------
    const Token& token() const { return lexer_.token(); }
    bool peek(TokenKind kind) const { return token().kind == kind; }

    void advance() {
        const Token& next = lexer_.advance();
        if (next.kind != TokenKind::EndOfFile && ++token_count_ > options_.max_tokens) {
            throw SyntaxError{next.start, "Document contains more than " + std::to_string(options_.max_tokens) +
                                              " tokens. Parsing aborted."};
        }
    }

    [[noreturn]] void unexpected(const Token& at) const {
        throw SyntaxError{at.start, "Unexpected " + token_description(at) + "."};
    }
    [[noreturn]] void unexpected() const { unexpected(token()); }

    void expect(TokenKind kind) {
        if (!peek(kind)) {
            throw SyntaxError{token().start, "Expected " + std::string(token_kind_description(kind)) + ", found " +
                                                 token_description(token()) + "."};
        }
        last_end_ = token().end;
        advance();
    }

    bool skip(TokenKind kind) {
        if (!peek(kind)) return false;
        advance();
        return true;
    }

    bool peek_keyword(std::string_view keyword) const { return peek(TokenKind::Name) && token().raw == keyword; }

    void expect_keyword(std::string_view keyword) {
        if (!peek_keyword(keyword)) {
            throw SyntaxError{token().start, "Expected \"" + std::string(keyword) + "\", found " +
                                                 token_description(token()) + "."};
        }
        advance();
    }

    Loc loc_from(std::uint32_t start) const { return {start, last_end_}; }

    // Nesting guard: every recursive production enters one of these.
    struct DepthGuard {
        Parser& parser;
        explicit DepthGuard(Parser& p) : parser(p) {
            if (++parser.depth_ > parser.options_.max_depth) {
                throw SyntaxError{parser.token().start, "Document nesting exceeds the maximum depth of " +
                                                            std::to_string(parser.options_.max_depth) + "."};
            }
        }
        ~DepthGuard() { --parser.depth_; }
    };

    std::uint32_t token_start() const { return token().start; }

    Name parse_name() {
        const Name name{token().raw, {token().start, token().end}};
        expect(TokenKind::Name);
        return name;
    }

    void consume(TokenKind kind) { expect(kind); }
    bool consume_if(TokenKind kind) {
        if (!peek(kind)) return false;
        last_end_ = token().end;
        advance();
        return true;
    }
    void consume_keyword(std::string_view keyword) {
        const std::uint32_t end = token().end;
        expect_keyword(keyword);
        last_end_ = end;
    }
    bool consume_keyword_if(std::string_view keyword) {
        if (!peek_keyword(keyword)) return false;
        last_end_ = token().end;
        advance();
        return true;
    }

    // --- definitions -----------------------------------------------------------------------------
    Definition parse_definition() {
        if (peek(TokenKind::BraceL)) return parse_operation_definition();
        const bool has_description = peek_description();
        const Token keyword = has_description ? lexer_.lookahead() : token();
        if (keyword.kind == TokenKind::Name) {
            const std::string_view word = keyword.raw;
            if (word == "schema" || word == "scalar" || word == "type" || word == "interface" || word == "union" ||
                word == "enum" || word == "input" || word == "directive") {
                return parse_type_system_definition(word);
            }
            if (has_description) {
                throw SyntaxError{token().start,
                                  "Unexpected description, descriptions are supported only on type definitions."};
            }
            if (word == "query" || word == "mutation" || word == "subscription") return parse_operation_definition();
            if (word == "fragment") return parse_fragment_definition();
            if (word == "extend") return parse_type_system_extension();
        }
        unexpected(keyword);
    }

    OperationDefinition parse_operation_definition() {
        OperationDefinition operation;
        const std::uint32_t start = token_start();
        if (peek(TokenKind::BraceL)) {
            operation.selection_set = parse_selection_set();
            operation.loc = loc_from(start);
            return operation;
        }
        operation.operation = parse_operation_type();
        if (peek(TokenKind::Name)) operation.name = parse_name();
        operation.variable_definitions = parse_variable_definitions();
        operation.directives = parse_directives(false);
        operation.selection_set = parse_selection_set();
        operation.loc = loc_from(start);
        return operation;
    }

    OperationType parse_operation_type() {
        const Token operation_token = token();
        consume(TokenKind::Name);
        if (operation_token.raw == "query") return OperationType::Query;
        if (operation_token.raw == "mutation") return OperationType::Mutation;
        if (operation_token.raw == "subscription") return OperationType::Subscription;
        unexpected(operation_token);
    }

    std::vector<VariableDefinition> parse_variable_definitions() {
        std::vector<VariableDefinition> definitions;
        if (!consume_if(TokenKind::ParenL)) return definitions;
        do {
            definitions.push_back(parse_variable_definition());
        } while (!consume_if(TokenKind::ParenR));
        return definitions;
    }

    VariableDefinition parse_variable_definition() {
        VariableDefinition definition;
        const std::uint32_t start = token_start();
        definition.variable = parse_variable_name();
        consume(TokenKind::Colon);
        definition.type = parse_type_reference();
        if (consume_if(TokenKind::Equals)) definition.default_value = parse_value(true);
        definition.directives = parse_directives(true);
        definition.loc = loc_from(start);
        return definition;
    }

    // The name after '$'; callers that need the variable's own location start it at the '$'.
    Name parse_variable_name() {
        consume(TokenKind::Dollar);
        return parse_name();
    }

    SelectionSet parse_selection_set() {
        DepthGuard guard(*this);
        SelectionSet set;
        const std::uint32_t start = token_start();
        consume(TokenKind::BraceL);
        do {
            set.selections.push_back(parse_selection());
        } while (!consume_if(TokenKind::BraceR));
        set.loc = loc_from(start);
        return set;
    }

    Selection parse_selection() { return peek(TokenKind::Spread) ? parse_fragment() : parse_field(); }

    Selection parse_field() {
        Selection field;
        field.kind = SelectionKind::Field;
        const std::uint32_t start = token_start();
        Name name_or_alias = parse_name();
        if (consume_if(TokenKind::Colon)) {
            field.alias = name_or_alias;
            field.name = parse_name();
        } else {
            field.name = name_or_alias;
        }
        field.arguments = parse_arguments(false);
        field.directives = parse_directives(false);
        if (peek(TokenKind::BraceL)) {
            field.selection_set = parse_selection_set();
            field.has_selection_set = true;
        }
        field.loc = loc_from(start);
        return field;
    }

    std::vector<Argument> parse_arguments(bool is_const) {
        std::vector<Argument> arguments;
        if (!consume_if(TokenKind::ParenL)) return arguments;
        do {
            Argument argument;
            const std::uint32_t start = token_start();
            argument.name = parse_name();
            consume(TokenKind::Colon);
            argument.value = parse_value(is_const);
            argument.loc = loc_from(start);
            arguments.push_back(std::move(argument));
        } while (!consume_if(TokenKind::ParenR));
        return arguments;
    }

    Selection parse_fragment() {
        Selection selection;
        const std::uint32_t start = token_start();
        consume(TokenKind::Spread);
        const bool has_type_condition = consume_keyword_if("on");
        if (!has_type_condition && peek(TokenKind::Name)) {
            selection.kind = SelectionKind::FragmentSpread;
            selection.name = parse_fragment_name();
            selection.directives = parse_directives(false);
        } else {
            selection.kind = SelectionKind::InlineFragment;
            if (has_type_condition) selection.type_condition = parse_name();
            selection.directives = parse_directives(false);
            selection.selection_set = parse_selection_set();
            selection.has_selection_set = true;
        }
        selection.loc = loc_from(start);
        return selection;
    }

    Name parse_fragment_name() {
        if (peek_keyword("on")) unexpected();
        return parse_name();
    }

    FragmentDefinition parse_fragment_definition() {
        FragmentDefinition fragment;
        const std::uint32_t start = token_start();
        consume_keyword("fragment");
        fragment.name = parse_fragment_name();
        consume_keyword("on");
        fragment.type_condition = parse_name();
        fragment.directives = parse_directives(false);
        fragment.selection_set = parse_selection_set();
        fragment.loc = loc_from(start);
        return fragment;
    }

    // --- values ----------------------------------------------------------------------------------
    ValueNode parse_value(bool is_const) {
        ValueNode value;
        const Token& current = token();
        const std::uint32_t start = current.start;
        switch (current.kind) {
            case TokenKind::BracketL: {
                DepthGuard guard(*this);
                value.kind = ValueKind::List;
                consume(TokenKind::BracketL);
                while (!consume_if(TokenKind::BracketR)) value.list.push_back(parse_value(is_const));
                break;
            }
            case TokenKind::BraceL: {
                DepthGuard guard(*this);
                value.kind = ValueKind::Object;
                consume(TokenKind::BraceL);
                while (!consume_if(TokenKind::BraceR)) {
                    ObjectField field;
                    const std::uint32_t field_start = token_start();
                    field.name = parse_name();
                    consume(TokenKind::Colon);
                    field.value = parse_value(is_const);
                    field.loc = loc_from(field_start);
                    value.fields.push_back(std::move(field));
                }
                break;
            }
            case TokenKind::Int:
            case TokenKind::Float:
                value.kind = current.kind == TokenKind::Int ? ValueKind::Int : ValueKind::Float;
                value.text = current.raw;
                consume(current.kind);
                break;
            case TokenKind::String:
            case TokenKind::BlockString:
                return parse_string_literal();
            case TokenKind::Name:
                if (current.raw == "true" || current.raw == "false") {
                    value.kind = ValueKind::Boolean;
                    value.boolean = current.raw == "true";
                } else if (current.raw == "null") {
                    value.kind = ValueKind::Null;
                } else {
                    value.kind = ValueKind::Enum;
                    value.text = current.raw;
                }
                consume(TokenKind::Name);
                break;
            case TokenKind::Dollar:
                if (is_const) {
                    const Token dollar = current;
                    consume(TokenKind::Dollar);
                    if (peek(TokenKind::Name)) {
                        throw SyntaxError{dollar.start,
                                          "Unexpected variable \"$" + std::string(token().raw) + "\" in constant value."};
                    }
                    unexpected(dollar);
                }
                value.kind = ValueKind::Variable;
                value.text = parse_variable_name().value;
                break;
            default:
                unexpected();
        }
        value.loc = loc_from(start);
        return value;
    }

    ValueNode parse_string_literal() {
        const Token& current = token();
        ValueNode value;
        value.kind = ValueKind::String;
        value.block = current.kind == TokenKind::BlockString;
        value.string = current.value;
        value.loc = {current.start, current.end};
        consume(current.kind);
        return value;
    }

    std::vector<Directive> parse_directives(bool is_const) {
        std::vector<Directive> directives;
        while (peek(TokenKind::At)) {
            Directive directive;
            const std::uint32_t start = token_start();
            consume(TokenKind::At);
            directive.name = parse_name();
            directive.arguments = parse_arguments(is_const);
            directive.loc = loc_from(start);
            directives.push_back(std::move(directive));
        }
        return directives;
    }

    TypeNode parse_type_reference() {
        DepthGuard guard(*this);
        TypeNode type;
        const std::uint32_t start = token_start();
        if (consume_if(TokenKind::BracketL)) {
            type.kind = TypeNode::Kind::List;
            type.of_type = std::make_unique<TypeNode>(parse_type_reference());
            consume(TokenKind::BracketR);
        } else {
            type.kind = TypeNode::Kind::Named;
            type.name = parse_name();
        }
        type.loc = loc_from(start);
        if (consume_if(TokenKind::Bang)) {
            TypeNode non_null;
            non_null.kind = TypeNode::Kind::NonNull;
            non_null.of_type = std::make_unique<TypeNode>(std::move(type));
            non_null.loc = loc_from(start);
            return non_null;
        }
        return type;
    }

    // --- type system -----------------------------------------------------------------------------
    bool peek_description() const { return peek(TokenKind::String) || peek(TokenKind::BlockString); }

    std::optional<ValueNode> parse_description() {
        if (!peek_description()) return std::nullopt;
        return parse_string_literal();
    }

    Definition parse_type_system_definition(std::string_view keyword) {
        TypeSystemDefinition definition;
        const std::uint32_t start = token_start();
        definition.description = parse_description();
        consume_keyword(keyword);
        parse_type_system_body(definition, keyword);
        definition.loc = loc_from(start);
        return definition;
    }

    Definition parse_type_system_extension() {
        const Token keyword = lexer_.lookahead();
        if (keyword.kind != TokenKind::Name) unexpected(keyword);
        const std::string_view word = keyword.raw;
        if (!(word == "schema" || word == "scalar" || word == "type" || word == "interface" || word == "union" ||
              word == "enum" || word == "input")) {
            unexpected(keyword);
        }
        TypeSystemDefinition definition;
        definition.extension = true;
        const std::uint32_t start = token_start();
        consume_keyword("extend");
        consume_keyword(word);
        parse_type_system_body(definition, word);
        const bool empty = definition.directives.empty() && definition.operation_types.empty() &&
                           definition.interfaces.empty() && definition.fields.empty() &&
                           definition.union_members.empty() && definition.enum_values.empty() &&
                           definition.input_values.empty();
        if (empty) unexpected();
        definition.loc = loc_from(start);
        return definition;
    }

    // Everything after the keyword, shared by definitions and extensions.
    void parse_type_system_body(TypeSystemDefinition& definition, std::string_view keyword) {
        using Kind = TypeSystemDefinition::Kind;
        if (keyword == "schema") {
            definition.kind = Kind::Schema;
            definition.directives = parse_directives(true);
            if (definition.extension && !peek(TokenKind::BraceL)) return;
            consume(TokenKind::BraceL);
            do {
                OperationTypeDefinition operation;
                const std::uint32_t start = token_start();
                operation.operation = parse_operation_type();
                consume(TokenKind::Colon);
                operation.type = parse_name();
                operation.loc = loc_from(start);
                definition.operation_types.push_back(operation);
            } while (!consume_if(TokenKind::BraceR));
            return;
        }
        if (keyword == "directive") {
            definition.kind = Kind::Directive;
            consume(TokenKind::At);
            definition.name = parse_name();
            definition.input_values = parse_argument_definitions();
            definition.repeatable = consume_keyword_if("repeatable");
            consume_keyword("on");
            consume_if(TokenKind::Pipe);
            do {
                const Token location_token = token();
                Name location = parse_name();
                bool known = false;
                for (const char* candidate : kDirectiveLocations) known = known || location.value == candidate;
                if (!known) unexpected(location_token);
                definition.locations.push_back(location);
            } while (consume_if(TokenKind::Pipe));
            return;
        }
        definition.name = parse_name();
        if (keyword == "scalar") {
            definition.kind = Kind::Scalar;
            definition.directives = parse_directives(true);
        } else if (keyword == "type" || keyword == "interface") {
            definition.kind = keyword == "type" ? Kind::Object : Kind::Interface;
            if (consume_keyword_if("implements")) {
                consume_if(TokenKind::Amp);
                do {
                    definition.interfaces.push_back(parse_name());
                } while (consume_if(TokenKind::Amp));
            }
            definition.directives = parse_directives(true);
            if (consume_if(TokenKind::BraceL)) {
                do {
                    definition.fields.push_back(parse_field_definition());
                } while (!consume_if(TokenKind::BraceR));
            }
        } else if (keyword == "union") {
            definition.kind = Kind::Union;
            definition.directives = parse_directives(true);
            if (consume_if(TokenKind::Equals)) {
                consume_if(TokenKind::Pipe);
                do {
                    definition.union_members.push_back(parse_name());
                } while (consume_if(TokenKind::Pipe));
            }
        } else if (keyword == "enum") {
            definition.kind = Kind::Enum;
            definition.directives = parse_directives(true);
            if (consume_if(TokenKind::BraceL)) {
                do {
                    EnumValueDefinition value;
                    const std::uint32_t start = token_start();
                    value.description = parse_description();
                    if (peek_keyword("true") || peek_keyword("false") || peek_keyword("null")) {
                        throw SyntaxError{token().start, token_description(token()) +
                                                             " is reserved and cannot be used for an enum value."};
                    }
                    value.name = parse_name();
                    value.directives = parse_directives(true);
                    value.loc = loc_from(start);
                    definition.enum_values.push_back(std::move(value));
                } while (!consume_if(TokenKind::BraceR));
            }
        } else {  // input
            definition.kind = Kind::InputObject;
            definition.directives = parse_directives(true);
            if (consume_if(TokenKind::BraceL)) {
                do {
                    definition.input_values.push_back(parse_input_value_definition());
                } while (!consume_if(TokenKind::BraceR));
            }
        }
    }

    FieldDefinition parse_field_definition() {
        FieldDefinition field;
        const std::uint32_t start = token_start();
        field.description = parse_description();
        field.name = parse_name();
        field.arguments = parse_argument_definitions();
        consume(TokenKind::Colon);
        field.type = parse_type_reference();
        field.directives = parse_directives(true);
        field.loc = loc_from(start);
        return field;
    }

    std::vector<InputValueDefinition> parse_argument_definitions() {
        std::vector<InputValueDefinition> arguments;
        if (!consume_if(TokenKind::ParenL)) return arguments;
        do {
            arguments.push_back(parse_input_value_definition());
        } while (!consume_if(TokenKind::ParenR));
        return arguments;
    }

    InputValueDefinition parse_input_value_definition() {
        InputValueDefinition input;
        const std::uint32_t start = token_start();
        input.description = parse_description();
        input.name = parse_name();
        consume(TokenKind::Colon);
        input.type = parse_type_reference();
        if (consume_if(TokenKind::Equals)) input.default_value = parse_value(true);
        input.directives = parse_directives(true);
        input.loc = loc_from(start);
        return input;
    }

    Lexer lexer_;
    const ParseOptions& options_;
    std::uint32_t token_count_ = 0;
    std::uint32_t depth_ = 0;
    std::uint32_t last_end_ = 0;
};

}  // namespace

ParseResult parse(std::string text, const ParseOptions& options) {
    auto source = std::make_shared<const Source>(std::move(text));
    auto document = std::make_shared<Document>();
    document->source = source;
    try {
        Parser parser(source->body(), options);
        parser.parse_document(*document);
    } catch (const SyntaxError& error) {
        ParseResult result;
        result.error = GraphQLError{"Syntax Error: " + error.message, {source->location_of(error.position)}, {}, {}};
        return result;
    }
    return ParseResult{std::move(document), std::nullopt};
}

}  // namespace orderstream::graphql
