#pragma once
// The Unicode properties byte-level BPE needs, as the reference Hugging Face `tokenizers` knows them: its
// regex engine's \p{L}, \p{N}, \s and its NFC normalizer's data. unicode_categories.cpp is generated from
// those engines by tests/data/make_bpe_fixtures.py (their Unicode versions differ from each other and from
// any one Python's).

namespace ft::unicode {

bool isLetter(char32_t c);     // \p{L}
bool isNumber(char32_t c);     // \p{N}
bool isWhiteSpace(char32_t c); // \s: the White_Space property (25 code points)

int combiningClass(char32_t c); // canonical combining class; 0 for starters
// Full canonical decomposition of `c` into `out`; returns its length, 0 when `c` does not decompose.
// Hangul syllables are left to the caller (they decompose by arithmetic).
int decompose(char32_t c, char32_t out[4]);
// The primary composite of `first` + `second`, 0 when none. Hangul is left to the caller.
char32_t compose(char32_t first, char32_t second);

} // namespace ft::unicode
