#pragma once
// Byte-level BPE tokenizers from a Hugging Face tokenizer.json (Llama 3, Qwen2, Qwen3), encoding exactly as
// the `tokenizers` library does with add_special_tokens=False and decoding as decode(ids,
// skip_special_tokens=False).
//
// Implemented: model BPE (vocab, merges as "a b" strings or [a, b] pairs, ignore_merges, unk_token,
// fuse_unk); normalizer null, NFC or a Sequence of NFC; pre-tokenizer Split (the Llama 3 or Qwen2 regex,
// Isolated) and ByteLevel (add_prefix_space false, use_regex either), alone or in a Sequence; added tokens,
// special or not, with lstrip, rstrip and normalized; decoder ByteLevel or null. The post-processor
// (ByteLevel and RobertaProcessing without trim_offsets, TemplateProcessing, BertProcessing, a Sequence of them) gives
// bosId()/eosId() and specialPrefix()/specialSuffix(): encode() itself adds no special tokens. Everything else in the file is refused with ErrorCode::Unsupported naming
// the field, never ignored.

#include "core/text/tokenizer.h"

#include <nlohmann/json_fwd.hpp>

#include <string>
#include <string_view>

namespace ft {

// bosId(): the special token TemplateProcessing puts before $A (RobertaProcessing/BertProcessing: cls), else -1. eosId(): the one it puts after $A,
// else the special token <|end_of_text|> or <|endoftext|> (Llama 3 / Qwen convention), else -1. unkId():
// model.unk_token. vocabSize(): highest id + 1. decode() throws InvalidValue for an id the file does not
// define. Throws Error (FileNotFound, FileUnreadable, ParseError, MissingField, InvalidValue, Unsupported)
// whose where() reads "<file>: <field>", e.g. "tokenizer.json: pre_tokenizer.pretokenizers[0].pattern".
std::unique_ptr<Tokenizer> loadTokenizerJson(const std::filesystem::path& file);
// The same from the file's text; `where` names it in errors.
std::unique_ptr<Tokenizer> parseTokenizerJson(std::string_view json, const std::string& where);

// The special-token ids `tokenizer(text)` puts before and after the text (add_special_tokens=True), as the
// tokenizers library's post-processor does for one sequence: TemplateProcessing's `single` around $A,
// RobertaProcessing / BertProcessing cls and sep, a Sequence of them nested in order; ByteLevel or null add none.
struct SpecialTokensAround {
    std::vector<int> prefix, suffix;
};
SpecialTokensAround specialTokensAround(const nlohmann::json& postProcessor);
// The same read from a tokenizer.json file without building the tokenizer (only post_processor is parsed into
// memory). Throws FileUnreadable, ParseError.
SpecialTokensAround specialTokensAround(const std::filesystem::path& tokenizerJson);

} // namespace ft
