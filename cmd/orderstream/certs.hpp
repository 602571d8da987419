#pragma once

#include <string>
#include <vector>

namespace orderstream::cmd {

// `orderstream certs [DIR] [--days N]`: a development certificate authority and one
// certificate per role for internal mutual TLS (rpc/security.hpp), in DIR (default
// <ORDERSTREAM_DATA_DIR>/certs):
//   DIR/ca.crt, DIR/ca.key                    the CA (an existing one is reused)
//   DIR/<role>/ca.crt, tls.crt, tls.key      per role, the layout of a Kubernetes Secret
// A role's certificate names it (CN orderstream-<role>, DNS <role>.orderstream.internal) and
// serves as both server and client certificate; `operator` is for people with grpcurl.
// Existing role certificates are kept; delete a role's folder to issue it again.
int Certs(const std::vector<std::string>& args);

}  // namespace orderstream::cmd
