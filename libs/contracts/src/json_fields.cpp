#include "json_fields.hpp"

#include <charconv>

#include "orderstream/core/text.hpp"
#include "orderstream/events/envelope.hpp"

namespace orderstream::contracts::detail {

FieldReader::FieldReader(std::string_view type, std::string_view data_json) : type_(type), prefix_("data.") {
    document_.Parse(data_json.data(), data_json.size());
    if (document_.HasParseError() || !document_.IsObject()) {
        Fail("data must be a JSON object");
        return;
    }
    object_ = &document_;
}

FieldReader::FieldReader(std::string_view type, const rapidjson::Value& object, std::string prefix)
    : type_(type), prefix_(std::move(prefix)) {
    if (!object.IsObject()) {
        error_ = Error::InvalidArgument(type_ + ": " + prefix_.substr(0, prefix_.size() - 1) + " must be an object");
        return;
    }
    object_ = &object;
}

void FieldReader::Fail(const std::string& message) {
    if (!error_) error_ = Error::InvalidArgument(type_ + ": " + message);
}

const rapidjson::Value* FieldReader::Member(const char* name) {
    if (object_ == nullptr) return nullptr;
    auto it = object_->FindMember(name);
    if (it == object_->MemberEnd() || it->value.IsNull()) return nullptr;
    return &it->value;
}

std::string FieldReader::String(const char* name, std::size_t max_bytes) {
    const auto* value = Member(name);
    if (value == nullptr || !value->IsString() || value->GetStringLength() == 0 ||
        value->GetStringLength() > max_bytes || !text::Utf8Length({value->GetString(), value->GetStringLength()})) {
        Fail(prefix_ + name + " must be a non-empty string of at most " + std::to_string(max_bytes) + " bytes");
        return {};
    }
    return {value->GetString(), value->GetStringLength()};
}

std::string FieldReader::TextOrInteger(const char* name, std::size_t max_bytes) {
    const auto* value = Member(name);
    if (value != nullptr && value->IsInt64()) return std::to_string(value->GetInt64());
    return String(name, max_bytes);
}

std::string FieldReader::OptionalString(const char* name, std::string fallback, std::size_t max_bytes) {
    const auto* value = Member(name);
    if (value == nullptr) return fallback;
    if (!value->IsString() || value->GetStringLength() > max_bytes ||
        !text::Utf8Length({value->GetString(), value->GetStringLength()})) {
        Fail(prefix_ + name + " must be a string of at most " + std::to_string(max_bytes) + " bytes");
        return fallback;
    }
    return {value->GetString(), value->GetStringLength()};
}

std::optional<std::uint64_t> FieldReader::OptionalId(const char* name) {
    const auto* value = Member(name);
    if (value == nullptr) return std::nullopt;
    std::uint64_t id = 0;
    if (value->IsUint64()) {
        id = value->GetUint64();
    } else if (value->IsString()) {
        std::string_view text(value->GetString(), value->GetStringLength());
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
        if (ec != std::errc() || end != text.data() + text.size()) id = 0;
    }
    if (id == 0 || id > static_cast<std::uint64_t>(INT64_MAX)) {
        Fail(prefix_ + name + " must be a positive integer id");
        return std::nullopt;
    }
    return id;
}

std::uint64_t FieldReader::Id(const char* name) {
    if (Member(name) == nullptr) {
        Fail(prefix_ + name + " is required");
        return 0;
    }
    return OptionalId(name).value_or(0);
}

std::optional<std::int64_t> FieldReader::OptionalInteger(const char* name) {
    const auto* value = Member(name);
    if (value == nullptr) return std::nullopt;
    if (!value->IsInt64()) {
        Fail(prefix_ + name + " must be an integer");
        return std::nullopt;
    }
    return value->GetInt64();
}

std::optional<double> FieldReader::OptionalNumber(const char* name) {
    const auto* value = Member(name);
    if (value == nullptr) return std::nullopt;
    if (!value->IsNumber()) {
        Fail(prefix_ + name + " must be a number");
        return std::nullopt;
    }
    return value->GetDouble();
}

std::int64_t FieldReader::Amount(const char* name) {
    const auto* value = Member(name);
    if (value == nullptr || !value->IsInt64() || value->GetInt64() < 0) {
        Fail(prefix_ + name + " must be a non-negative integer of minor units");
        return 0;
    }
    return value->GetInt64();
}

bool FieldReader::Bool(const char* name) {
    const auto* value = Member(name);
    if (value == nullptr || !value->IsBool()) {
        Fail(prefix_ + name + " must be true or false");
        return false;
    }
    return value->GetBool();
}

std::string FieldReader::Currency(const char* name) {
    auto code = String(name, 3);
    bool valid = code.size() == 3;
    for (char c : code) valid = valid && c >= 'A' && c <= 'Z';
    if (!valid) Fail(prefix_ + name + " must be a three-letter ISO 4217 code");
    return code;
}

std::string FieldReader::Timestamp(const char* name) {
    auto at = String(name, 64);
    if (ok() && !events::IsRfc3339(at)) Fail(prefix_ + name + " must be an RFC 3339 date-time");
    return at;
}

const rapidjson::Value* FieldReader::Array(const char* name, std::size_t max_items) {
    const auto* value = Member(name);
    if (value == nullptr || !value->IsArray() || value->Size() > max_items) {
        Fail(prefix_ + name + " must be an array of at most " + std::to_string(max_items) + " items");
        return nullptr;
    }
    return value;
}

FieldWriter& FieldWriter::String(const char* name, std::string_view value) {
    writer_.Key(name);
    writer_.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
    return *this;
}

FieldWriter& FieldWriter::Id(const char* name, std::uint64_t value) {
    writer_.Key(name);
    writer_.Uint64(value);
    return *this;
}

FieldWriter& FieldWriter::Integer(const char* name, std::int64_t value) {
    writer_.Key(name);
    writer_.Int64(value);
    return *this;
}

FieldWriter& FieldWriter::Double(const char* name, double value) {
    writer_.Key(name);
    writer_.Double(value);
    return *this;
}

FieldWriter& FieldWriter::Bool(const char* name, bool value) {
    writer_.Key(name);
    writer_.Bool(value);
    return *this;
}

std::string FieldWriter::Finish() {
    writer_.EndObject();
    return {buffer_.GetString(), buffer_.GetSize()};
}

}  // namespace orderstream::contracts::detail
