#pragma once

#include <memory>
#include <vector>

#include "validation/rule.hpp"
#include "validation/validation_context.hpp"

// One factory per rule of spec section 5, each defined in the file of the same name.
namespace orderstream::graphql::detail {

using RulePtr = std::unique_ptr<ValidationRule>;

RulePtr make_executable_definitions_rule(ValidationContext&);
RulePtr make_unique_operation_names_rule(ValidationContext&);
RulePtr make_lone_anonymous_operation_rule(ValidationContext&);
RulePtr make_single_field_subscriptions_rule(ValidationContext&);
RulePtr make_known_type_names_rule(ValidationContext&);
RulePtr make_fragments_on_composite_types_rule(ValidationContext&);
RulePtr make_variables_are_input_types_rule(ValidationContext&);
RulePtr make_scalar_leafs_rule(ValidationContext&);
RulePtr make_fields_on_correct_type_rule(ValidationContext&);
RulePtr make_unique_fragment_names_rule(ValidationContext&);
RulePtr make_known_fragment_names_rule(ValidationContext&);
RulePtr make_no_unused_fragments_rule(ValidationContext&);
RulePtr make_possible_fragment_spreads_rule(ValidationContext&);
RulePtr make_no_fragment_cycles_rule(ValidationContext&);
RulePtr make_unique_variable_names_rule(ValidationContext&);
RulePtr make_no_undefined_variables_rule(ValidationContext&);
RulePtr make_no_unused_variables_rule(ValidationContext&);
RulePtr make_known_directives_rule(ValidationContext&);
RulePtr make_unique_directives_per_location_rule(ValidationContext&);
RulePtr make_known_argument_names_rule(ValidationContext&);
RulePtr make_unique_argument_names_rule(ValidationContext&);
RulePtr make_values_of_correct_type_rule(ValidationContext&);
RulePtr make_provided_required_arguments_rule(ValidationContext&);
RulePtr make_variables_in_allowed_position_rule(ValidationContext&);
RulePtr make_overlapping_fields_can_be_merged_rule(ValidationContext&);
RulePtr make_unique_input_field_names_rule(ValidationContext&);
RulePtr make_max_introspection_depth_rule(ValidationContext&);

// Type relations shared by several rules (the reference's typeComparators).
bool do_types_overlap(const Schema& schema, const Type& a, const Type& b);
bool is_type_sub_type_of(const Schema& schema, const Type& maybe_sub, const Type& super);

}  // namespace orderstream::graphql::detail
