#include "orderstream/core/uuid.hpp"

#include <array>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <random>

namespace orderstream::uuid {

std::string NewV7() {
    thread_local std::mt19937_64 engine{std::random_device{}() ^
                                        (static_cast<std::uint64_t>(std::random_device{}()) << 32)};
    auto millis = static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count());
    std::uint64_t random_a = engine();
    std::uint64_t random_b = engine();

    std::array<unsigned char, 16> bytes{};
    for (int i = 0; i < 6; ++i) bytes[i] = static_cast<unsigned char>(millis >> (40 - 8 * i));
    bytes[6] = static_cast<unsigned char>(0x70 | (random_a & 0x0F));  // version 7
    bytes[7] = static_cast<unsigned char>(random_a >> 8);
    bytes[8] = static_cast<unsigned char>(0x80 | ((random_a >> 16) & 0x3F));  // RFC variant
    for (int i = 9; i < 16; ++i) bytes[i] = static_cast<unsigned char>(random_b >> (8 * (i - 9)));

    static constexpr char kHex[] = "0123456789abcdef";
    std::string text;
    text.reserve(36);
    for (int i = 0; i < 16; ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) text += '-';
        text += kHex[bytes[i] >> 4];
        text += kHex[bytes[i] & 0x0F];
    }
    return text;
}

bool IsValid(const std::string& text) {
    if (text.size() != 36) return false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (c != '-') return false;
        } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
            return false;
        }
    }
    return true;
}

}  // namespace orderstream::uuid
