#pragma once
// Text generation options and the token loop's contract, without LibTorch (the CLI and the UI's chat use these).

#include <cstdint>
#include <functional>
#include <vector>

namespace ft {

struct GenerationOptions {
    int maxNewTokens = 64;
    bool doSample = false;           // false: greedy
    double temperature = 1.0;
    int topK = 0;                    // 0: off
    double topP = 1.0;               // 1: off
    double repetitionPenalty = 1.0;  // 1: off (CTRL's penalty, as transformers applies it)
    uint64_t seed = 0;
    std::vector<int> eosTokenIds;    // stop after any of these (it is returned)
};

// Called with each new token; return false to stop (stop strings, cancellation).
using TokenCallback = std::function<bool(int token)>;

} // namespace ft
