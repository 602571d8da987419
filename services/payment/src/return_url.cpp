#include "return_url.hpp"

#include <cctype>
#include <charconv>

#include "orderstream/core/text.hpp"

namespace orderstream::payment {
namespace {

struct ParsedUrl {
    std::string scheme;
    std::string host;  // lower case; [..] kept for IPv6
    int port = 0;
    bool port_given = false;
};

bool IsHostChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

// scheme://authority[/...]: the parts a return URL's origin is made of, or why it has none.
Result<ParsedUrl> ParseOrigin(std::string_view url, bool allow_wildcard_port, bool& wildcard_port) {
    wildcard_port = false;
    ParsedUrl parsed;
    auto scheme_end = url.find("://");
    if (scheme_end == std::string_view::npos) return Error::InvalidArgument("is not an absolute URL");
    parsed.scheme = text::AsciiLower(url.substr(0, scheme_end));
    if (parsed.scheme != "http" && parsed.scheme != "https") return Error::InvalidArgument("must be http or https");
    auto rest = url.substr(scheme_end + 3);
    auto authority_end = rest.find_first_of("/?#");
    auto authority = rest.substr(0, authority_end);
    if (authority.find('@') != std::string_view::npos) {
        return Error::InvalidArgument("must not carry a user name or password");
    }
    std::string_view host = authority;
    std::string_view port;
    if (!authority.empty() && authority.front() == '[') {
        auto close = authority.find(']');
        if (close == std::string_view::npos) return Error::InvalidArgument("has a malformed IPv6 host");
        host = authority.substr(0, close + 1);
        auto after = authority.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':') return Error::InvalidArgument("has a malformed host");
            port = after.substr(1);
        }
        for (char c : host.substr(1, host.size() - 2)) {
            if (!std::isxdigit(static_cast<unsigned char>(c)) && c != ':' && c != '.') {
                return Error::InvalidArgument("has a malformed IPv6 host");
            }
        }
    } else if (auto colon = authority.find(':'); colon != std::string_view::npos) {
        host = authority.substr(0, colon);
        port = authority.substr(colon + 1);
    }
    parsed.host = text::AsciiLower(host);
    if (parsed.host.empty()) return Error::InvalidArgument("has no host");
    if (parsed.host.front() != '[') {
        for (char c : parsed.host) {
            if (!IsHostChar(c)) return Error::InvalidArgument("has a host with a character hosts do not have");
        }
    }
    if (!port.empty() || authority.ends_with(":")) {
        if (allow_wildcard_port && port == "*") {
            wildcard_port = true;
        } else {
            auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), parsed.port);
            if (port.empty() || ec != std::errc() || end != port.data() + port.size() || parsed.port < 1 ||
                parsed.port > 65535) {
                return Error::InvalidArgument("has a malformed port");
            }
            parsed.port_given = true;
        }
    }
    if (!parsed.port_given) parsed.port = parsed.scheme == "https" ? 443 : 80;
    return parsed;
}

}  // namespace

Result<ReturnUrlPolicy> ReturnUrlPolicy::Parse(std::string_view origins) {
    ReturnUrlPolicy policy;
    std::size_t start = 0;
    while (start <= origins.size()) {
        auto end = origins.find(',', start);
        if (end == std::string_view::npos) end = origins.size();
        auto entry = text::Trim(origins.substr(start, end - start));
        start = end + 1;
        if (entry.empty()) continue;
        bool wildcard = false;
        auto parsed = ParseOrigin(entry, true, wildcard);
        if (!parsed.ok()) return Error::InvalidArgument("'" + entry + "' " + parsed.error().message);
        if (entry.find_first_of("/?#", entry.find("://") + 3) != std::string::npos) {
            return Error::InvalidArgument("'" + entry + "' is not an origin (scheme://host[:port], nothing after)");
        }
        Origin origin{parsed->scheme, parsed->host, std::nullopt};
        if (!wildcard) origin.port = parsed->port;
        policy.origins_.push_back(std::move(origin));
    }
    if (policy.origins_.empty()) return Error::InvalidArgument("names no origin");
    return policy;
}

ReturnUrlPolicy ReturnUrlPolicy::Development() {
    return *Parse("http://localhost:*,https://localhost:*,http://127.0.0.1:*,https://127.0.0.1:*");
}

Status ReturnUrlPolicy::Check(std::string_view url, const char* field) const {
    auto invalid = [&](const std::string& why) { return Error::InvalidArgument(std::string(field) + " " + why); };
    if (url.size() > 2000) return invalid("must be at most 2,000 characters");
    for (char c : url) {
        auto byte = static_cast<unsigned char>(c);
        if (byte <= 0x20 || byte >= 0x7f || c == '\\') {
            return invalid("must be printable ASCII without spaces or backslashes (percent-encode the rest)");
        }
    }
    bool wildcard = false;
    auto parsed = ParseOrigin(url, false, wildcard);
    if (!parsed.ok()) return invalid(parsed.error().message);
    for (const auto& origin : origins_) {
        if (origin.scheme == parsed->scheme && origin.host == parsed->host &&
            (!origin.port || *origin.port == parsed->port)) {
            return Status::Ok();
        }
    }
    return invalid("must be on one of the shop's origins (" + ToString() + ")");
}

std::string ReturnUrlPolicy::ToString() const {
    std::string out;
    for (const auto& origin : origins_) {
        if (!out.empty()) out += ", ";
        out += origin.scheme + "://" + origin.host + ":" + (origin.port ? std::to_string(*origin.port) : "*");
    }
    return out;
}

}  // namespace orderstream::payment
