#include "orderstream/core/time_format.hpp"

#include <cstdio>
#include <ctime>

namespace orderstream::time_format {

std::string Rfc3339Utc(std::chrono::system_clock::time_point time, int fraction_digits) {
    auto seconds = std::chrono::time_point_cast<std::chrono::seconds>(time);
    auto micros = std::chrono::duration_cast<std::chrono::microseconds>(time - seconds).count();
    std::time_t t = std::chrono::system_clock::to_time_t(seconds);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buffer[64];
    if (fraction_digits == 3) {
        std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                      tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(micros / 1000));
    } else {
        std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                      tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(micros));
    }
    return buffer;
}

}  // namespace orderstream::time_format
