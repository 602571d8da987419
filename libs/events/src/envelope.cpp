#include "orderstream/events/envelope.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "orderstream/core/time_format.hpp"
#include "orderstream/core/uuid.hpp"

namespace orderstream::events {
namespace {

bool IsDigits(std::string_view s, std::size_t from, std::size_t count) {
    if (from + count > s.size()) return false;
    for (std::size_t i = from; i < from + count; ++i) {
        if (s[i] < '0' || s[i] > '9') return false;
    }
    return true;
}

int Number(std::string_view s, std::size_t from, std::size_t count) {
    int value = 0;
    for (std::size_t i = from; i < from + count; ++i) value = value * 10 + (s[i] - '0');
    return value;
}

}  // namespace

Envelope Envelope::Make(std::string type, std::string data_json) {
    return Envelope{uuid::NewV7(), std::move(type), NowRfc3339(), std::move(data_json)};
}

std::string NowRfc3339() { return time_format::Rfc3339Utc(std::chrono::system_clock::now(), 3); }

bool IsRfc3339(std::string_view s) {
    // date-time = full-date "T" partial-time time-offset (RFC 3339 section 5.6)
    if (!IsDigits(s, 0, 4) || s.size() < 20 || s[4] != '-' || !IsDigits(s, 5, 2) || s[7] != '-' ||
        !IsDigits(s, 8, 2) || (s[10] != 'T' && s[10] != 't') || !IsDigits(s, 11, 2) || s[13] != ':' ||
        !IsDigits(s, 14, 2) || s[16] != ':' || !IsDigits(s, 17, 2)) {
        return false;
    }
    int month = Number(s, 5, 2), day = Number(s, 8, 2), hour = Number(s, 11, 2), minute = Number(s, 14, 2),
        second = Number(s, 17, 2);
    if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return false;
    std::size_t i = 19;
    if (i < s.size() && s[i] == '.') {
        std::size_t digits = 0;
        for (++i; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) ++digits;
        if (digits == 0) return false;
    }
    if (i == s.size()) return false;
    if (s[i] == 'Z' || s[i] == 'z') return i + 1 == s.size();
    if (s[i] != '+' && s[i] != '-') return false;
    return i + 6 == s.size() && IsDigits(s, i + 1, 2) && s[i + 3] == ':' && IsDigits(s, i + 4, 2) &&
           Number(s, i + 1, 2) <= 23 && Number(s, i + 4, 2) <= 59;
}

bool IsJsonObject(std::string_view json) {
    rapidjson::Document doc;
    doc.Parse(json.data(), json.size());
    return !doc.HasParseError() && doc.IsObject();
}

std::string Serialize(const Envelope& envelope) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    writer.StartObject();
    writer.Key("id");
    writer.String(envelope.id.data(), static_cast<rapidjson::SizeType>(envelope.id.size()));
    writer.Key("type");
    writer.String(envelope.type.data(), static_cast<rapidjson::SizeType>(envelope.type.size()));
    writer.Key("occurred_at");
    writer.String(envelope.occurred_at.data(), static_cast<rapidjson::SizeType>(envelope.occurred_at.size()));
    writer.Key("data");
    const std::string& data = envelope.data.empty() ? std::string("{}") : envelope.data;
    writer.RawValue(data.data(), data.size(), rapidjson::kObjectType);
    writer.EndObject();
    return std::string(buffer.GetString(), buffer.GetSize());
}

Result<Envelope> ParseEnvelope(std::string_view json) {
    rapidjson::Document doc;
    doc.Parse(json.data(), json.size());
    if (doc.HasParseError()) {
        return Error::InvalidArgument(std::string("envelope is not JSON: ") +
                                      rapidjson::GetParseError_En(doc.GetParseError()) + " at offset " +
                                      std::to_string(doc.GetErrorOffset()));
    }
    if (!doc.IsObject()) return Error::InvalidArgument("envelope is not a JSON object");

    auto string_member = [&](const char* name) -> const rapidjson::Value* {
        auto it = doc.FindMember(name);
        if (it == doc.MemberEnd() || !it->value.IsString()) return nullptr;
        return &it->value;
    };
    Envelope envelope;
    const auto* id = string_member("id");
    if (id == nullptr) return Error::InvalidArgument("envelope: \"id\" is missing or not a string");
    envelope.id.assign(id->GetString(), id->GetStringLength());
    if (!uuid::IsValid(envelope.id)) return Error::InvalidArgument("envelope: \"id\" is not a UUID");

    const auto* type = string_member("type");
    if (type == nullptr || type->GetStringLength() == 0) {
        return Error::InvalidArgument("envelope: \"type\" is missing or empty");
    }
    envelope.type.assign(type->GetString(), type->GetStringLength());

    const auto* occurred_at = string_member("occurred_at");
    if (occurred_at == nullptr) return Error::InvalidArgument("envelope: \"occurred_at\" is missing or not a string");
    envelope.occurred_at.assign(occurred_at->GetString(), occurred_at->GetStringLength());
    if (!IsRfc3339(envelope.occurred_at)) return Error::InvalidArgument("envelope: \"occurred_at\" is not RFC 3339");

    auto data = doc.FindMember("data");
    if (data == doc.MemberEnd() || !data->value.IsObject()) {
        return Error::InvalidArgument("envelope: \"data\" is missing or not an object");
    }
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    data->value.Accept(writer);
    envelope.data.assign(buffer.GetString(), buffer.GetSize());
    return envelope;
}

}  // namespace orderstream::events
