#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace orderstream::config {

// A missing or malformed setting. Its message names the variable; the process prints it
// as one line and exits.
class ConfigError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Reads settings from the process environment. Every accessor validates and throws
// ConfigError naming the variable, so start-up fails fast and clearly.
class Env {
public:
    static std::optional<std::string> Get(const std::string& name);
    static std::string Required(const std::string& name);
    static std::string String(const std::string& name, const std::string& fallback);
    static std::int64_t Int(const std::string& name, std::int64_t fallback, std::int64_t min, std::int64_t max);
    static bool Bool(const std::string& name, bool fallback);
    // "host:port" with a port in 0..65535 (0 asks the kernel for a free port).
    static std::string Address(const std::string& name, const std::string& fallback);
    // A postgresql:// or postgres:// URL, or a libpq key=value string.
    static std::string DatabaseUrl(const std::string& name, const std::string& fallback);
    // Comma-separated list, items trimmed, empty items dropped.
    static std::vector<std::string> List(const std::string& name);
};

// Validation used by Env, exposed so values from other sources can be checked alike.
bool IsAddress(const std::string& value);

}  // namespace orderstream::config
