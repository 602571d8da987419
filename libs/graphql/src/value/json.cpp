#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <algorithm>
#include <vector>

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include "orderstream/graphql/value.hpp"

namespace orderstream::graphql {

std::string format_number(double value) {
    if (!std::isfinite(value)) return "null";
    if (value == 0) return "0";
    // Shortest round-trip digits, then laid out with ECMAScript's Number::toString rules.
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::scientific);
    const std::string_view scientific(buffer, static_cast<std::size_t>(result.ptr - buffer));
    const bool negative = scientific.front() == '-';
    const std::size_t e_position = scientific.find('e');
    std::string digits;
    for (char c : scientific.substr(negative ? 1 : 0, e_position - (negative ? 1 : 0))) {
        if (c != '.') digits += c;
    }
    while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
    const int exponent = std::atoi(std::string(scientific.substr(e_position + 1)).c_str());
    const int k = static_cast<int>(digits.size());
    const int n = exponent + 1;  // value = 0.digits × 10^n
    std::string out = negative ? "-" : "";
    if (k <= n && n <= 21) {
        out += digits;
        out.append(static_cast<std::size_t>(n - k), '0');
    } else if (0 < n && n <= 21) {
        out += digits.substr(0, static_cast<std::size_t>(n));
        out += '.';
        out += digits.substr(static_cast<std::size_t>(n));
    } else if (-6 < n && n <= 0) {
        out += "0.";
        out.append(static_cast<std::size_t>(-n), '0');
        out += digits;
    } else {
        out += digits[0];
        if (k > 1) {
            out += '.';
            out += digits.substr(1);
        }
        out += 'e';
        out += n - 1 >= 0 ? "+" : "-";
        out += std::to_string(std::abs(n - 1));
    }
    return out;
}

namespace {

// An append-only byte buffer: JSON output is written with plain stores after one capacity check per
// value, which is several times cheaper than appending piecewise to a std::string.
class JsonBuffer {
public:
    void reserve(std::size_t more) {
        if (size_ + more <= capacity_) return;
        const std::size_t capacity = std::max(capacity_ * 2, size_ + more + 256);
        std::unique_ptr<char[]> grown(new char[capacity]);
        if (size_) std::memcpy(grown.get(), data_.get(), size_);
        data_ = std::move(grown);
        capacity_ = capacity;
    }
    char* cursor() { return data_.get() + size_; }
    void advance_to(char* end) { size_ = static_cast<std::size_t>(end - data_.get()); }
    void put(char c) {
        reserve(1);
        data_[size_++] = c;
    }
    void put(std::string_view text) {
        reserve(text.size());
        std::memcpy(data_.get() + size_, text.data(), text.size());
        size_ += text.size();
    }
    void append_to(std::string& out) const { out.append(data_.get(), size_); }

private:
    std::unique_ptr<char[]> data_;
    std::size_t size_ = 0;
    std::size_t capacity_ = 0;
};

// Bytes JSON.stringify escapes: control characters, the quote and the backslash.
constexpr auto kNeedsEscape = [] {
    std::array<bool, 256> table{};
    for (int c = 0; c < 0x20; ++c) table[c] = true;
    table['"'] = true;
    table['\\'] = true;
    return table;
}();

void write_string(std::string_view text, JsonBuffer& out) {
    out.reserve(text.size() * 6 + 2);  // worst case: every byte becomes \u00XX
    char* p = out.cursor();
    *p++ = '"';
    static constexpr char kHex[] = "0123456789abcdef";
    const char* run = text.data();
    const char* const end = text.data() + text.size();
    for (const char* at = run; at != end; ++at) {
        const auto c = static_cast<unsigned char>(*at);
        if (!kNeedsEscape[c]) continue;
        std::memcpy(p, run, static_cast<std::size_t>(at - run));
        p += at - run;
        run = at + 1;
        *p++ = '\\';
        switch (c) {
            case '"': *p++ = '"'; break;
            case '\\': *p++ = '\\'; break;
            case '\b': *p++ = 'b'; break;
            case '\f': *p++ = 'f'; break;
            case '\n': *p++ = 'n'; break;
            case '\r': *p++ = 'r'; break;
            case '\t': *p++ = 't'; break;
            default:
                *p++ = 'u';
                *p++ = '0';
                *p++ = '0';
                *p++ = kHex[c >> 4];
                *p++ = kHex[c & 0xF];
        }
    }
    std::memcpy(p, run, static_cast<std::size_t>(end - run));
    p += end - run;
    *p++ = '"';
    out.advance_to(p);
}

void write_value(const Value& value, JsonBuffer& out) {
    switch (value.kind()) {
        case Value::Kind::Null:
        case Value::Kind::Host: out.put("null"); break;
        case Value::Kind::Boolean: out.put(value.as_bool() ? std::string_view("true") : std::string_view("false")); break;
        case Value::Kind::Int: {
            out.reserve(24);
            char* p = out.cursor();
            out.advance_to(std::to_chars(p, p + 24, value.as_int()).ptr);
            break;
        }
        case Value::Kind::Float: out.put(format_number(value.as_float())); break;
        case Value::Kind::String: write_string(value.as_string(), out); break;
        case Value::Kind::List: {
            out.put('[');
            bool first = true;
            for (const auto& item : value.as_list()) {
                if (!first) out.put(',');
                first = false;
                write_value(item, out);
            }
            out.put(']');
            break;
        }
        case Value::Kind::Object: {
            out.put('{');
            bool first = true;
            for (const auto& [key, member] : value.as_object()) {
                if (!first) out.put(',');
                first = false;
                write_string(key, out);
                out.put(':');
                write_value(member, out);
            }
            out.put('}');
            break;
        }
    }
}

constexpr std::size_t kMaxJsonDepth = 256;

// True for well-formed UTF-8 without surrogate code points: what a "\udc00" escape with no
// high surrogate before it decodes to, which no later consumer (protobuf, PostgreSQL) accepts.
bool valid_utf8(const char* text, std::size_t size) {
    std::size_t i = 0;
    while (i < size) {
        auto lead = static_cast<unsigned char>(text[i]);
        std::size_t extra = lead < 0x80 ? 0 : lead >= 0xC2 && lead <= 0xDF ? 1 : lead >= 0xE0 && lead <= 0xEF ? 2
                                          : lead >= 0xF0 && lead <= 0xF4 ? 3 : 4;
        if (extra == 4 || extra > size - i - 1) return false;
        char32_t code = extra == 0 ? lead : lead & (0x7F >> (extra + 1));
        for (std::size_t k = 1; k <= extra; ++k) {
            auto next = static_cast<unsigned char>(text[i + k]);
            if ((next & 0xC0) != 0x80) return false;
            code = (code << 6) | (next & 0x3F);
        }
        bool overlong = (extra == 2 && code < 0x800) || (extra == 3 && code < 0x10000);
        if (overlong || (code >= 0xD800 && code <= 0xDFFF) || code > 0x10FFFF) return false;
        i += extra + 1;
    }
    return true;
}

// What makes a parsed document unacceptable, or empty: nesting beyond kMaxJsonDepth, a string
// (key or value) that is not valid UTF-8, an object that names a key twice (which of the two
// would count is a guess a client must not be able to exploit). Iterative, so the check itself
// cannot overflow the stack.
std::string json_problem(const rapidjson::Value& root) {
    std::vector<std::pair<const rapidjson::Value*, std::size_t>> pending{{&root, 1}};
    std::vector<std::string_view> keys;
    while (!pending.empty()) {
        auto [node, depth] = pending.back();
        pending.pop_back();
        if (depth > kMaxJsonDepth) return "JSON nesting exceeds " + std::to_string(kMaxJsonDepth) + " levels";
        if (node->IsString() && !valid_utf8(node->GetString(), node->GetStringLength())) {
            return "a string is not valid Unicode (an unpaired surrogate such as \\udc00?)";
        }
        if (node->IsArray()) {
            for (const auto& item : node->GetArray()) pending.emplace_back(&item, depth + 1);
        } else if (node->IsObject()) {
            keys.clear();
            for (const auto& member : node->GetObject()) {
                std::string_view key(member.name.GetString(), member.name.GetStringLength());
                if (!valid_utf8(key.data(), key.size())) {
                    return "an object key is not valid Unicode (an unpaired surrogate such as \\udc00?)";
                }
                keys.push_back(key);
                pending.emplace_back(&member.value, depth + 1);
            }
            std::sort(keys.begin(), keys.end());
            if (auto twice = std::adjacent_find(keys.begin(), keys.end()); twice != keys.end()) {
                return "the key \"" + std::string(twice->substr(0, 64)) + "\" appears twice in one object";
            }
        }
    }
    return {};
}

Value from_rapidjson(const rapidjson::Value& json) {
    switch (json.GetType()) {
        case rapidjson::kNullType: return Value();
        case rapidjson::kFalseType: return Value(false);
        case rapidjson::kTrueType: return Value(true);
        case rapidjson::kStringType: return Value(std::string(json.GetString(), json.GetStringLength()));
        case rapidjson::kNumberType:
            if (json.IsInt64()) return Value(static_cast<std::int64_t>(json.GetInt64()));
            return Value(json.GetDouble());
        case rapidjson::kArrayType: {
            ValueList list;
            list.reserve(json.Size());
            for (const auto& item : json.GetArray()) list.push_back(from_rapidjson(item));
            return Value(std::move(list));
        }
        case rapidjson::kObjectType: {
            Value object{ValueObject{}};
            for (const auto& member : json.GetObject()) {
                object.set(std::string(member.name.GetString(), member.name.GetStringLength()),
                           from_rapidjson(member.value));
            }
            return object;
        }
    }
    return Value();
}

}  // namespace

void write_json(const Value& value, std::string& out) {
    JsonBuffer buffer;
    write_value(value, buffer);
    buffer.append_to(out);
}

std::string to_json(const Value& value) {
    std::string out;
    out.reserve(256);
    write_json(value, out);
    return out;
}

bool parse_json(std::string_view text, Value& out, std::string& error) {
    rapidjson::Document document;
    // Iterative parsing keeps deeply nested hostile input from overflowing the stack.
    document.Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag>(text.data(), text.size());
    if (document.HasParseError()) {
        error = std::string(rapidjson::GetParseError_En(document.GetParseError())) + " at offset " +
                std::to_string(document.GetErrorOffset());
        return false;
    }
    if (auto problem = json_problem(document); !problem.empty()) {
        error = std::move(problem);
        return false;
    }
    out = from_rapidjson(document);
    return true;
}

}  // namespace orderstream::graphql
