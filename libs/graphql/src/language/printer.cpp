#include "orderstream/graphql/language/printer.hpp"

#include <cstdio>
#include <initializer_list>
#include <type_traits>

namespace orderstream::graphql {

namespace {

using namespace ast;

constexpr std::size_t kMaxLineLength = 80;

// Helpers with the reference printer's semantics: empty pieces are dropped.
std::string join(const std::vector<std::string>& parts, std::string_view separator) {
    std::string out;
    bool first = true;
    for (const auto& part : parts) {
        if (part.empty()) continue;
        if (!first) out += separator;
        out += part;
        first = false;
    }
    return out;
}

std::string wrap(std::string_view start, const std::string& inner, std::string_view end = "") {
    if (inner.empty()) return {};
    std::string out(start);
    out += inner;
    out += end;
    return out;
}

std::string indent(const std::string& text) {
    if (text.empty()) return {};
    std::string out = "  ";
    for (char c : text) {
        out += c;
        if (c == '\n') out += "  ";
    }
    return out;
}

std::string block(const std::vector<std::string>& items) { return wrap("{\n", indent(join(items, "\n")), "\n}"); }

template <typename Items, typename Printer>
std::vector<std::string> map(const Items& items, Printer printer) {
    std::vector<std::string> out;
    out.reserve(items.size());
    for (const auto& item : items) out.push_back(printer(item));
    return out;
}

std::string print_value(const ValueNode& value);

std::string print_name(const Name& name) { return std::string(name.value); }

std::string print_arguments_inline(const std::vector<Argument>& arguments) {
    return join(map(arguments, [](const Argument& a) { return std::string(a.name.value) + ": " + print_value(a.value); }),
                ", ");
}

std::string print_directives(const std::vector<Directive>& directives) {
    return join(map(directives,
                    [](const Directive& d) {
                        return "@" + std::string(d.name.value) + wrap("(", print_arguments_inline(d.arguments), ")");
                    }),
                " ");
}

std::string print_value(const ValueNode& value) {
    switch (value.kind) {
        case ValueKind::Variable: return "$" + std::string(value.text);
        case ValueKind::Int:
        case ValueKind::Float:
        case ValueKind::Enum: return std::string(value.text);
        case ValueKind::String: return value.block ? print_block_string(value.string) : print_string(value.string);
        case ValueKind::Boolean: return value.boolean ? "true" : "false";
        case ValueKind::Null: return "null";
        case ValueKind::List: return "[" + join(map(value.list, print_value), ", ") + "]";
        case ValueKind::Object:
            return "{" +
                   join(map(value.fields,
                            [](const ObjectField& f) { return std::string(f.name.value) + ": " + print_value(f.value); }),
                        ", ") +
                   "}";
    }
    return {};
}

std::string print_type(const TypeNode& type) {
    switch (type.kind) {
        case TypeNode::Kind::Named: return std::string(type.name.value);
        case TypeNode::Kind::List: return "[" + print_type(*type.of_type) + "]";
        case TypeNode::Kind::NonNull: return print_type(*type.of_type) + "!";
    }
    return {};
}

std::string print_selection_set(const SelectionSet& set);

std::string print_selection(const Selection& selection) {
    switch (selection.kind) {
        case SelectionKind::Field: {
            const std::string prefix = wrap("", print_name(selection.alias), ": ") + print_name(selection.name);
            std::string args_line = prefix + wrap("(", print_arguments_inline(selection.arguments), ")");
            if (args_line.size() > kMaxLineLength) {
                const auto args = map(selection.arguments, [](const Argument& a) {
                    return std::string(a.name.value) + ": " + print_value(a.value);
                });
                args_line = prefix + wrap("(\n", indent(join(args, "\n")), "\n)");
            }
            return join({args_line, print_directives(selection.directives),
                         selection.has_selection_set ? print_selection_set(selection.selection_set) : ""},
                        " ");
        }
        case SelectionKind::FragmentSpread:
            return "..." + print_name(selection.name) + wrap(" ", print_directives(selection.directives));
        case SelectionKind::InlineFragment:
            return join({"...", wrap("on ", print_name(selection.type_condition)), print_directives(selection.directives),
                         print_selection_set(selection.selection_set)},
                        " ");
    }
    return {};
}

std::string print_selection_set(const SelectionSet& set) { return block(map(set.selections, print_selection)); }

std::string print_description(const std::optional<ValueNode>& description) {
    return description ? print_value(*description) + "\n" : "";
}

std::string print_input_value(const InputValueDefinition& input) {
    return print_description(input.description) +
           join({std::string(input.name.value) + ": " + print_type(input.type),
                 wrap("= ", input.default_value ? print_value(*input.default_value) : ""),
                 print_directives(input.directives)},
                " ");
}

std::string print_argument_definitions(const std::vector<InputValueDefinition>& arguments) {
    const auto printed = map(arguments, print_input_value);
    bool multiline = false;
    for (const auto& p : printed) multiline = multiline || p.find('\n') != std::string::npos;
    return multiline ? wrap("(\n", indent(join(printed, "\n")), "\n)") : wrap("(", join(printed, ", "), ")");
}

std::string print_type_system(const TypeSystemDefinition& def) {
    using Kind = TypeSystemDefinition::Kind;
    const std::string description = def.extension ? "" : print_description(def.description);
    const std::string prefix = def.extension ? "extend " : "";
    const std::string name = print_name(def.name);
    const std::string directives = print_directives(def.directives);
    switch (def.kind) {
        case Kind::Schema:
            return description +
                   join({prefix + "schema", directives,
                         block(map(def.operation_types,
                                   [](const OperationTypeDefinition& o) {
                                       return std::string(operation_type_name(o.operation)) + ": " +
                                              std::string(o.type.value);
                                   }))},
                        " ");
        case Kind::Scalar: return description + join({prefix + "scalar", name, directives}, " ");
        case Kind::Object:
        case Kind::Interface:
            return description +
                   join({prefix + (def.kind == Kind::Object ? "type" : "interface"), name,
                         wrap("implements ", join(map(def.interfaces, print_name), " & ")), directives,
                         block(map(def.fields,
                                   [](const FieldDefinition& f) {
                                       return print_description(f.description) + std::string(f.name.value) +
                                              print_argument_definitions(f.arguments) + ": " + print_type(f.type) +
                                              wrap(" ", print_directives(f.directives));
                                   }))},
                        " ");
        case Kind::Union:
            return description + join({prefix + "union", name, directives,
                                       wrap("= ", join(map(def.union_members, print_name), " | "))},
                                      " ");
        case Kind::Enum:
            return description +
                   join({prefix + "enum", name, directives,
                         block(map(def.enum_values,
                                   [](const EnumValueDefinition& v) {
                                       return print_description(v.description) +
                                              join({std::string(v.name.value), print_directives(v.directives)}, " ");
                                   }))},
                        " ");
        case Kind::InputObject:
            return description +
                   join({prefix + "input", name, directives, block(map(def.input_values, print_input_value))}, " ");
        case Kind::Directive:
            return description + "directive @" + name + print_argument_definitions(def.input_values) +
                   (def.repeatable ? " repeatable" : "") + " on " + join(map(def.locations, print_name), " | ");
    }
    return {};
}

std::string print_definition(const Definition& definition) {
    if (const auto* operation = std::get_if<OperationDefinition>(&definition)) {
        const std::string variables = wrap(
            "(",
            join(map(operation->variable_definitions,
                     [](const VariableDefinition& v) {
                         return "$" + std::string(v.variable.value) + ": " + print_type(v.type) +
                                wrap(" = ", v.default_value ? print_value(*v.default_value) : "") +
                                wrap(" ", print_directives(v.directives));
                     }),
                 ", "),
            ")");
        const std::string prefix =
            join({std::string(operation_type_name(operation->operation)),
                  join({print_name(operation->name), variables}, ""), print_directives(operation->directives)},
                 " ");
        return (prefix == "query" ? "" : prefix + " ") + print_selection_set(operation->selection_set);
    }
    if (const auto* fragment = std::get_if<FragmentDefinition>(&definition)) {
        return "fragment " + print_name(fragment->name) + " on " + print_name(fragment->type_condition) + " " +
               wrap("", print_directives(fragment->directives), " ") + print_selection_set(fragment->selection_set);
    }
    return print_type_system(std::get<TypeSystemDefinition>(definition));
}

}  // namespace

std::string print(const Document& document) { return join(map(document.definitions, print_definition), "\n\n"); }
std::string print(const ValueNode& value) { return print_value(value); }
std::string print(const TypeNode& type) { return print_type(type); }

std::string print_string(std::string_view value) {
    std::string out = "\"";
    for (std::size_t i = 0; i < value.size(); ++i) {
        const auto c = static_cast<unsigned char>(value[i]);
        // C1 controls U+0080..U+009F are escaped too; in UTF-8 they are C2 80..C2 9F.
        if (c == 0xC2 && i + 1 < value.size() && static_cast<unsigned char>(value[i + 1]) <= 0x9F &&
            static_cast<unsigned char>(value[i + 1]) >= 0x80) {
            char buffer[8];
            std::snprintf(buffer, sizeof buffer, "\\u%04X", static_cast<unsigned char>(value[i + 1]));
            out += buffer;
            ++i;
            continue;
        }
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\b': out += "\\b"; break;
            case '\t': out += "\\t"; break;
            case '\n': out += "\\n"; break;
            case '\f': out += "\\f"; break;
            case '\r': out += "\\r"; break;
            default:
                if (c < 0x20 || c == 0x7F) {
                    char buffer[8];
                    std::snprintf(buffer, sizeof buffer, "\\u%04X", c);
                    out += buffer;
                } else {
                    out += static_cast<char>(c);
                }
        }
    }
    out += '"';
    return out;
}

std::string print_block_string(std::string_view value) {
    std::string escaped;
    for (std::size_t i = 0; i < value.size(); ++i) {
        if (value.compare(i, 3, "\"\"\"") == 0) {
            escaped += "\\\"\"\"";
            i += 2;
        } else {
            escaped += value[i];
        }
    }
    std::vector<std::string_view> lines;
    {
        std::string_view rest = escaped;
        std::size_t start = 0;
        for (std::size_t i = 0; i < rest.size(); ++i) {
            if (rest[i] == '\n' || rest[i] == '\r') {
                lines.push_back(rest.substr(start, i - start));
                if (rest[i] == '\r' && i + 1 < rest.size() && rest[i + 1] == '\n') ++i;
                start = i + 1;
            }
        }
        lines.push_back(rest.substr(start));
    }
    const auto is_white = [](char c) { return c == ' ' || c == '\t'; };
    const bool single_line = lines.size() == 1;
    bool force_leading_newline = lines.size() > 1;
    for (std::size_t i = 1; i < lines.size(); ++i) {
        force_leading_newline = force_leading_newline && (lines[i].empty() || is_white(lines[i][0]));
    }
    const bool trailing_triple_quotes = escaped.size() >= 4 && escaped.compare(escaped.size() - 4, 4, "\\\"\"\"") == 0;
    const bool trailing_quote = !value.empty() && value.back() == '"' && !trailing_triple_quotes;
    const bool trailing_slash = !value.empty() && value.back() == '\\';
    const bool force_trailing_newline = trailing_quote || trailing_slash;
    // The reference measures length in UTF-16 units; count code points outside the BMP twice.
    std::size_t utf16_length = 0;
    for (unsigned char c : value) {
        if ((c & 0xC0) != 0x80) utf16_length += c >= 0xF0 ? 2 : 1;
    }
    const bool multiple_lines =
        !single_line || utf16_length > 70 || force_trailing_newline || force_leading_newline || trailing_triple_quotes;
    const bool skip_leading_newline = single_line && !value.empty() && is_white(value[0]);
    std::string result;
    if ((multiple_lines && !skip_leading_newline) || force_leading_newline) result += '\n';
    result += escaped;
    if (multiple_lines || force_trailing_newline) result += '\n';
    return "\"\"\"" + result + "\"\"\"";
}

}  // namespace orderstream::graphql
