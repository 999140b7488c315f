#pragma once
// How QLoRA stores the frozen base (Dettmers et al. 2023, arXiv:2305.14314): 4-bit blocks as bitsandbytes'
// BitsAndBytesConfig(load_in_4bit=True, ...) would make them. Named as that config names them.

#include <string>

namespace ft {

struct QloraConfig {
    std::string quantType = "nf4";          // bnb_4bit_quant_type: nf4 | fp4
    int blocksize = 64;                     // bitsandbytes' default for 4-bit weights
    bool doubleQuant = true;                // bnb_4bit_use_double_quant (bitsandbytes' own default is off)
    std::string computeDtype = "bfloat16";  // bnb_4bit_compute_dtype; also the dtype of the unquantized weights
};

} // namespace ft
