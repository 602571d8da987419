#include <set>

#include "rules.hpp"

namespace orderstream::graphql::detail {
namespace {

// Spec 5.5.1.4: every fragment is used by some operation, directly or through other fragments.
class NoUnusedFragmentsRule : public ValidationRule {
public:
    explicit NoUnusedFragmentsRule(ValidationContext& context) : context_(context) {}
    void enter_operation(const ast::OperationDefinition& operation) override { operations_.push_back(&operation); }
    void enter_fragment_definition(const ast::FragmentDefinition& fragment) override { fragments_.push_back(&fragment); }
    void leave_document(const ast::Document&) override {
        std::set<std::string_view> used;
        for (const auto* operation : operations_) {
            for (const auto* fragment : context_.recursively_referenced_fragments(*operation)) {
                used.insert(fragment->name.value);
            }
        }
        for (const auto* fragment : fragments_) {
            if (!used.count(fragment->name.value)) {
                context_.report("Fragment \"" + std::string(fragment->name.value) + "\" is never used.", {fragment->loc});
            }
        }
    }

private:
    ValidationContext& context_;
    std::vector<const ast::OperationDefinition*> operations_;
    std::vector<const ast::FragmentDefinition*> fragments_;
};

}  // namespace

RulePtr make_no_unused_fragments_rule(ValidationContext& context) {
    return std::make_unique<NoUnusedFragmentsRule>(context);
}

}  // namespace orderstream::graphql::detail
