#include "orderstream/core/trace_context.hpp"

#include "orderstream/core/log.hpp"

namespace orderstream::trace {
namespace {

bool IsLowerHex(std::string_view text, std::size_t length) {
    if (text.size() != length) return false;
    bool nonzero = false;
    for (char c : text) {
        bool digit = c >= '0' && c <= '9';
        bool letter = c >= 'a' && c <= 'f';
        if (!digit && !letter) return false;
        nonzero = nonzero || c != '0';
    }
    return nonzero;  // all-zero ids are invalid in W3C Trace Context
}

}  // namespace

bool IsTraceId(std::string_view text) { return IsLowerHex(text, 32); }

std::string CurrentTraceId() {
    const auto& request_id = log::CurrentRequestId();
    if (IsTraceId(request_id)) return request_id;
    return log::NewRequestId();
}

std::string FormatTraceparent(std::string_view trace_id, std::string_view parent_id) {
    std::string header = "00-";
    header.append(trace_id);
    header += '-';
    header.append(parent_id);
    header += "-01";
    return header;
}

std::optional<std::string> ParseTraceparent(std::string_view header) {
    // version "-" trace-id "-" parent-id "-" trace-flags; future versions may append fields.
    if (header.size() < 55 || header[2] != '-' || header[35] != '-' || header[52] != '-') return std::nullopt;
    auto version = header.substr(0, 2);
    if (version == "ff" || !(IsLowerHex(version, 2) || version == "00")) return std::nullopt;
    if (version == "00" && header.size() != 55) return std::nullopt;
    auto trace_id = header.substr(3, 32);
    auto parent_id = header.substr(36, 16);
    if (!IsTraceId(trace_id) || !IsLowerHex(parent_id, 16)) return std::nullopt;
    return std::string(trace_id);
}

std::string ParentIdFromEventId(std::string_view event_id) {
    std::string hex;
    for (char c : event_id) {
        if (c == '-') continue;
        hex += (c >= 'A' && c <= 'F') ? static_cast<char>(c - 'A' + 'a') : c;
    }
    if (hex.size() >= 16) hex = hex.substr(hex.size() - 16);
    if (!IsLowerHex(hex, 16)) return "0000000000000001";
    return hex;
}

}  // namespace orderstream::trace
