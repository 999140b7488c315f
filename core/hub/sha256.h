#pragma once
// Incremental SHA-256 (OpenSSL's libcrypto), for checking LFS files against their ETag.

#include <cstddef>
#include <memory>
#include <string>

namespace ft::hub {

class Sha256 {
public:
    Sha256();
    ~Sha256();
    Sha256(const Sha256&) = delete;
    Sha256& operator=(const Sha256&) = delete;

    void update(const void* data, size_t size);
    std::string hexDigest();  // lowercase; finishes the hash
    void reset();             // starts over

private:
    struct State;
    std::unique_ptr<State> m_state;
};

} // namespace ft::hub
