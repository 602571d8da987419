#include "orderstream/core/config.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>

namespace orderstream::config {
namespace {

[[noreturn]] void Fail(const std::string& name, const std::string& why) { throw ConfigError(name + ": " + why); }

std::string Trim(const std::string& s) {
    auto begin = std::find_if_not(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c); });
    auto end = std::find_if_not(s.rbegin(), s.rend(), [](unsigned char c) { return std::isspace(c); }).base();
    return begin < end ? std::string(begin, end) : std::string();
}

}  // namespace

bool IsAddress(const std::string& value) {
    auto colon = value.rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == value.size()) return false;
    int port = -1;
    const char* first = value.data() + colon + 1;
    const char* last = value.data() + value.size();
    auto [ptr, ec] = std::from_chars(first, last, port);
    return ec == std::errc() && ptr == last && port >= 0 && port <= 65535;
}

std::optional<std::string> Env::Get(const std::string& name) {
    const char* raw = std::getenv(name.c_str());
    if (raw == nullptr) return std::nullopt;
    return std::string(raw);
}

std::string Env::Required(const std::string& name) {
    auto value = Get(name);
    if (!value || Trim(*value).empty()) Fail(name, "is required but not set");
    return *value;
}

std::string Env::String(const std::string& name, const std::string& fallback) {
    auto value = Get(name);
    return value && !value->empty() ? *value : fallback;
}

std::int64_t Env::Int(const std::string& name, std::int64_t fallback, std::int64_t min, std::int64_t max) {
    auto value = Get(name);
    if (!value || value->empty()) return fallback;
    std::int64_t parsed = 0;
    const char* last = value->data() + value->size();
    auto [ptr, ec] = std::from_chars(value->data(), last, parsed);
    if (ec != std::errc() || ptr != last) Fail(name, "expected an integer, got '" + *value + "'");
    if (parsed < min || parsed > max) {
        Fail(name, "must be between " + std::to_string(min) + " and " + std::to_string(max) + ", got " + *value);
    }
    return parsed;
}

bool Env::Bool(const std::string& name, bool fallback) {
    auto value = Get(name);
    if (!value || value->empty()) return fallback;
    std::string v = *value;
    std::transform(v.begin(), v.end(), v.begin(), [](unsigned char c) { return std::tolower(c); });
    if (v == "1" || v == "true" || v == "yes" || v == "on") return true;
    if (v == "0" || v == "false" || v == "no" || v == "off") return false;
    Fail(name, "expected true or false, got '" + *value + "'");
}

std::string Env::Address(const std::string& name, const std::string& fallback) {
    auto value = String(name, fallback);
    if (!IsAddress(value)) Fail(name, "expected host:port, got '" + value + "'");
    return value;
}

std::string Env::DatabaseUrl(const std::string& name, const std::string& fallback) {
    auto value = String(name, fallback);
    bool url = value.rfind("postgresql://", 0) == 0 || value.rfind("postgres://", 0) == 0;
    bool keywords = value.find('=') != std::string::npos;
    if (!url && !keywords) Fail(name, "expected a postgresql:// URL, got '" + value + "'");
    return value;
}

std::vector<std::string> Env::List(const std::string& name) {
    std::vector<std::string> items;
    auto value = Get(name);
    if (!value) return items;
    std::size_t start = 0;
    while (start <= value->size()) {
        auto comma = value->find(',', start);
        if (comma == std::string::npos) comma = value->size();
        auto item = Trim(value->substr(start, comma - start));
        if (!item.empty()) items.push_back(std::move(item));
        start = comma + 1;
    }
    return items;
}

}  // namespace orderstream::config
