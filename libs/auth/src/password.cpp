#include "orderstream/auth/password.hpp"

#include <sodium.h>

#include <stdexcept>

namespace orderstream::auth {

PasswordHasher::PasswordHasher() {
    if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
    dummy_hash_ = Hash("orderstream-dummy-password");
}

std::string PasswordHasher::Hash(const std::string& password) const {
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str_alg(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0) {
        throw std::runtime_error("password hashing ran out of memory");
    }
    return out;
}

bool PasswordHasher::Verify(const std::string& hash, const std::string& password) const {
    if (hash.size() >= crypto_pwhash_STRBYTES) return false;
    return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

void PasswordHasher::VerifyAgainstDummy(const std::string& password) const { (void)Verify(dummy_hash_, password); }

}  // namespace orderstream::auth
