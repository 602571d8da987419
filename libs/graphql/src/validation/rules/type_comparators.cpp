#include "rules.hpp"

namespace orderstream::graphql::detail {

bool do_types_overlap(const Schema& schema, const Type& a, const Type& b) {
    if (&a == &b) return true;
    if (a.is_abstract()) {
        if (b.is_abstract()) {
            for (const Type* possible : a.possible_types) {
                if (schema.is_sub_type(b, *possible)) return true;
            }
            return false;
        }
        return schema.is_sub_type(a, b);
    }
    if (b.is_abstract()) return schema.is_sub_type(b, a);
    return false;
}

bool is_type_sub_type_of(const Schema& schema, const Type& maybe_sub, const Type& super) {
    if (&maybe_sub == &super) return true;
    if (super.is_non_null()) {
        return maybe_sub.is_non_null() && is_type_sub_type_of(schema, *maybe_sub.of_type, *super.of_type);
    }
    if (maybe_sub.is_non_null()) return is_type_sub_type_of(schema, *maybe_sub.of_type, super);
    if (super.is_list()) return maybe_sub.is_list() && is_type_sub_type_of(schema, *maybe_sub.of_type, *super.of_type);
    if (maybe_sub.is_list()) return false;
    return super.is_abstract() && (maybe_sub.kind == TypeKind::Interface || maybe_sub.kind == TypeKind::Object) &&
           schema.is_sub_type(super, maybe_sub);
}

}  // namespace orderstream::graphql::detail
