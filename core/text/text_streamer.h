#pragma once
// Generated tokens to printable text, one token at a time (the CLI's `generate` and the chat stream through it).

#include <algorithm>
#include <functional>
#include <string>
#include <vector>

namespace ft {

// Decodes everything generated so far and hands out what is new, as transformers' TextStreamer does (it slices the
// full decode past what it printed). A character whose UTF-8 bytes span several tokens (Korean, CJK, emoji with
// byte-level BPE or SentencePiece byte fallback) decodes to U+FFFD until its last byte arrives; a trailing run of
// U+FFFD is therefore held back until a later token completes it (text-generation-inference's decode_token rule),
// and end() hands out whatever is still held, as the tokenizer decodes it.
class TextStreamer {
public:
    using Decode = std::function<std::string(const std::vector<int>&)>;
    explicit TextStreamer(Decode decode) : m_decode(std::move(decode)) {}

    // Adds a token and decodes; take() then hands out what became printable.
    void put(int token);
    // The printable text not handed out yet (often empty): an incomplete tail stays held back.
    std::string take();
    // Ends the stream: returns the rest, held-back tail included.
    std::string end();
    // Nothing at or after byte `at` of text() is handed out from now on (a stop string found there).
    void cutAt(size_t at) { m_limit = std::min(m_limit, at); }

    const std::string& text() const { return m_text; }   // the decode of every token so far
    const std::vector<int>& tokens() const { return m_tokens; }

private:
    std::string takeUpTo(size_t end);

    Decode m_decode;
    std::vector<int> m_tokens;
    std::string m_text;
    size_t m_shown = 0;              // bytes of m_text handed out
    size_t m_limit = std::string::npos;
};

} // namespace ft
