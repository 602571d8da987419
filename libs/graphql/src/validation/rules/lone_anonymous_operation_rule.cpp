#include "rules.hpp"

namespace orderstream::graphql::detail {
namespace {

// Spec 5.2.2.1: an anonymous operation must be the only operation.
class LoneAnonymousOperationRule : public ValidationRule {
public:
    explicit LoneAnonymousOperationRule(ValidationContext& context) : context_(context) {}
    void enter_document(const ast::Document& document) override {
        for (const auto& definition : document.definitions) {
            if (std::holds_alternative<ast::OperationDefinition>(definition)) ++operations_;
        }
    }
    void enter_operation(const ast::OperationDefinition& operation) override {
        if (operation.name.empty() && operations_ > 1) {
            context_.report("This anonymous operation must be the only defined operation.", {operation.loc});
        }
    }

private:
    ValidationContext& context_;
    std::size_t operations_ = 0;
};

}  // namespace

RulePtr make_lone_anonymous_operation_rule(ValidationContext& context) {
    return std::make_unique<LoneAnonymousOperationRule>(context);
}

}  // namespace orderstream::graphql::detail
