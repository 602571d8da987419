#pragma once

#include <vector>

#include "orderstream/graphql/type/schema.hpp"

namespace orderstream::graphql::detail {

// The types in scope at the node being visited, maintained exactly as the reference's TypeInfo so
// rules see the same types (including its behaviour on invalid documents).
class TypeInfo {
public:
    explicit TypeInfo(const Schema& schema) : schema_(schema) {}

    const Schema& schema() const { return schema_; }
    const Type* type() const { return top(type_stack_); }
    const Type* parent_type() const { return top(parent_type_stack_); }
    const Type* input_type() const { return top(input_type_stack_); }
    const Type* parent_input_type() const {
        return input_type_stack_.size() >= 2 ? input_type_stack_[input_type_stack_.size() - 2] : nullptr;
    }
    const Field* field_def() const { return top(field_def_stack_); }
    bool has_default_value() const { return !default_stack_.empty() && default_stack_.back(); }
    const Directive* directive() const { return directive_; }
    const InputValue* argument() const { return argument_; }

    const Field* field_definition(const Type& parent, std::string_view name) const;

    void push_type(const Type* type) { type_stack_.push_back(type && type->is_output_type() ? type : nullptr); }
    void pop_type() { pop(type_stack_); }
    void push_parent_type() {
        const Type* type = this->type();
        const Type* named = type ? &type->named() : nullptr;
        parent_type_stack_.push_back(named && named->is_composite() ? named : nullptr);
    }
    void pop_parent_type() { pop(parent_type_stack_); }
    void push_field(const Field* field) { field_def_stack_.push_back(field); }
    void pop_field() { pop(field_def_stack_); }
    void push_input(const Type* type, bool has_default) {
        input_type_stack_.push_back(type && type->is_input_type() ? type : nullptr);
        default_stack_.push_back(has_default);
    }
    // Mirrors the reference, which pops even when the matching push was skipped.
    void pop_input() {
        pop(input_type_stack_);
        pop(default_stack_);
    }
    void set_directive(const Directive* directive) { directive_ = directive; }
    void set_argument(const InputValue* argument) { argument_ = argument; }

private:
    template <typename T>
    static T top(const std::vector<T>& stack) {
        return stack.empty() ? T{} : stack.back();
    }
    template <typename T>
    static void pop(std::vector<T>& stack) {
        if (!stack.empty()) stack.pop_back();
    }

    const Schema& schema_;
    std::vector<const Type*> type_stack_;
    std::vector<const Type*> parent_type_stack_;
    std::vector<const Type*> input_type_stack_;
    std::vector<const Field*> field_def_stack_;
    std::vector<bool> default_stack_;
    const Directive* directive_ = nullptr;
    const InputValue* argument_ = nullptr;
};

}  // namespace orderstream::graphql::detail
