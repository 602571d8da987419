#pragma once

#include "orderstream/http/server.hpp"

namespace orderstream::gateway {

// GET /playground and its assets: GraphiQL and React, bundled into the binary at build time
// from the npm packages (tools/playground), so the page works without internet access.
// Returns false when the path is not the playground's.
bool ServePlayground(const http::Request& request, const http::Respond& respond);

}  // namespace orderstream::gateway
