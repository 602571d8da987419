#include "orderstream/graphql/validation/validate.hpp"

#include "rules/rules.hpp"
#include "validation_context.hpp"
#include "walker.hpp"

namespace orderstream::graphql {

std::vector<GraphQLError> validate(const Schema& schema, const ast::Document& document, const ValidationOptions& options) {
    detail::ValidationContext context(schema, document, options.max_errors);
    // The reference's specifiedRules, in its order.
    using Factory = detail::RulePtr (*)(detail::ValidationContext&);
    static constexpr Factory kSpecifiedRules[] = {
        detail::make_executable_definitions_rule,
        detail::make_unique_operation_names_rule,
        detail::make_lone_anonymous_operation_rule,
        detail::make_single_field_subscriptions_rule,
        detail::make_known_type_names_rule,
        detail::make_fragments_on_composite_types_rule,
        detail::make_variables_are_input_types_rule,
        detail::make_scalar_leafs_rule,
        detail::make_fields_on_correct_type_rule,
        detail::make_unique_fragment_names_rule,
        detail::make_known_fragment_names_rule,
        detail::make_no_unused_fragments_rule,
        detail::make_possible_fragment_spreads_rule,
        detail::make_no_fragment_cycles_rule,
        detail::make_unique_variable_names_rule,
        detail::make_no_undefined_variables_rule,
        detail::make_no_unused_variables_rule,
        detail::make_known_directives_rule,
        detail::make_unique_directives_per_location_rule,
        detail::make_known_argument_names_rule,
        detail::make_unique_argument_names_rule,
        detail::make_values_of_correct_type_rule,
        detail::make_provided_required_arguments_rule,
        detail::make_variables_in_allowed_position_rule,
        detail::make_overlapping_fields_can_be_merged_rule,
        detail::make_unique_input_field_names_rule,
        detail::make_max_introspection_depth_rule,
    };
    std::vector<detail::RulePtr> rules;
    std::vector<detail::ValidationRule*> pointers;
    for (Factory factory : kSpecifiedRules) {
        rules.push_back(factory(context));
        pointers.push_back(rules.back().get());
    }
    detail::Walker walker(context.type_info(), std::move(pointers));
    walker.walk(document);
    return context.take_errors();
}

}  // namespace orderstream::graphql
