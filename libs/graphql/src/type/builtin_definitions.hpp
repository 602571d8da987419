#pragma once

#include <string_view>

namespace orderstream::graphql::detail {

std::string_view builtin_sdl();

}  // namespace orderstream::graphql::detail
