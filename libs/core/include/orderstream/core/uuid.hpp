#pragma once

#include <string>

namespace orderstream::uuid {

// A new UUID version 7 (RFC 9562) as 36-character lowercase text: time-ordered, so ids
// generated later sort later, with 74 random bits against guessing.
std::string NewV7();

// True for 8-4-4-4-12 lowercase or uppercase hex text.
bool IsValid(const std::string& text);

}  // namespace orderstream::uuid
