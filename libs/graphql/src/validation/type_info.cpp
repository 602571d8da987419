#include "type_info.hpp"

namespace orderstream::graphql::detail {

const Field* TypeInfo::field_definition(const Type& parent, std::string_view name) const {
    if (name == "__schema" && &parent == schema_.query_type()) return &schema_.schema_meta_field();
    if (name == "__type" && &parent == schema_.query_type()) return &schema_.type_meta_field();
    if (name == "__typename" && parent.is_composite()) return &schema_.typename_meta_field();
    if (parent.kind == TypeKind::Object || parent.kind == TypeKind::Interface) return parent.field(name);
    return nullptr;
}

}  // namespace orderstream::graphql::detail
