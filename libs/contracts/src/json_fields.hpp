#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "orderstream/core/error.hpp"

namespace orderstream::contracts::detail {

// Reads the members of one event's data object; the first problem becomes `error()`, naming
// the event type and the field ("order.created: data.total_cents must be an integer").
class FieldReader {
public:
    FieldReader(std::string_view type, std::string_view data_json);
    FieldReader(std::string_view type, const rapidjson::Value& object, std::string prefix);

    bool ok() const { return !error_; }
    Error error() const { return *error_; }

    std::string String(const char* name, std::size_t max_bytes = 1000);  // required, non-empty
    std::string TextOrInteger(const char* name, std::size_t max_bytes);  // required; an integer as its digits
    std::string OptionalString(const char* name, std::string fallback = "", std::size_t max_bytes = 10000);
    std::uint64_t Id(const char* name);  // a positive integer (or its decimal text)
    std::optional<std::uint64_t> OptionalId(const char* name);
    std::int64_t Amount(const char* name);  // an integer of minor units, not negative
    std::optional<std::int64_t> OptionalInteger(const char* name);
    std::optional<double> OptionalNumber(const char* name);
    bool Bool(const char* name);
    std::string Currency(const char* name);   // three upper-case letters
    std::string Timestamp(const char* name);  // RFC 3339
    const rapidjson::Value* Array(const char* name, std::size_t max_items);

    void Fail(const std::string& message);
    const std::string& prefix() const { return prefix_; }
    std::string_view type() const { return type_; }

private:
    const rapidjson::Value* Member(const char* name);

    std::string type_;
    std::string prefix_;
    rapidjson::Document document_;
    const rapidjson::Value* object_ = nullptr;
    std::optional<Error> error_;
};

// Builds one event's data object.
class FieldWriter {
public:
    FieldWriter() : writer_(buffer_) { writer_.StartObject(); }

    FieldWriter& String(const char* name, std::string_view value);
    FieldWriter& Id(const char* name, std::uint64_t value);
    FieldWriter& Integer(const char* name, std::int64_t value);
    FieldWriter& Double(const char* name, double value);
    FieldWriter& Bool(const char* name, bool value);
    rapidjson::Writer<rapidjson::StringBuffer>& raw() { return writer_; }

    std::string Finish();

private:
    rapidjson::StringBuffer buffer_;
    rapidjson::Writer<rapidjson::StringBuffer> writer_;
};

}  // namespace orderstream::contracts::detail
