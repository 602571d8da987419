#include <list>
#include <unordered_map>
#include <unordered_set>

#include "builtin_definitions.hpp"
#include "introspection.hpp"
#include "orderstream/graphql/language/parser.hpp"
#include "orderstream/graphql/type/schema.hpp"
#include "utilities/value_from_ast.hpp"

namespace orderstream::graphql {

namespace {
constexpr std::string_view kDefaultDeprecationReason = "No longer supported";
}

// Builds a Schema from SDL the way the reference's buildASTSchema does, including its type order.
class SchemaBuilder {
public:
    SchemaResult build(std::string_view sdl) {
        SchemaResult result;
        auto builtin = parse(std::string(detail::builtin_sdl()));
        auto user = parse(std::string(sdl));
        if (!user) {
            result.errors.push_back(*user.error);
            return result;
        }
        schema_ = std::make_shared<Schema>();
        user_document_ = user.document.get();
        // Directive pointers are kept until defaults are applied, so the vector must never reallocate.
        schema_->directives_.reserve(user.document->definitions.size() + builtin.document->definitions.size());
        declare_types(*user.document, /*builtin=*/false);
        declare_types(*builtin.document, /*builtin=*/true);
        populate(*user.document);
        populate(*builtin.document);
        apply_default_values();
        finish_types();
        choose_root_types(*user.document);
        order_types();
        collect_possible_types();
        build_meta_fields();
        if (Type* time = schema_->mutable_type("Time"); time && time->kind == TypeKind::Scalar && !time->coercion) {
            time->coercion = std::make_shared<const ScalarCoercion>(rfc3339_time_coercion());
        }
        if (!errors_.empty()) {
            result.errors = std::move(errors_);
            return result;
        }
        detail::install_introspection(*schema_);
        result.schema = std::move(schema_);
        return result;
    }

private:
    void error(std::string message, const ast::Document& document, const ast::Loc& loc) {
        errors_.push_back(GraphQLError{std::move(message), {document.location_of(loc)}, {}, {}});
    }

    static TypeKind kind_of(ast::TypeSystemDefinition::Kind kind) {
        using K = ast::TypeSystemDefinition::Kind;
        switch (kind) {
            case K::Object: return TypeKind::Object;
            case K::Interface: return TypeKind::Interface;
            case K::Union: return TypeKind::Union;
            case K::Enum: return TypeKind::Enum;
            case K::InputObject: return TypeKind::InputObject;
            default: return TypeKind::Scalar;
        }
    }

    static std::optional<std::string> description_of(const std::optional<ast::ValueNode>& node) {
        if (!node) return std::nullopt;
        return node->string;
    }

    void declare_types(const ast::Document& document, bool builtin) {
        using K = ast::TypeSystemDefinition::Kind;
        for (const auto& definition : document.definitions) {
            const auto* def = std::get_if<ast::TypeSystemDefinition>(&definition);
            if (!def) {
                if (!builtin) error("Only type-system definitions are allowed in a schema document.", document,
                                    std::visit([](const auto& d) { return d.loc; }, definition));
                continue;
            }
            if (def->extension || def->kind == K::Schema || def->kind == K::Directive) continue;
            const std::string name(def->name.value);
            if (Type* existing = schema_->mutable_type(name)) {
                // A user schema may restate a specified scalar; the standard definition is kept.
                if (builtin && existing->kind == TypeKind::Scalar && def->kind == K::Scalar) {
                    existing->description = description_of(def->description);
                    skipped_builtin_.insert(def);
                    continue;
                }
                if (!builtin) error("There can be only one type named \"" + name + "\".", document, def->name.loc);
                continue;
            }
            if (!builtin && name.starts_with("__")) {
                error("Name \"" + name + "\" must not begin with \"__\", which is reserved by GraphQL introspection.",
                      document, def->name.loc);
            }
            Type& type = schema_->named_types_.emplace_back();
            type.kind = kind_of(def->kind);
            type.name = name;
            type.description = description_of(def->description);
            schema_->by_name_.emplace(type.name, &type);
            if (!builtin) config_types_.push_back(&type);
        }
    }

    const Type* resolve(const ast::TypeNode& node, const ast::Document& document) {
        const Type* type = schema_->type_from_ast(node);
        if (!type) {
            const ast::TypeNode* named = &node;
            while (named->of_type) named = named->of_type.get();
            error("Unknown type \"" + std::string(named->name.value) + "\".", document, named->loc);
        }
        return type;
    }

    static std::optional<std::string> deprecation_of(const std::vector<ast::Directive>& directives) {
        for (const auto& directive : directives) {
            if (directive.name.value != "deprecated") continue;
            for (const auto& argument : directive.arguments) {
                if (argument.name.value == "reason" && argument.value.kind == ast::ValueKind::String) {
                    return argument.value.string;
                }
            }
            return std::string(kDefaultDeprecationReason);
        }
        return std::nullopt;
    }

    InputValue input_value(const ast::InputValueDefinition& node, const ast::Document& document) {
        InputValue value;
        value.name = node.name.value;
        value.description = description_of(node.description);
        value.type = resolve(node.type, document);
        if (value.type && !value.type->is_input_type()) {
            error("The type of \"" + value.name + "\" must be Input Type but got: " + value.type->to_string() + ".",
                  document, node.type.loc);
        }
        value.deprecation_reason = deprecation_of(node.directives);
        return value;
    }

    // Default values need every input type complete, so they are coerced in a later pass.
    void remember_default(std::vector<InputValue>& values, std::size_t index, const ast::InputValueDefinition& node,
                          const ast::Document& document) {
        if (node.default_value) pending_defaults_.push_back({&values, index, &*node.default_value, &document});
    }

    void populate(const ast::Document& document) {
        using K = ast::TypeSystemDefinition::Kind;
        for (const auto& definition : document.definitions) {
            const auto* def = std::get_if<ast::TypeSystemDefinition>(&definition);
            if (!def || skipped_builtin_.count(def)) continue;
            if (def->kind == K::Schema) {
                if (!def->extension) schema_->description_ = description_of(def->description);
                continue;
            }
            if (def->kind == K::Directive) {
                populate_directive(*def, document);
                continue;
            }
            Type* type = schema_->mutable_type(def->name.value);
            if (!type) {
                error("Cannot extend type \"" + std::string(def->name.value) + "\" because it is not defined.",
                      document, def->name.loc);
                continue;
            }
            if (def->extension && type->kind != kind_of(def->kind)) {
                error("Cannot extend non-matching type \"" + type->name + "\".", document, def->name.loc);
                continue;
            }
            for (const auto& interface_name : def->interfaces) {
                const Type* interface = schema_->type(interface_name.value);
                if (!interface || interface->kind != TypeKind::Interface) {
                    error("Type \"" + type->name + "\" must only implement Interface types, it cannot implement " +
                              std::string(interface_name.value) + ".",
                          document, interface_name.loc);
                    continue;
                }
                type->interfaces.push_back(interface);
            }
            for (const auto& field_node : def->fields) {
                Field& field = type->fields.emplace_back();
                field.name = field_node.name.value;
                field.description = description_of(field_node.description);
                field.type = resolve(field_node.type, document);
                if (field.type && !field.type->is_output_type()) {
                    error("The type of \"" + type->name + "." + field.name + "\" must be Output Type but got: " +
                              field.type->to_string() + ".",
                          document, field_node.type.loc);
                }
                field.deprecation_reason = deprecation_of(field_node.directives);
                for (const auto& argument : field_node.arguments) {
                    field.arguments.push_back(input_value(argument, document));
                }
            }
            for (const auto& member : def->union_members) {
                const Type* object = schema_->type(member.value);
                if (!object || object->kind != TypeKind::Object) {
                    error("Union type \"" + type->name + "\" can only include Object types, it cannot include " +
                              std::string(member.value) + ".",
                          document, member.loc);
                    continue;
                }
                type->possible_types.push_back(object);
            }
            for (const auto& value_node : def->enum_values) {
                type->enum_values.push_back(EnumValue{std::string(value_node.name.value),
                                                      description_of(value_node.description),
                                                      deprecation_of(value_node.directives)});
            }
            for (const auto& field_node : def->input_values) type->input_fields.push_back(input_value(field_node, document));
            for (const auto& directive : def->directives) {
                if (directive.name.value == "oneOf") type->is_one_of = true;
                if (directive.name.value == "specifiedBy") {
                    for (const auto& argument : directive.arguments) {
                        if (argument.name.value == "url") type->specified_by_url = argument.value.string;
                    }
                }
            }
        }
        // Defaults are recorded only now, once the vectors holding the input values stop growing.
        for (const auto& definition : document.definitions) {
            const auto* def = std::get_if<ast::TypeSystemDefinition>(&definition);
            if (!def || skipped_builtin_.count(def) || def->kind == K::Schema) continue;
            if (def->kind == K::Directive) continue;
            Type* type = schema_->mutable_type(def->name.value);
            if (!type) continue;
            for (const auto& field_node : def->fields) {
                Field* field = nullptr;
                for (auto& candidate : type->fields) {
                    if (candidate.name == field_node.name.value) field = &candidate;
                }
                if (!field) continue;
                for (std::size_t i = 0; i < field_node.arguments.size() && i < field->arguments.size(); ++i) {
                    remember_default(field->arguments, i, field_node.arguments[i], document);
                }
            }
            for (const auto& field_node : def->input_values) {
                for (std::size_t i = 0; i < type->input_fields.size(); ++i) {
                    if (type->input_fields[i].name == field_node.name.value) {
                        remember_default(type->input_fields, i, field_node, document);
                    }
                }
            }
        }
    }

    void populate_directive(const ast::TypeSystemDefinition& def, const ast::Document& document) {
        const std::string name(def.name.value);
        for (const auto& existing : schema_->directives_) {
            if (existing.name == name) {
                if (&document == user_document_) {
                    error("There can be only one directive named \"@" + name + "\".", document, def.name.loc);
                }
                return;  // a user definition of a specified directive replaces the built-in one
            }
        }
        Directive& directive = schema_->directives_.emplace_back();
        directive.name = name;
        directive.description = description_of(def.description);
        directive.repeatable = def.repeatable;
        for (const auto& location : def.locations) directive.locations.emplace_back(location.value);
        for (const auto& argument : def.input_values) directive.arguments.push_back(input_value(argument, document));
        directive_defaults_.push_back({&directive, &def, &document});
    }

    void apply_default_values() {
        for (const auto& [directive, def, document] : directive_defaults_) {
            for (std::size_t i = 0; i < def->input_values.size(); ++i) {
                remember_default(directive->arguments, i, def->input_values[i], *document);
            }
        }
        // A default may be an input object whose own fields have defaults; repeat until every default
        // has absorbed the defaults it depends on (bounded, since a cycle of defaults is invalid anyway).
        for (int pass = 0; pass < 8; ++pass) {
            bool changed = false;
            for (const auto& pending : pending_defaults_) {
                InputValue& value = (*pending.values)[pending.index];
                if (!value.type) continue;
                auto coerced = detail::value_from_ast(*pending.literal, *value.type, nullptr);
                if (!coerced) {
                    if (pass == 0) {
                        error("Invalid default value for \"" + value.name + "\".", *pending.document, pending.literal->loc);
                    }
                    continue;
                }
                if (!value.default_value || !(*value.default_value == *coerced)) {
                    value.default_value = std::move(*coerced);
                    changed = true;
                }
            }
            if (!changed) break;
        }
    }

    void finish_types() {
        for (Type& type : schema_->named_types_) {
            for (std::size_t i = 0; i < type.fields.size(); ++i) type.field_index.emplace(type.fields[i].name, i);
        }
        static constexpr std::pair<std::string_view, BuiltinScalar> kBuiltins[] = {
            {"Int", BuiltinScalar::Int},         {"Float", BuiltinScalar::Float}, {"String", BuiltinScalar::String},
            {"Boolean", BuiltinScalar::Boolean}, {"ID", BuiltinScalar::ID},
        };
        for (const auto& [name, builtin] : kBuiltins) schema_->mutable_type(name)->builtin = builtin;
    }

    void choose_root_types(const ast::Document& document) {
        bool has_schema_definition = false;
        for (const auto& definition : document.definitions) {
            const auto* def = std::get_if<ast::TypeSystemDefinition>(&definition);
            if (!def || def->kind != ast::TypeSystemDefinition::Kind::Schema) continue;
            has_schema_definition = true;
            for (const auto& operation : def->operation_types) {
                const Type* type = schema_->type(operation.type.value);
                if (!type || type->kind != TypeKind::Object) {
                    error("Root type \"" + std::string(operation.type.value) + "\" must be a defined Object type.",
                          document, operation.type.loc);
                    continue;
                }
                switch (operation.operation) {
                    case ast::OperationType::Query: schema_->query_ = type; break;
                    case ast::OperationType::Mutation: schema_->mutation_ = type; break;
                    case ast::OperationType::Subscription: schema_->subscription_ = type; break;
                }
            }
        }
        if (!has_schema_definition) {
            const auto object_named = [&](std::string_view name) -> const Type* {
                const Type* type = schema_->type(name);
                return type && type->kind == TypeKind::Object ? type : nullptr;
            };
            schema_->query_ = object_named("Query");
            schema_->mutation_ = object_named("Mutation");
            schema_->subscription_ = object_named("Subscription");
        }
        if (!schema_->query_) errors_.push_back(GraphQLError{"Query root type must be provided.", {}, {}, {}});
    }

    // Reproduces the reference's type-map order: definitions in document order, each followed by the
    // types it first references, then the types reachable from directives and from introspection.
    void order_types() {
        std::list<const Type*> order;
        std::unordered_map<const Type*, std::list<const Type*>::iterator> position;
        for (const Type* type : config_types_) position[type] = order.insert(order.end(), type);
        const auto collect = [&](auto&& self, const Type* reference) -> void {
            const Type* type = &reference->named();
            if (position.count(type)) return;
            position[type] = order.insert(order.end(), type);
            for (const Type* member : type->possible_types) {
                if (type->kind == TypeKind::Union) self(self, member);
            }
            for (const Type* interface : type->interfaces) self(self, interface);
            for (const Field& field : type->fields) {
                if (field.type) self(self, field.type);
                for (const auto& argument : field.arguments) {
                    if (argument.type) self(self, argument.type);
                }
            }
            for (const auto& field : type->input_fields) {
                if (field.type) self(self, field.type);
            }
        };
        for (const Type* type : config_types_) {
            order.erase(position[type]);
            position.erase(type);
            collect(collect, type);
        }
        for (const Type* root : {schema_->query_, schema_->mutation_, schema_->subscription_}) {
            if (root) collect(collect, root);
        }
        for (const auto& directive : schema_->directives_) {
            for (const auto& argument : directive.arguments) {
                if (argument.type) collect(collect, argument.type);
            }
        }
        collect(collect, schema_->type("__Schema"));
        schema_->type_order_.assign(order.begin(), order.end());
    }

    void collect_possible_types() {
        for (const Type* type : schema_->type_order_) {
            if (type->kind != TypeKind::Object) continue;
            for (const Type* interface : type->interfaces) {
                const_cast<Type*>(interface)->possible_types.push_back(type);
            }
        }
    }

    void build_meta_fields() {
        schema_->schema_meta_field_.name = "__schema";
        schema_->schema_meta_field_.description = "Access the current type schema of this server.";
        schema_->schema_meta_field_.type = schema_->non_null(schema_->type("__Schema"));
        schema_->type_meta_field_.name = "__type";
        schema_->type_meta_field_.description = "Request the type information of a single type.";
        schema_->type_meta_field_.type = schema_->type("__Type");
        InputValue name_argument;
        name_argument.name = "name";
        name_argument.type = schema_->non_null(schema_->type("String"));
        schema_->type_meta_field_.arguments.push_back(name_argument);
        schema_->typename_meta_field_.name = "__typename";
        schema_->typename_meta_field_.description = "The name of the current Object type at runtime.";
        schema_->typename_meta_field_.type = schema_->non_null(schema_->type("String"));
    }

    struct PendingDefault {
        std::vector<InputValue>* values;
        std::size_t index;
        const ast::ValueNode* literal;
        const ast::Document* document;
    };
    struct DirectiveDefaults {
        Directive* directive;
        const ast::TypeSystemDefinition* definition;
        const ast::Document* document;
    };

    std::shared_ptr<Schema> schema_;
    const ast::Document* user_document_ = nullptr;
    std::vector<const Type*> config_types_;
    std::unordered_set<const ast::TypeSystemDefinition*> skipped_builtin_;
    std::vector<PendingDefault> pending_defaults_;
    std::vector<DirectiveDefaults> directive_defaults_;
    std::vector<GraphQLError> errors_;
};

SchemaResult Schema::from_sdl(std::string_view sdl) { return SchemaBuilder().build(sdl); }

}  // namespace orderstream::graphql
