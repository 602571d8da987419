#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace orderstream::graphql {

class Value;
using ValueList = std::vector<Value>;
// Objects keep insertion order: GraphQL responses list fields in the order they were requested.
using ValueObject = std::vector<std::pair<std::string, Value>>;

// A JSON-like runtime value: variables, resolver results, coerced arguments and the response.
// Enum values are carried as strings holding the enum value's name.
// An application object a resolver hands to its child resolvers without converting it (for example a gRPC
// reply, or a schema element during introspection). `tag` lets the reader check what it holds. It never
// reaches the response: leaf fields must resolve to plain values.
struct HostObject {
    std::shared_ptr<const void> object;
    std::uint32_t tag = 0;
    friend bool operator==(const HostObject& a, const HostObject& b) { return a.object == b.object && a.tag == b.tag; }
};

class Value {
public:
    enum class Kind : std::uint8_t { Null, Boolean, Int, Float, String, List, Object, Host };

    Value() = default;
    Value(std::nullptr_t) {}
    Value(bool b) : data_(b) {}
    Value(int i) : data_(static_cast<std::int64_t>(i)) {}
    Value(std::int64_t i) : data_(i) {}
    Value(double d) : data_(d) {}
    Value(const char* s) : data_(std::string(s)) {}
    Value(std::string s) : data_(std::move(s)) {}
    Value(std::string_view s) : data_(std::string(s)) {}
    Value(ValueList l) : data_(std::move(l)) {}
    Value(ValueObject o) : data_(std::move(o)) {}
    Value(HostObject h) : data_(std::move(h)) {}

    Kind kind() const { return static_cast<Kind>(data_.index()); }
    bool is_null() const { return kind() == Kind::Null; }
    bool is_bool() const { return kind() == Kind::Boolean; }
    bool is_int() const { return kind() == Kind::Int; }
    bool is_float() const { return kind() == Kind::Float; }
    bool is_number() const { return is_int() || is_float(); }
    bool is_string() const { return kind() == Kind::String; }
    bool is_list() const { return kind() == Kind::List; }
    bool is_object() const { return kind() == Kind::Object; }
    bool is_host() const { return kind() == Kind::Host; }

    bool as_bool() const { return std::get<bool>(data_); }
    std::int64_t as_int() const { return std::get<std::int64_t>(data_); }
    double as_float() const { return std::get<double>(data_); }
    // Either numeric alternative as a double.
    double as_number() const { return is_int() ? static_cast<double>(as_int()) : as_float(); }
    const std::string& as_string() const { return std::get<std::string>(data_); }
    std::string& as_string() { return std::get<std::string>(data_); }
    const ValueList& as_list() const { return std::get<ValueList>(data_); }
    ValueList& as_list() { return std::get<ValueList>(data_); }
    const ValueObject& as_object() const { return std::get<ValueObject>(data_); }
    ValueObject& as_object() { return std::get<ValueObject>(data_); }
    const HostObject& as_host() const { return std::get<HostObject>(data_); }

    // Object member lookup; nullptr when this is not an object or has no such key.
    const Value* find(std::string_view key) const;
    // Adds or replaces an object member (this must be an object).
    void set(std::string key, Value value);

    friend bool operator==(const Value& a, const Value& b);

private:
    std::variant<std::nullptr_t, bool, std::int64_t, double, std::string, ValueList, ValueObject, HostObject> data_{nullptr};
};

// Formats a double the way JavaScript's Number#toString does, so our JSON matches graphql-js byte for byte.
std::string format_number(double value);

// Serialises a value as compact JSON.
void write_json(const Value& value, std::string& out);
std::string to_json(const Value& value);
// Parses JSON text (for variables); returns false with a message on malformed input.
bool parse_json(std::string_view text, Value& out, std::string& error);

}  // namespace orderstream::graphql
