#include <cctype>

#include "orderstream/graphql/type/schema.hpp"
#include "scalars.hpp"

namespace orderstream::graphql {

namespace {

bool read_digits(std::string_view text, std::size_t& position, std::size_t count, int& value) {
    if (position + count > text.size()) return false;
    value = 0;
    for (std::size_t i = 0; i < count; ++i) {
        const char c = text[position + i];
        if (c < '0' || c > '9') return false;
        value = value * 10 + (c - '0');
    }
    position += count;
    return true;
}

bool expect(std::string_view text, std::size_t& position, char c) {
    if (position >= text.size() || text[position] != c) return false;
    ++position;
    return true;
}

int days_in_month(int year, int month) {
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : kDays[month - 1];
}

}  // namespace

// RFC 3339 section 5.6 date-time: full-date "T" full-time, with fractional seconds and a zone offset.
bool is_rfc3339_date_time(std::string_view text) {
    std::size_t p = 0;
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    if (!read_digits(text, p, 4, year) || !expect(text, p, '-') || !read_digits(text, p, 2, month) ||
        !expect(text, p, '-') || !read_digits(text, p, 2, day)) {
        return false;
    }
    if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month)) return false;
    if (p >= text.size() || (text[p] != 'T' && text[p] != 't')) return false;
    ++p;
    if (!read_digits(text, p, 2, hour) || !expect(text, p, ':') || !read_digits(text, p, 2, minute) ||
        !expect(text, p, ':') || !read_digits(text, p, 2, second)) {
        return false;
    }
    if (hour > 23 || minute > 59 || second > 60) return false;
    if (p < text.size() && text[p] == '.') {
        ++p;
        const std::size_t digits_start = p;
        while (p < text.size() && std::isdigit(static_cast<unsigned char>(text[p]))) ++p;
        if (p == digits_start) return false;
    }
    if (p < text.size() && (text[p] == 'Z' || text[p] == 'z')) return p + 1 == text.size();
    int offset_hour = 0, offset_minute = 0;
    if (p >= text.size() || (text[p] != '+' && text[p] != '-')) return false;
    ++p;
    if (!read_digits(text, p, 2, offset_hour) || !expect(text, p, ':') || !read_digits(text, p, 2, offset_minute)) {
        return false;
    }
    return offset_hour <= 23 && offset_minute <= 59 && p == text.size();
}

ScalarCoercion rfc3339_time_coercion() {
    ScalarCoercion coercion;
    coercion.serialize = [](const Value& value, Value& out, std::string& error) {
        if (value.is_string() && is_rfc3339_date_time(value.as_string())) {
            out = value;
            return true;
        }
        error = "Time cannot represent value: " + detail::inspect(value);
        return false;
    };
    coercion.parse_value = [](const Value& value, Value& out, std::string& error) {
        if (value.is_string() && is_rfc3339_date_time(value.as_string())) {
            out = value;
            return true;
        }
        error = "Time cannot represent value: " + detail::inspect(value) + " (expected an RFC 3339 date-time)";
        return false;
    };
    coercion.parse_literal = [](const ast::ValueNode& literal, Value& out, std::string& error) {
        if (literal.kind == ast::ValueKind::String && is_rfc3339_date_time(literal.string)) {
            out = Value(literal.string);
            return true;
        }
        error = "Time cannot represent a value that is not an RFC 3339 date-time string";
        return false;
    };
    return coercion;
}

}  // namespace orderstream::graphql
