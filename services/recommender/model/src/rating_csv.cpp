#include "orderstream/recommender/model/rating_csv.hpp"

#include <charconv>
#include <cmath>
#include <fstream>

namespace orderstream::recommender {
namespace {

std::string_view Trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

}  // namespace

Result<std::vector<RawRating>> ReadRatingsCsv(const std::string& path) {
    std::ifstream in(path);
    if (!in) return Error::InvalidArgument("cannot open " + path);
    std::vector<RawRating> ratings;
    std::string line;
    std::size_t number = 0;
    while (std::getline(in, line)) {
        ++number;
        std::string_view rest = line;
        if (Trim(rest).empty()) continue;
        auto first = rest.find(',');
        auto second = first == std::string_view::npos ? first : rest.find(',', first + 1);
        if (second == std::string_view::npos) {
            return Error::InvalidArgument(path + ":" + std::to_string(number) + ": expected user,item,rating");
        }
        auto user = Trim(rest.substr(0, first));
        auto item = Trim(rest.substr(first + 1, second - first - 1));
        auto value_text = Trim(rest.substr(second + 1));
        if (auto third = value_text.find(','); third != std::string_view::npos) value_text = Trim(value_text.substr(0, third));
        double value = 0;
        auto [end, ec] = std::from_chars(value_text.data(), value_text.data() + value_text.size(), value);
        if (ec != std::errc() || end != value_text.data() + value_text.size() || !std::isfinite(value)) {
            if (number == 1 && ratings.empty()) continue;  // header
            return Error::InvalidArgument(path + ":" + std::to_string(number) + ": rating is not a number");
        }
        if (user.empty() || item.empty()) {
            return Error::InvalidArgument(path + ":" + std::to_string(number) + ": empty user or item");
        }
        ratings.push_back({std::string(user), std::string(item), value});
    }
    return ratings;
}

}  // namespace orderstream::recommender
