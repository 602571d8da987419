#include "orderstream/graphql/error/graphql_error.hpp"

namespace orderstream::graphql {

Value error_to_value(const GraphQLError& error) {
    ValueObject object;
    object.emplace_back("message", Value(error.message));
    if (!error.locations.empty()) {
        ValueList locations;
        for (const auto& location : error.locations) {
            locations.emplace_back(ValueObject{{"line", Value(static_cast<std::int64_t>(location.line))},
                                               {"column", Value(static_cast<std::int64_t>(location.column))}});
        }
        object.emplace_back("locations", Value(std::move(locations)));
    }
    if (!error.path.empty()) {
        ValueList path;
        for (const auto& segment : error.path) {
            if (const auto* key = std::get_if<std::string>(&segment)) {
                path.emplace_back(*key);
            } else {
                path.emplace_back(std::get<std::int64_t>(segment));
            }
        }
        object.emplace_back("path", Value(std::move(path)));
    }
    if (error.extensions) object.emplace_back("extensions", *error.extensions);
    return Value(std::move(object));
}

}  // namespace orderstream::graphql
