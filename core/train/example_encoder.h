#pragma once
// Turns examples into token ids and labels, the way the reference trainers do:
//  - instruct: render the conversation with the model's chat template (apply_chat_template semantics) and label
//    only the assistant's tokens (-100 elsewhere);
//  - raw text: tokenize, add BOS/EOS per the folder's rules, concatenate, cut into block_size blocks;
//  - preference rows: the prompt and each answer, as TRL 1.16's trainers tokenize them.

#include "core/data/dataset.h"
#include "core/common/error.h"
#include "core/data/ignore_index.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace ft {

struct ModelFolder;
class ModelTokenizer;
class ChatTemplate;

struct TokenizedExample {
    std::vector<int> ids;
    std::vector<int> labels;  // kIgnoreIndex where no loss is taken
    std::vector<int> segments;  // packed rows: 1, 2, ... per original example (attention stays inside); empty: one
    int line = 0;             // source line of the example
    bool truncated = false;
};

// A preference row in tokens: each answer's whole sequence, the prompt's tokens first. The prompt usually has the
// same tokens before both answers; ORPO's legacy tokenization may end it with a different token before each.
struct TokenizedPreference {
    std::vector<int> chosen;    // prompt + chosen answer; unpaired rows (KTO): prompt + the completion
    std::vector<int> rejected;  // prompt + rejected answer; empty for unpaired rows
    int chosenPrompt = 0;       // how many of `chosen`'s first tokens are the prompt (no loss there)
    int rejectedPrompt = 0;
    std::optional<bool> desirable;  // unpaired rows: the completion's label
    int line = 0;
    // The prompt tokenized alone is not a prefix of prompt + answer (a chat template that renders the prompt alone
    // differently, or tokens merging across the boundary): the answer starts where the two diverge, and the prompt's
    // end that differs is left out (TRL warns about the same).
    bool promptCut = false;
    // KTO's mismatched pair (its KL estimate): this row's prompt with another row's completion (TRL pairs row i
    // with row i - 1 within each batch of the prepared data); empty otherwise.
    std::vector<int> mismatched;
    int mismatchedPrompt = 0;
    // The reference model's summed answer log-probs (chosen, rejected, mismatched), computed once before training
    // when the reference cannot be the trained model with its adapters off (full fine-tuning); empty otherwise.
    std::vector<float> reference;
};

// How the reference tokenizes preference rows. Trl: DPOTrainer and KTOTrainer (prompt alone with the generation
// prompt, prompt + answer rendered whole, the common prefix; plain text through tokenizer(text) with the EOS text
// appended to each answer). OrpoLegacy: trl.experimental's ORPOTrainer (the chat template applied to text first,
// tokens without special ones, BOS and EOS ids added where missing).
enum class PreferenceTokenization { Trl, OrpoLegacy };
// The tokenization the trainer of `loss` (a preference section's "loss") uses: ORPO's legacy one, else TRL's.
inline PreferenceTokenization preferenceTokenizationFor(const std::string& loss) {
    return loss == "orpo" ? PreferenceTokenization::OrpoLegacy : PreferenceTokenization::Trl;
}

class ExampleEncoder {
public:
    explicit ExampleEncoder(const ModelFolder& folder);
    ~ExampleEncoder();

    std::string render(const std::vector<ChatMessage>& messages, bool addGenerationPrompt) const;
    // Throws ft::Error naming the example's line when the template cannot render it or is not prefix-stable.
    // trainOnPrompt: take the loss on every token (system and user turns too), not only the assistant's.
    TokenizedExample encodeChat(const Example& example, int maxLength, bool trainOnPrompt = false) const;
    std::vector<TokenizedExample> encodeRawText(const std::vector<Example>& examples, int blockSize) const;
    // One raw-text document as encodeRawText puts it in the stream it cuts into blocks: tokenizer(text), then EOS
    // unless the tokenizer already ended it with one.
    std::vector<int> encodeDocument(const std::string& text) const;
    // A preference row (Example::preference set). Throws ft::Error naming the row's line when the template cannot
    // render it, or (OrpoLegacy) when the prompt tokenizes differently before each answer beyond its last token.
    TokenizedPreference encodePreference(const Example& example, PreferenceTokenization how) const;

    const ModelTokenizer& tokenizer() const { return *m_tokenizer; }

private:
    const ModelFolder& m_folder;
    std::unique_ptr<ModelTokenizer> m_tokenizer;
    std::unique_ptr<ChatTemplate> m_template;
};

// Packs examples into rows of at most `maxLength` tokens, best fit decreasing (TRL's "bfd"): the longest first, each
// into the row with the least room that still holds it, a new row when none does. Rows fill to ~97 % where packing
// in order leaves ~20 % padding. A row keeps its examples in their input order, and rows are ordered by their first
// example. Each example keeps its own segment id, so attention and positions restart per example: the same logits
// as unpacked.
std::vector<TokenizedExample> packExamples(const std::vector<TokenizedExample>& examples, int maxLength);
// packExamples' rows as lists of example indices (each list ascending, rows ordered by their first), from the
// examples' lengths alone.
std::vector<std::vector<size_t>> packRows(const std::vector<size_t>& lengths, int maxLength);

// encodeRawText's refusal when the documents make no whole block.
Error tooFewTokensForABlock(size_t tokens, int blockSize);

} // namespace ft
