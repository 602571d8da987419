#include "orderstream/pg/arrays.hpp"

namespace orderstream::pg {

std::string TextArray(const std::vector<std::string>& items) {
    std::string array = "{";
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i > 0) array += ',';
        array += '"';
        for (char c : items[i]) {
            if (c == '"' || c == '\\') array += '\\';
            array += c;
        }
        array += '"';
    }
    array += '}';
    return array;
}

std::string BigintArray(const std::vector<std::int64_t>& items) {
    std::string array = "{";
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i > 0) array += ',';
        array += std::to_string(items[i]);
    }
    array += '}';
    return array;
}

}  // namespace orderstream::pg
