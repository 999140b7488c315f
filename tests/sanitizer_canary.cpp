// A planted bug per sanitizer, built only with FT_SANITIZE: the sanitizer_canary_* tests expect each to be reported,
// so a sanitizer run that silently stopped catching things (flags lost, options overridden) fails instead of passing.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>

namespace {

int heapOverflow(int n) {
    char source[16] = {};
    char* target = new char[size_t(n)];
    std::memcpy(target, source, size_t(n) + 1);  // one byte past the end (ASan's memcpy check, not UBSan's)
    const int first = target[0];
    delete[] target;
    return first;
}

int signedOverflow(int n) {
    int big = std::numeric_limits<int>::max() - 1;
    return big + n;  // n >= 2 overflows
}

void* volatile g_kept = nullptr;

void* leak(int n) {
    g_kept = std::malloc(size_t(n) * 64);  // through a volatile global: the allocation cannot be optimized away
    g_kept = nullptr;                       // the only pointer is dropped
    return g_kept;
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 2) return 2;
    // argc-derived sizes keep the compiler from folding the bugs away.
    const int n = argc + 1;
    if (!std::strcmp(argv[1], "heap-overflow")) return heapOverflow(n) == 42;
    if (!std::strcmp(argv[1], "signed-overflow")) return signedOverflow(n) == 42;
    if (!std::strcmp(argv[1], "leak")) return leak(n) != nullptr;
    return 2;
}
