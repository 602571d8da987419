#include "orderstream/graphql/value.hpp"

namespace orderstream::graphql {

const Value* Value::find(std::string_view key) const {
    if (!is_object()) return nullptr;
    for (const auto& [name, value] : as_object()) {
        if (name == key) return &value;
    }
    return nullptr;
}

void Value::set(std::string key, Value value) {
    auto& object = as_object();
    for (auto& [name, existing] : object) {
        if (name == key) {
            existing = std::move(value);
            return;
        }
    }
    object.emplace_back(std::move(key), std::move(value));
}

bool operator==(const Value& a, const Value& b) {
    if (a.is_number() && b.is_number()) return a.as_number() == b.as_number();
    return a.data_ == b.data_;
}

}  // namespace orderstream::graphql
