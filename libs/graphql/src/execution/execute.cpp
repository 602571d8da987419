#include "orderstream/graphql/execution/execute.hpp"

#include <condition_variable>
#include <map>
#include <mutex>

#include "collect_fields.hpp"
#include "operation.hpp"
#include "pending_slot.hpp"
#include "strand.hpp"
#include "type/introspection.hpp"
#include "type/scalars.hpp"
#include "values.hpp"

namespace orderstream::graphql {

namespace detail {

namespace {

// The response path of the value being completed, as a stack-allocated chain.
struct PathNode {
    const PathNode* previous = nullptr;
    std::string_view key;
    std::int64_t index = -1;  // >= 0 for list items
};

std::vector<PathSegment> path_to_vector(const PathNode* node) {
    std::vector<PathSegment> path;
    for (; node; node = node->previous) {
        if (node->index >= 0) {
            path.emplace_back(node->index);
        } else {
            path.emplace_back(std::string(node->key));
        }
    }
    return {path.rbegin(), path.rend()};
}

enum class Outcome : std::uint8_t {
    Done,     // the slot holds its final value
    Bubble,   // an error was recorded; the nearest nullable position must become null
    Pending,  // deferred resolvers are outstanding; a PendingSlot reports later
};

// What every completion step below one field needs to know about that field.
// The fields of one selection for one object type, with their definitions looked up once per execution
// rather than once per object (list items share it).
struct PlannedFields {
    FieldGroups groups;
    std::vector<const Field*> definitions;  // null where the type has no such field
};

struct FieldContext {
    const Type* parent_type;
    const Field* field;
    const FieldGroup* group;
};

const ValueObject kNoArguments;
const Value kNullValue;

}  // namespace

// One request's execution (spec 6). Lives until the last deferred resolver has reported.
class Execution : public std::enable_shared_from_this<Execution> {
public:
    Execution(ExecutionRequest request, std::function<void(ExecutionResult)> done)
        : request_(std::move(request)), schema_(*request_.schema), document_(*request_.document), done_(std::move(done)) {}

    Strand& strand() { return strand_; }

    void start() {
        const ast::OperationDefinition* operation =
            select_operation(document_, request_.operation_name, fragments_, errors_);
        if (!operation) return finish_without_data();
        variables_ = coerce_variable_values(schema_, document_, *operation, request_.variables, errors_);
        if (!errors_.empty()) return finish_without_data();

        const Type* root = root_type(schema_, operation->operation);
        if (!root) {
            errors_.push_back(missing_root_type_error(document_, *operation));
            data_ = Value();
            return finish();
        }
        root_type_ = root;
        std::vector<std::string_view> visited;
        collect_fields(schema_, fragments_, variables_, *root, operation->selection_set, root_fields_.groups, visited);
        plan(*root, root_fields_);
        if (operation->operation == ast::OperationType::Mutation) {
            data_ = Value(ValueObject{});
            for (std::size_t i = 0; i < root_fields_.groups.size(); ++i) {
                if (const Field* field = root_fields_.definitions[i]) {
                    serial_fields_.push_back({&root_fields_.groups[i], field});
                    data_.as_object().emplace_back(std::string(root_fields_.groups[i].response_key), Value());
                }
            }
            return run_serially(0);
        }
        std::shared_ptr<PendingSlot> pending;
        switch (execute_fields(*root, request_.root_value, root_fields_, nullptr, data_, true, pending)) {
            case Outcome::Bubble: data_ = Value(); [[fallthrough]];
            case Outcome::Done: return finish();
            case Outcome::Pending:
                pending->on_settled = [self = shared_from_this()](bool) { self->finish(); };
                return;
        }
    }

private:
    const Field* field_definition(const Type& parent, const ast::Selection& node) const {
        const std::string_view name = node.name.value;
        if (name.size() > 2 && name[0] == '_' && name[1] == '_') {
            if (name == "__typename") return &schema_.typename_meta_field();
            if (&parent == schema_.query_type()) {
                if (name == "__schema") return &schema_.schema_meta_field();
                if (name == "__type") return &schema_.type_meta_field();
            }
        }
        return parent.field(name);
    }

    // Mutation root fields run one after another (spec 6.2.2); a deferred field holds back the next.
    void run_serially(std::size_t index) {
        for (; index < serial_fields_.size(); ++index) {
            const auto [group, field] = serial_fields_[index];
            const PathNode path{nullptr, group->response_key};
            std::shared_ptr<PendingSlot> pending;
            const Outcome outcome = execute_field(*root_type_, *field, request_.root_value, *group, &path,
                                                  data_.as_object()[index].second, pending);
            if (outcome == Outcome::Bubble) {
                data_ = Value();
                return finish();
            }
            if (outcome == Outcome::Pending) {
                pending->on_settled = [self = shared_from_this(), index](bool ok) {
                    if (!ok) {
                        self->data_ = Value();
                        return self->finish();
                    }
                    self->run_serially(index + 1);
                };
                return;
            }
        }
        finish();
    }

    // ExecuteSelectionSet: sibling fields all start before any deferred one is awaited.
    void plan(const Type& type, PlannedFields& fields) const {
        fields.definitions.clear();
        for (const auto& group : fields.groups) fields.definitions.push_back(field_definition(type, *group.nodes[0]));
    }

    Outcome execute_fields(const Type& type, const Value& source, const PlannedFields& fields, const PathNode* path,
                           Value& slot, bool nullable, std::shared_ptr<PendingSlot>& pending_out) {
        const FieldGroups& groups = fields.groups;
        const std::vector<const Field*>& definitions = fields.definitions;
        slot = Value(ValueObject{});
        ValueObject& object = slot.as_object();
        object.reserve(groups.size());
        for (std::size_t i = 0; i < groups.size(); ++i) {
            if (definitions[i]) object.emplace_back(std::string(groups[i].response_key), Value());
        }
        std::shared_ptr<PendingSlot> join;
        std::size_t position = 0;
        for (std::size_t i = 0; i < groups.size(); ++i) {
            if (!definitions[i]) continue;  // unknown fields are left out (validation reports them)
            const PathNode field_path{path, groups[i].response_key};
            std::shared_ptr<PendingSlot> child;
            const Outcome outcome =
                execute_field(type, *definitions[i], source, groups[i], &field_path, object[position++].second, child);
            if (outcome == Outcome::Bubble) {
                if (join) join->cancelled = true;
                return Outcome::Bubble;
            }
            if (outcome == Outcome::Pending) adopt(join, slot, nullable, child);
        }
        if (!join) return Outcome::Done;
        pending_out = std::move(join);
        return Outcome::Pending;
    }

    static void adopt(std::shared_ptr<PendingSlot>& join, Value& slot, bool nullable,
                      const std::shared_ptr<PendingSlot>& child) {
        if (!join) {
            join = std::make_shared<PendingSlot>();
            join->slot = &slot;
            join->nullable = nullable;
        }
        child->parent = join;
        ++join->remaining;
    }

    Outcome execute_field(const Type& parent_type, const Field& field, const Value& source, const FieldGroup& group,
                          const PathNode* path, Value& slot, std::shared_ptr<PendingSlot>& pending_out) {
        const ast::Selection& node = *group.nodes[0];
        const FieldContext context{&parent_type, &field, &group};
        if (&field == &schema_.typename_meta_field()) {
            return complete_value(*field.type, context, path, Value(parent_type.name), slot, pending_out);
        }
        const ValueObject* arguments = &kNoArguments;
        if (!field.arguments.empty()) {
            // Arguments depend only on the document and the variables, so each field node's are coerced
            // once per execution, not once per list item.
            const auto key = std::make_pair(&node, &field);
            auto cached = argument_cache_.find(key);
            if (cached == argument_cache_.end()) {
                GraphQLError error;
                auto coerced = coerce_argument_values(field.arguments, node.arguments, variables_, document_, node.loc, error);
                if (!coerced) {
                    error.path = path_to_vector(path);
                    errors_.push_back(std::move(error));
                    return field_failed(field, slot);
                }
                cached = argument_cache_.emplace(key, std::move(*coerced)).first;
            }
            arguments = &cached->second;
        }
        if (!field.resolver && &field != &schema_.schema_meta_field() && &field != &schema_.type_meta_field()) {
            // The default resolver borrows the parent's member instead of copying it.
            const Value* member = source.find(field.name);
            return complete_value(*field.type, context, path, member ? *member : kNullValue, slot, pending_out);
        }
        ResolverResult result = resolve(parent_type, field, source, node, *arguments);
        auto& state = result.state();
        if (auto* value = std::get_if<Value>(&state)) {
            if (move_leaf(*field.type, *value, slot)) return Outcome::Done;
            return complete_value(*field.type, context, path, *value, slot, pending_out);
        }
        if (auto* error = std::get_if<FieldError>(&state)) {
            record_error(std::move(error->message), group, path, std::move(error->extensions));
            return field_failed(field, slot);
        }
        auto pending = std::make_shared<PendingSlot>();
        pending->slot = &slot;
        pending->nullable = !field.type->is_non_null();
        pending->remaining = 1;
        std::get<std::shared_ptr<PendingResult>>(state)->on_complete(
            [self = shared_from_this(), pending, context, path = path_to_vector(path)](PendingResult::Outcome&& outcome) mutable {
                self->strand_.run([self, pending, context, path = std::move(path), outcome = std::move(outcome)]() mutable {
                    self->resume_field(pending, context, path, std::move(outcome));
                });
            });
        pending_out = std::move(pending);
        return Outcome::Pending;
    }

    ResolverResult resolve(const Type& parent_type, const Field& field, const Value& source, const ast::Selection& node,
                           const ValueObject& arguments) {
        if (field.resolver) {
            try {
                return field.resolver(ResolveInfo{source, arguments, field, parent_type, node, request_.context});
            } catch (const std::exception& exception) {
                return FieldError{exception.what(), std::nullopt};
            }
        }
        if (&field == &schema_.schema_meta_field()) return introspection_object(&schema_, kSchemaTag);
        if (&field == &schema_.type_meta_field()) {
            const Value* name = arguments.empty() ? nullptr : &arguments.front().second;
            return introspection_object(name && name->is_string() ? schema_.type(name->as_string()) : nullptr, kTypeTag);
        }
        return Value();  // fields without resolvers never get here: execute_field borrows the member
    }

    // A deferred resolver reported: complete its value inside the strand.
    void resume_field(const std::shared_ptr<PendingSlot>& pending, const FieldContext& context,
                      const std::vector<PathSegment>& path, PendingResult::Outcome&& outcome) {
        if (pending->settled || !pending->alive()) return;
        // Rebuild the stack path from its saved form.
        std::vector<PathNode> nodes(path.size());
        for (std::size_t i = 0; i < path.size(); ++i) {
            nodes[i].previous = i ? &nodes[i - 1] : nullptr;
            if (const auto* key = std::get_if<std::string>(&path[i])) {
                nodes[i].key = *key;
            } else {
                nodes[i].index = std::get<std::int64_t>(path[i]);
            }
        }
        const PathNode* field_path = nodes.empty() ? nullptr : &nodes.back();
        if (auto* error = std::get_if<FieldError>(&outcome)) {
            record_error(std::move(error->message), *context.group, field_path, std::move(error->extensions));
            return pending->child_done(false);
        }
        std::shared_ptr<PendingSlot> inner;
        const Outcome result =
            complete_value(*context.field->type, context, field_path, std::get<Value>(outcome), *pending->slot, inner);
        if (result == Outcome::Pending) {
            inner->parent = pending;
            return;
        }
        pending->child_done(result == Outcome::Done);
    }

    // Fast path for a resolver's own leaf value already in its serialized form: move it, no copy.
    static bool move_leaf(const Type& field_type, Value& value, Value& slot) {
        const Type& type = field_type.nullable();
        bool serialized = false;
        switch (type.builtin) {
            case BuiltinScalar::String:
            case BuiltinScalar::ID: serialized = value.is_string(); break;
            case BuiltinScalar::Boolean: serialized = value.is_bool(); break;
            case BuiltinScalar::None:
                serialized = type.kind == TypeKind::Enum && value.is_string() && type.enum_value(value.as_string());
                break;
            default: break;
        }
        if (!serialized) return false;
        slot = std::move(value);
        return true;
    }

    Outcome field_failed(const Field& field, Value& slot) {
        if (field.type->is_non_null()) return Outcome::Bubble;
        slot = Value();
        return Outcome::Done;
    }

    // CompleteValue (spec 6.4.3).
    // `result` is only borrowed: every synchronous step finishes with it before returning.
    Outcome complete_value(const Type& type, const FieldContext& context, const PathNode* path, const Value& result,
                           Value& slot, std::shared_ptr<PendingSlot>& pending_out) {
        if (type.is_non_null()) {
            const Outcome outcome = complete_nullable(*type.of_type, context, path, result, slot, false, pending_out);
            if (outcome == Outcome::Done && slot.is_null()) {
                record_error("Cannot return null for non-nullable field " + context.parent_type->name + "." +
                                 context.field->name + ".",
                             *context.group, path, std::nullopt);
                return Outcome::Bubble;
            }
            return outcome;
        }
        const Outcome outcome = complete_nullable(type, context, path, result, slot, true, pending_out);
        if (outcome == Outcome::Bubble) {
            slot = Value();
            return Outcome::Done;
        }
        return outcome;
    }

    Outcome complete_nullable(const Type& type, const FieldContext& context, const PathNode* path, const Value& result,
                              Value& slot, bool nullable, std::shared_ptr<PendingSlot>& pending_out) {
        if (result.is_null()) {
            slot = Value();
            return Outcome::Done;
        }
        switch (type.kind) {
            case TypeKind::List: return complete_list(type, context, path, result, slot, nullable, pending_out);
            case TypeKind::Scalar:
            case TypeKind::Enum: {
                std::string error;
                if (!serialize_leaf(type, result, slot, error)) {
                    record_error(std::move(error), *context.group, path, std::nullopt);
                    return Outcome::Bubble;
                }
                return Outcome::Done;
            }
            case TypeKind::Object: return complete_object(type, context, path, result, slot, nullable, pending_out);
            case TypeKind::Interface:
            case TypeKind::Union: {
                const Type* runtime = resolve_runtime_type(type, context, path, result);
                if (!runtime) return Outcome::Bubble;
                return complete_object(*runtime, context, path, result, slot, nullable, pending_out);
            }
            default: break;
        }
        record_error("Cannot complete a value of input type " + type.name + ".", *context.group, path, std::nullopt);
        return Outcome::Bubble;
    }

    Outcome complete_list(const Type& type, const FieldContext& context, const PathNode* path, const Value& result,
                          Value& slot, bool nullable, std::shared_ptr<PendingSlot>& pending_out) {
        if (!result.is_list()) {
            record_error("Expected Iterable, but did not find one for field \"" + context.parent_type->name + "." +
                             context.field->name + "\".",
                         *context.group, path, std::nullopt);
            return Outcome::Bubble;
        }
        const ValueList& source_items = result.as_list();
        slot = Value(ValueList(source_items.size()));
        ValueList& items = slot.as_list();
        std::shared_ptr<PendingSlot> join;
        for (std::size_t i = 0; i < source_items.size(); ++i) {
            const PathNode item_path{path, {}, static_cast<std::int64_t>(i)};
            std::shared_ptr<PendingSlot> child;
            const Outcome outcome =
                complete_value(*type.of_type, context, &item_path, source_items[i], items[i], child);
            if (outcome == Outcome::Bubble) {
                if (join) join->cancelled = true;
                return Outcome::Bubble;
            }
            if (outcome == Outcome::Pending) adopt(join, slot, nullable, child);
        }
        if (!join) return Outcome::Done;
        pending_out = std::move(join);
        return Outcome::Pending;
    }

    Outcome complete_object(const Type& type, const FieldContext& context, const PathNode* path, const Value& source,
                            Value& slot, bool nullable, std::shared_ptr<PendingSlot>& pending_out) {
        // Child resolvers only borrow their parent during their synchronous part, so `source` may die after.
        return execute_fields(type, source, subfields(type, *context.group), path, slot, nullable, pending_out);
    }

    const PlannedFields& subfields(const Type& type, const FieldGroup& group) {
        // Most groups only ever meet one runtime type (every item of a list shares it): remember the last.
        if (last_plan_group_ == &group && last_plan_type_ == &type) return *last_plan_;
        const auto key = std::make_pair(&type, &group);
        auto found = subfield_cache_.find(key);
        if (found == subfield_cache_.end()) {
            PlannedFields planned{collect_subfields(schema_, fragments_, variables_, type, group.nodes), {}};
            plan(type, planned);
            found = subfield_cache_.emplace(key, std::move(planned)).first;
        }
        last_plan_group_ = &group;
        last_plan_type_ = &type;
        last_plan_ = &found->second;
        return found->second;
    }

    const Type* resolve_runtime_type(const Type& abstract, const FieldContext& context, const PathNode* path,
                                     const Value& value) {
        std::string name;
        if (abstract.resolve_type) {
            name = abstract.resolve_type(value, request_.context);
        } else if (const Value* typename_value = value.find("__typename"); typename_value && typename_value->is_string()) {
            name = typename_value->as_string();
        }
        if (name.empty()) {
            record_error("Abstract type \"" + abstract.name +
                             "\" must resolve to an Object type at runtime for field \"" + context.parent_type->name +
                             "." + context.field->name + "\". Either the \"" + abstract.name +
                             "\" type should provide a \"resolveType\" function or each possible type should provide "
                             "an \"isTypeOf\" function.",
                         *context.group, path, std::nullopt);
            return nullptr;
        }
        const Type* runtime = schema_.type(name);
        if (!runtime || runtime->kind != TypeKind::Object) {
            record_error("Abstract type \"" + abstract.name + "\" was resolved to a type \"" + name +
                             "\" that does not exist inside the schema.",
                         *context.group, path, std::nullopt);
            return nullptr;
        }
        if (!schema_.is_possible_type(abstract, *runtime)) {
            record_error("Runtime Object type \"" + name + "\" is not a possible type for \"" + abstract.name + "\".",
                         *context.group, path, std::nullopt);
            return nullptr;
        }
        return runtime;
    }

    void record_error(std::string message, const FieldGroup& group, const PathNode* path, std::optional<Value> extensions) {
        GraphQLError error{std::move(message), {}, path_to_vector(path), std::move(extensions)};
        for (const ast::Selection* node : group.nodes) error.locations.push_back(document_.location_of(node->loc));
        errors_.push_back(std::move(error));
    }

    void finish_without_data() {
        finished_ = true;
        done_(ExecutionResult{std::nullopt, std::move(errors_)});
    }

    void finish() {
        if (finished_) return;
        finished_ = true;
        done_(ExecutionResult{std::move(data_), std::move(errors_)});
    }

    ExecutionRequest request_;
    const Schema& schema_;
    const ast::Document& document_;
    std::function<void(ExecutionResult)> done_;
    Strand strand_;
    FragmentIndex fragments_;
    ValueObject variables_;
    const Type* root_type_ = nullptr;
    PlannedFields root_fields_;
    std::vector<std::pair<const FieldGroup*, const Field*>> serial_fields_;
    std::map<std::pair<const Type*, const FieldGroup*>, PlannedFields> subfield_cache_;
    std::map<std::pair<const ast::Selection*, const Field*>, ValueObject> argument_cache_;
    const FieldGroup* last_plan_group_ = nullptr;
    const Type* last_plan_type_ = nullptr;
    const PlannedFields* last_plan_ = nullptr;
    Value data_;
    std::vector<GraphQLError> errors_;
    bool finished_ = false;
};

}  // namespace detail

Value ExecutionResult::to_value() const {
    ValueObject object;
    if (data) object.emplace_back("data", *data);
    if (!errors.empty()) {
        ValueList list;
        for (const auto& error : errors) list.push_back(error_to_value(error));
        object.emplace_back("errors", Value(std::move(list)));
    }
    return Value(std::move(object));
}

std::string ExecutionResult::to_json() const {
    std::string out;
    out.reserve(4096);
    out += '{';
    if (data) {
        out += "\"data\":";
        write_json(*data, out);
    }
    if (!errors.empty()) {
        if (data) out += ',';
        out += "\"errors\":[";
        for (std::size_t i = 0; i < errors.size(); ++i) {
            if (i) out += ',';
            write_json(error_to_value(errors[i]), out);
        }
        out += ']';
    }
    out += '}';
    return out;
}

void execute_async(ExecutionRequest request, std::function<void(ExecutionResult)> done) {
    auto execution = std::make_shared<detail::Execution>(std::move(request), std::move(done));
    execution->strand().run([execution] { execution->start(); });
}

ExecutionResult execute(ExecutionRequest request) {
    std::mutex mutex;
    std::condition_variable finished;
    std::optional<ExecutionResult> result;
    execute_async(std::move(request), [&](ExecutionResult outcome) {
        std::lock_guard lock(mutex);
        result = std::move(outcome);
        finished.notify_all();
    });
    std::unique_lock lock(mutex);
    finished.wait(lock, [&] { return result.has_value(); });
    return std::move(*result);
}

}  // namespace orderstream::graphql
