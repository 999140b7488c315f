#pragma once
// What names a token cache: SHA-256 (OpenSSL's libcrypto) of byte streams, of which the first 64 bits are kept.
// Hashing runs beside the read that happens anyway; with the SHA extensions of current x86 CPUs it does ~1.7 GB/s on
// one core, so a 1 GB dataset costs about 0.6 s of one core. 64 bits tell contents apart; the cache is no defence
// against someone crafting collisions.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace ft {

class ContentHash {
public:
    ContentHash();
    ~ContentHash();
    ContentHash(ContentHash&&) noexcept;
    ContentHash& operator=(ContentHash&&) noexcept;

    void update(const void* data, size_t size);
    void update(std::string_view bytes) { update(bytes.data(), bytes.size()); }
    // A value with its length in front, so ("ab", "c") and ("a", "bc") hash apart.
    void field(std::string_view bytes);
    void field(uint64_t value);
    // The stream so far (more may be added after): the SHA-256's first 8 bytes, read big-endian, so hex() is the
    // first 16 digits of what `sha256sum` prints.
    uint64_t digest() const;
    std::string hex() const;  // digest() as 16 lower-case hex digits

private:
    struct State;
    std::unique_ptr<State> m_state;
};

std::string hex64(uint64_t value);

} // namespace ft
