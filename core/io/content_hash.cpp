#include "core/io/content_hash.h"

#include <openssl/evp.h>

#include <new>
#include <stdexcept>

namespace ft {

struct ContentHash::State {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    ~State() { EVP_MD_CTX_free(ctx); }
};

ContentHash::ContentHash() : m_state(std::make_unique<State>()) {
    if (!m_state->ctx || EVP_DigestInit_ex(m_state->ctx, EVP_sha256(), nullptr) != 1) throw std::bad_alloc();
}

ContentHash::~ContentHash() = default;
ContentHash::ContentHash(ContentHash&&) noexcept = default;
ContentHash& ContentHash::operator=(ContentHash&&) noexcept = default;

void ContentHash::update(const void* data, size_t size) {
    if (size > 0 && EVP_DigestUpdate(m_state->ctx, data, size) != 1) throw std::runtime_error("SHA-256 update failed");
}

void ContentHash::field(std::string_view bytes) {
    field(uint64_t(bytes.size()));
    update(bytes);
}

void ContentHash::field(uint64_t value) { update(&value, sizeof value); }

uint64_t ContentHash::digest() const {
    // Finishing a copy leaves this stream open for more.
    State copy;
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (!copy.ctx || EVP_MD_CTX_copy_ex(copy.ctx, m_state->ctx) != 1 || EVP_DigestFinal_ex(copy.ctx, out, &length) != 1)
        throw std::runtime_error("SHA-256 final failed");
    uint64_t h = 0;
    for (int i = 0; i < 8; ++i) h = h << 8 | out[i];
    return h;
}

std::string ContentHash::hex() const { return hex64(digest()); }

std::string hex64(uint64_t value) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string s(16, '0');
    for (int i = 15; i >= 0; --i, value >>= 4) s[size_t(i)] = kDigits[value & 15];
    return s;
}

} // namespace ft
