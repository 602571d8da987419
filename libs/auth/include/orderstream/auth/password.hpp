#pragma once

#include <string>

namespace orderstream::auth {

// argon2id password hashes in libsodium's self-describing string format
// ($argon2id$v=19$m=...,t=...,p=...$salt$hash), with libsodium's "interactive" cost.
class PasswordHasher {
public:
    PasswordHasher();  // initialises libsodium; throws if it cannot
    std::string Hash(const std::string& password) const;
    bool Verify(const std::string& hash, const std::string& password) const;
    // Burns the same time as a real verification, for logins with an unknown email.
    void VerifyAgainstDummy(const std::string& password) const;

private:
    std::string dummy_hash_;
};

}  // namespace orderstream::auth
