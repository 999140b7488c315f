// libFuzzer target: a whole .gguf file through the reader, then every tensor we can dequantize (small ones only,
// so a valid header with a huge tensor does not just measure memory), and the tokenizer its metadata describes
// (text/gguf_vocab, what importing the file as a model writes).
#include "core/common/error.h"
#include "core/io/gguf_file.h"
#include "core/text/gguf_vocab.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    try {
        const ft::GgufFile file = ft::GgufFile::parse({data, size}, "fuzz.gguf");
        (void)file.architecture();
        for (const auto& t : file.tensors()) {
            if (t.numel > (1u << 20) || !ft::ggmlTypeTraits(uint32_t(t.type))->dequantize) continue;
            (void)file.dequantize(t);
        }
        try {
            (void)ft::tokenizerFromGguf(file);
        } catch (const ft::Error&) {
        }
    } catch (const ft::Error&) {
    }
    return 0;
}
