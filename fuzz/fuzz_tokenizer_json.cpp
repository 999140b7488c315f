// libFuzzer target: tokenizer.json through the byte-level BPE loader, then an encode/decode round.
// Input: the JSON, optionally followed by a NUL byte and the text to encode.
#include "core/common/error.h"
#include "core/text/bpe_tokenizer.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const size_t nul = input.find('\0');
    const std::string_view json = input.substr(0, nul);
    const std::string_view text = nul == std::string_view::npos ? std::string_view("Hello, world! 123 héllo  \n\t<|x|>")
                                                                 : input.substr(nul + 1);
    try {
        const auto tokenizer = ft::parseTokenizerJson(json, "tokenizer.json");
        const ft::Encoding enc = tokenizer->encode(text);
        (void)tokenizer->decode(enc.ids);
        for (int id : enc.ids) (void)tokenizer->idToPiece(id);
        (void)tokenizer->bosId();
        (void)tokenizer->eosId();
    } catch (const ft::Error&) {
    }
    return 0;
}
