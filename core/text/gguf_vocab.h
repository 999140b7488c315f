#pragma once
// The tokenizer a GGUF file describes in its metadata (tokenizer.ggml.*), written as the files of a Hugging Face
// model folder, so the folder tokenizes as transformers 5.23 does when it opens the GGUF file itself
// (integrations/gguf/gguf_tokenizer_mapping.py):
//   - `gpt2` (byte-level BPE: Llama 3, Qwen, SmolLM): a tokenizer.json with the file's tokens (respelled in GPT-2's
//     byte alphabet where a token is not) and merges, the split regex named by tokenizer.ggml.pre, BOS/EOS by
//     add_bos_token / add_eos_token (false when absent);
//   - `llama` (SentencePiece: Llama 2, Mistral, Gemma): a tokenizer.model built from tokens, scores and token types
//     (BPE by score, byte fallback, "▁" for spaces, a dummy prefix except for Gemma, whose whitespace-only tokens are
//     respelled with "▁" as transformers does), BOS by add_bos_token (true when absent, as llama.cpp does).
// Control tokens (and the named bos/eos/unk/pad) become special added tokens, user-defined ones plain added tokens.
// Plain C++ (no torch).

#include <nlohmann/json.hpp>

#include <string>

namespace ft {

class GgufFile;

struct GgufTokenizerFiles {
    std::string tokenizerJson;      // `gpt2` files: tokenizer.json; empty otherwise
    std::string tokenizerModel;     // `llama` files: tokenizer.model (a SentencePiece ModelProto); empty otherwise
    nlohmann::json tokenizerConfig; // tokenizer_config.json: special tokens, add_bos/eos, chat_template
};

// Throws ft::Error naming the file and key when the metadata is missing, inconsistent or of a kind we do not
// read (tokenizer.ggml.model other than gpt2/llama, a pre-tokenizer regex our BPE does not implement).
GgufTokenizerFiles tokenizerFromGguf(const GgufFile& file);

} // namespace ft
