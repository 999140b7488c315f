#pragma once
// Turns examples into token ids and labels, the way the reference trainers do:
//  - instruct: render the conversation with the model's chat template (apply_chat_template semantics) and label
//    only the assistant's tokens (-100 elsewhere);
//  - raw text: tokenize, add BOS/EOS per the folder's rules, concatenate, cut into block_size blocks.

#include "core/data/dataset.h"
#include "core/data/ignore_index.h"

#include <memory>
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

class ExampleEncoder {
public:
    explicit ExampleEncoder(const ModelFolder& folder);
    ~ExampleEncoder();

    std::string render(const std::vector<ChatMessage>& messages, bool addGenerationPrompt) const;
    // Throws ft::Error naming the example's line when the template cannot render it or is not prefix-stable.
    // trainOnPrompt: take the loss on every token (system and user turns too), not only the assistant's.
    TokenizedExample encodeChat(const Example& example, int maxLength, bool trainOnPrompt = false) const;
    std::vector<TokenizedExample> encodeRawText(const std::vector<Example>& examples, int blockSize) const;

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

} // namespace ft
