#pragma once

#include <string>

#include "downstream.hpp"

namespace orderstream::gateway {

// GET /health/ready: every downstream service's gRPC health check, by name, with its state;
// 200 when all serve, 503 otherwise.
struct Readiness {
    int status = 200;
    std::string body;  // {"services":{"account":"SERVING",...},"status":"ready"}
};
Readiness CheckDownstream(const Downstream& downstream);

}  // namespace orderstream::gateway
