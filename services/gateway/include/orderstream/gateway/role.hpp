#pragma once

namespace orderstream::gateway {

// `orderstream gateway`: serves GraphQL over HTTP (/graphql, /playground, /health,
// /health/ready, /metrics) until SIGINT/SIGTERM. Returns the exit code.
int RunRole();

}  // namespace orderstream::gateway
