#!/usr/bin/env python3
"""Generate the byte-level BPE fixtures and the Unicode tables of core/text/unicode_categories.cpp.

Nothing is downloaded: the tokenizers are trained here with the reference Hugging Face `tokenizers` package and
reproduce the pipelines of the real tokenizer.json files:

    tests/data/bpe/llama3-style/   Split(Llama 3 regex, Isolated) + ByteLevel(use_regex=false), no normalizer,
                                   ignore_merges=true, merges saved as "a b" strings (as in Meta's file),
                                   <|begin_of_text|> ... special tokens after the BPE vocabulary,
                                   post-processor Sequence[ByteLevel, TemplateProcessing(<|begin_of_text|> $A)]
    tests/data/bpe/qwen2-style/    Split(Qwen2 regex: \\p{N} instead of \\p{N}{1,3}) + ByteLevel, NFC normalizer,
                                   ignore_merges=false, merges saved as [a, b] pairs, <|endoftext|> <|im_start|>
                                   <|im_end|> special and <think> </think> <tool_call> </tool_call> non-special
                                   (as Qwen3), post-processor ByteLevel
    tests/data/bpe/gpt2-flags/     ByteLevel(use_regex=true: GPT-2's own regex) alone, NFC normalizer, and added
                                   tokens with the lstrip / rstrip / normalized flags the two real files leave off

Each folder holds tokenizer.json, meta.json (vocab size, bos/eos the loader should report) and golden.jsonl:
one line per test string with the reference encode(text, add_special_tokens=False) ids, tokens ("pieces") and
offsets, and decode(ids, skip_special_tokens=False) ("decoded", transformers' default).

Offsets: `tokenizers` reports character offsets into the input (Python str indices). The core reports byte
offsets into the UTF-8 input, so each offset c is written as len(text[:c].encode("utf-8")). This is exact: the
library computes byte offsets on original character boundaries and converts them to characters. Its quirks
are kept as they are: every token holding some of the bytes of one character (ByteLevel splits a character
into its bytes) carries that whole character's span, and after NFC a composed character spans only the
original character it was composed onto (e + U+0301 -> é spans the "e").

The Unicode tables (letters \\p{L}, numbers \\p{N}, white space \\s, canonical combining classes, canonical
decompositions and compositions) are read from the reference engines themselves, cross-checked against this
Python's unicodedata: the regex engine `tokenizers` uses (Oniguruma) knows Unicode 16 while Python 3.11 knows
14.0, and its NFC crate knows an older version than 14.0, so tables taken from unicodedata alone would differ
from the reference on recently assigned characters.

Run with a venv holding the `tokenizers` package (0.23.3 produced the committed files):

    python3 -m venv /root/.cache/finetune-studio/bpevenv
    /root/.cache/finetune-studio/bpevenv/bin/pip install tokenizers
    /root/.cache/finetune-studio/bpevenv/bin/python tests/data/make_bpe_fixtures.py

Output is deterministic for one `tokenizers` version.
"""

import json
import os
import sys
import unicodedata

os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("RAYON_NUM_THREADS", "1")

import tokenizers  # noqa: E402
from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
OUT = os.path.join(HERE, "bpe")
TABLES = os.path.join(REPO, "core", "text", "unicode_categories.cpp")

LLAMA3_PATTERN = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*"
                  r"|\s*[\r\n]+|\s+(?!\S)|\s+")
QWEN2_PATTERN = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*"
                 r"|\s*[\r\n]+|\s+(?!\S)|\s+")

ALL_CPS = [c for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]

# --------------------------------------------------------------------------------------------------------------
# Unicode tables
# --------------------------------------------------------------------------------------------------------------


def engine_class(cls):
    """Code points the tokenizers regex engine matches with the one-character class `cls`."""
    removed = pre_tokenizers.Split(Regex(cls + "+"), behavior="removed")
    matched = set()
    for i in range(0, len(ALL_CPS), 100000):
        chunk = ALL_CPS[i:i + 100000]
        kept = [False] * len(chunk)
        for _, (a, b) in removed.pre_tokenize_str("".join(map(chr, chunk))):
            kept[a:b] = [True] * (b - a)
        matched.update(c for c, k in zip(chunk, kept) if not k)
    return matched


def check_superset(name, engine, python):
    missing = python - engine
    if missing:
        sys.exit(f"{name}: the engine lacks {len(missing)} code points unicodedata has, e.g. {sorted(missing)[:5]}")
    print(f"  {name}: {len(engine)} code points ({len(engine - python)} more than unicodedata "
          f"{unicodedata.unidata_version})")


def ranges(cps):
    out = []
    for c in sorted(cps):
        if out and out[-1][1] == c - 1:
            out[-1][1] = c
        else:
            out.append([c, c])
    return out


def nfc_tables():
    """Combining classes, decompositions and compositions as the NFC normalizer of tokenizers knows them."""
    nfd, nfc = normalizers.NFD(), normalizers.NFC()
    # Decompositions: the engine's NFD of every code point (full, recursive). Hangul is algorithmic in the C++.
    decomp = {}
    for c in ALL_CPS:
        if 0xAC00 <= c <= 0xD7A3:
            continue
        d = nfd.normalize_str(chr(c))
        if d != chr(c):
            decomp[c] = [ord(x) for x in d]
            if unicodedata.normalize("NFD", chr(c)) != d:
                sys.exit(f"NFD of U+{c:04X} differs from unicodedata")
    # Combining classes: unicodedata's value where the engine reorders by it. A mark the engine does not know
    # has class 0 there (it is a starter and never moves).
    ccc = {}
    for c in ALL_CPS:
        k = unicodedata.combining(chr(c))
        if not k:
            continue
        probe = "q\u0301" + chr(c) if k < 230 else "q" + chr(c) + "\u0316"
        moved = nfd.normalize_str(probe) != probe
        if moved:
            ccc[c] = k
    # Compositions: unicodedata's primary composites (two-part decompositions NFC keeps) that the engine forms.
    comp = []
    for c, parts in decomp.items():
        single = unicodedata.decomposition(chr(c))
        if not single or single.startswith("<"):
            continue
        pair = [int(x, 16) for x in single.split()]
        if len(pair) == 2 and unicodedata.normalize("NFC", chr(c)) == chr(c):
            if nfc.normalize_str(chr(pair[0]) + chr(pair[1])) == chr(c):
                comp.append((pair[0], pair[1], c))
    comp.sort()
    return ccc, decomp, comp


def simulate_nfc(s, ccc, decomp, comp):
    """The C++ algorithm in Python, to prove the tables reproduce the engine."""
    compose = {(a, b): c for a, b, c in comp}
    out = []
    for ch in s:
        c = ord(ch)
        if 0xAC00 <= c <= 0xD7A3:
            s_index = c - 0xAC00
            parts = [0x1100 + s_index // 588, 0x1161 + (s_index % 588) // 28]
            if s_index % 28:
                parts.append(0x11A7 + s_index % 28)
        else:
            parts = decomp.get(c, [c])
        out.extend(parts)
    # canonical ordering: stable sort of each run of non-starters
    i = 0
    while i < len(out):
        if ccc.get(out[i], 0) == 0:
            i += 1
            continue
        j = i
        while j < len(out) and ccc.get(out[j], 0) != 0:
            j += 1
        out[i:j] = sorted(out[i:j], key=lambda x: ccc[x])
        i = j
    # canonical composition
    result, starter, last_ccc = [], None, None
    for c in out:
        k = ccc.get(c, 0)
        if starter is not None and (last_ccc is None or last_ccc < k):
            a = result[starter]
            composed = compose.get((a, c))
            if composed is None and 0x1100 <= a <= 0x1112 and 0x1161 <= c <= 0x1175:
                composed = 0xAC00 + ((a - 0x1100) * 21 + (c - 0x1161)) * 28
            if composed is None and 0xAC00 <= a <= 0xD7A3 and (a - 0xAC00) % 28 == 0 and 0x11A8 <= c <= 0x11C2:
                composed = a + c - 0x11A7
            if composed is not None:
                result[starter] = composed
                continue
        if k == 0:
            starter, last_ccc = len(result), None
        else:
            last_ccc = k
        result.append(c)
    return "".join(map(chr, result))


def check_contraction_folds(letters):
    """The C++ matcher takes (?i:'s|'t|'re|'ve|'m|'ll|'d) as ASCII either case plus U+017F (long s, which case-folds
    to s). Prove that this is exactly what the engine accepts."""
    split = pre_tokenizers.Split(Regex(LLAMA3_PATTERN), behavior="isolated")
    # (template, what the contraction looks like, expected letters); a letter that is not part of a contraction
    # makes "'" + letters one \p{L}+ piece instead.
    probes = [("'{}a", "'{}", "sStTmMdD\u017f"), ("'{}ea", "'{}e", "rRvV"), ("'r{}a", "'r{}", "eE"),
              ("'{}la", "'{}l", "lL"), ("'l{}a", "'l{}", "lL")]
    for template, contraction, expected in probes:
        text = "\n".join(template.format(chr(c)) for c in sorted(letters))
        pieces = {p for p, _ in split.pre_tokenize_str(text)}
        accepted = {chr(c) for c in letters if contraction.format(chr(c)) in pieces}
        if accepted != set(expected):
            sys.exit(f"contraction {template}: the engine accepts {sorted(accepted)}, the C++ {sorted(expected)}")
    print("  (?i:'s|'t|...) accepts ASCII either case and U+017F, as the C++ matcher does")


def write_tables():
    print("Unicode tables from the reference engines:")
    letters = engine_class(r"\p{L}")
    check_superset("\\p{L}", letters, {c for c in ALL_CPS if unicodedata.category(chr(c)).startswith("L")})
    check_contraction_folds(letters)
    numbers = engine_class(r"\p{N}")
    check_superset("\\p{N}", numbers, {c for c in ALL_CPS if unicodedata.category(chr(c)).startswith("N")})
    spaces = engine_class(r"\s")
    print(f"  \\s: {len(spaces)} code points")
    ccc, decomp, comp = nfc_tables()
    print(f"  NFC: {len(ccc)} combining marks, {len(decomp)} decompositions, {len(comp)} compositions")

    nfc = normalizers.NFC()
    probes = [chr(c) for c in ALL_CPS]
    marks = ["\u0316", "\u0334", "\u0301", "\u05b0", "\u0e38", "\u0345"]
    probes += ["q" + chr(c) + m for c in list(ccc) + list(decomp) for m in marks]
    probes += [chr(a) + chr(b) for a, b, _ in comp] + [chr(a) + "\u0323" + chr(b) for a, b, _ in comp]
    probes += [chr(0x1100 + i) + chr(0x1161 + j) + chr(0x11A8 + k) for i in range(0, 19, 3)
               for j in range(0, 21, 4) for k in range(0, 27, 5)]
    bad = [p for p in probes if simulate_nfc(p, ccc, decomp, comp) != nfc.normalize_str(p)]
    if bad:
        sys.exit(f"NFC tables do not reproduce the engine on {len(bad)} probes, e.g. {bad[:3]!r}")
    print(f"  NFC tables reproduce the engine on {len(probes)} probes")

    def rows(cells):  # as many cells a line as fit in 110 columns
        lines = [""]
        for cell in cells:
            if lines[-1] and len(lines[-1]) + 1 + len(cell) > 106:
                lines.append("")
            lines[-1] += (" " if lines[-1] else "") + cell
        return "\n".join("    " + line for line in lines)

    def range_rows(rs):
        return rows(["{0x%X, 0x%X}," % (a, b) for a, b in rs])

    ccc_ranges = []
    for c in sorted(ccc):
        if ccc_ranges and ccc_ranges[-1][1] == c - 1 and ccc_ranges[-1][2] == ccc[c]:
            ccc_ranges[-1][1] = c
        else:
            ccc_ranges.append([c, c, ccc[c]])
    ccc_rows = rows(["{0x%X, 0x%X, %d}," % tuple(r) for r in ccc_ranges])
    decomp_rows = rows(["{0x%X, {%s}}," % (c, ", ".join("0x%X" % p for p in parts))
                        for c, parts in sorted(decomp.items())])
    comp_rows = rows(["{0x%X, 0x%X, 0x%X}," % t for t in comp])
    longest = max(len(p) for p in decomp.values())
    assert longest <= 4, longest

    text = f"""// Generated by tests/data/make_bpe_fixtures.py from the engines of Hugging Face tokenizers
// {tokenizers.__version__} (its Oniguruma regex classes, its NFC normalizer), cross-checked against Python's
// unicodedata {unicodedata.unidata_version}. Do not edit.

#include "core/text/unicode_categories.h"

#include <algorithm>
#include <iterator>
#include <utility>

namespace ft::unicode {{

namespace {{

struct Range {{
    char32_t first, last;
}};

// Regex class \\p{{L}}.
constexpr Range kLetters[] = {{
{range_rows(ranges(letters))}
}};

// Regex class \\p{{N}}.
constexpr Range kNumbers[] = {{
{range_rows(ranges(numbers))}
}};

// Regex class \\s.
constexpr Range kWhiteSpace[] = {{
{range_rows(ranges(spaces))}
}};

struct ClassRange {{
    char32_t first, last;
    unsigned char ccc;
}};

// Non-zero canonical combining classes.
constexpr ClassRange kCombiningClasses[] = {{
{ccc_rows}
}};

struct Decomposition {{
    char32_t cp;
    char32_t parts[4];  // full canonical decomposition, 0-terminated when shorter
}};

// Canonical decompositions except Hangul syllables (computed).
constexpr Decomposition kDecompositions[] = {{
{decomp_rows}
}};

struct Composition {{
    char32_t first, second, composed;
}};

// Primary composites by their two-part decomposition, sorted; Hangul is computed.
constexpr Composition kCompositions[] = {{
{comp_rows}
}};

constexpr bool inRanges(const Range* begin, const Range* end, char32_t c) {{
    const Range* r = std::upper_bound(begin, end, c, [](char32_t v, const Range& x) {{ return v < x.first; }});
    return r != begin && c <= (r - 1)->last;
}}

// ASCII's classes looked up in a table (the pre-tokenizer asks for every character, and most are ASCII): bit 0
// letter, bit 1 number, bit 2 white space; built from the same ranges at compile time.
struct AsciiClasses {{
    unsigned char bits[128] = {{}};
    constexpr AsciiClasses() {{
        for (char32_t c = 0; c < 128; ++c)
            bits[c] = (inRanges(std::begin(kLetters), std::end(kLetters), c) ? 1 : 0) |
                      (inRanges(std::begin(kNumbers), std::end(kNumbers), c) ? 2 : 0) |
                      (inRanges(std::begin(kWhiteSpace), std::end(kWhiteSpace), c) ? 4 : 0);
    }}
}};
constexpr AsciiClasses kAscii;

}} // namespace

bool isLetter(char32_t c) {{ return c < 128 ? (kAscii.bits[c] & 1) != 0 : inRanges(std::begin(kLetters), std::end(kLetters), c); }}
bool isNumber(char32_t c) {{ return c < 128 ? (kAscii.bits[c] & 2) != 0 : inRanges(std::begin(kNumbers), std::end(kNumbers), c); }}
bool isWhiteSpace(char32_t c) {{
    return c < 128 ? (kAscii.bits[c] & 4) != 0 : inRanges(std::begin(kWhiteSpace), std::end(kWhiteSpace), c);
}}

int combiningClass(char32_t c) {{
    const auto* end = std::end(kCombiningClasses);
    const auto* r = std::upper_bound(std::begin(kCombiningClasses), end, c,
                                     [](char32_t v, const ClassRange& x) {{ return v < x.first; }});
    return (r != std::begin(kCombiningClasses) && c <= (r - 1)->last) ? (r - 1)->ccc : 0;
}}

int decompose(char32_t c, char32_t out[4]) {{
    const auto* end = std::end(kDecompositions);
    const auto* d = std::lower_bound(std::begin(kDecompositions), end, c,
                                     [](const Decomposition& x, char32_t v) {{ return x.cp < v; }});
    if (d == end || d->cp != c) return 0;
    int n = 0;
    while (n < 4 && d->parts[n] != 0) {{
        out[n] = d->parts[n];
        ++n;
    }}
    return n;
}}

char32_t compose(char32_t first, char32_t second) {{
    const auto* end = std::end(kCompositions);
    const auto* m = std::lower_bound(std::begin(kCompositions), end, std::pair(first, second),
                                     [](const Composition& x, const std::pair<char32_t, char32_t>& v) {{
                                         return std::pair(x.first, x.second) < v;
                                     }});
    return (m != end && m->first == first && m->second == second) ? m->composed : 0;
}}

}} // namespace ft::unicode
"""
    with open(TABLES, "w", encoding="utf-8") as f:
        f.write(text)
    print(f"  wrote {os.path.relpath(TABLES, REPO)} ({len(text.encode()) // 1024} KiB)")


# --------------------------------------------------------------------------------------------------------------
# Training corpus and test strings
# --------------------------------------------------------------------------------------------------------------

CORPUS = """\
The quick brown fox jumps over the lazy dog. The dog didn't care; it's used to it.
Fine-tuning a language model means continuing its training on your own examples.
We're going to train the model for three epochs with a learning rate of 2e-4.
You'll see the loss go down, and then you've got a model that answers like your data.
I'm sure they'd agree: the best dataset is a clean one. THE BEST DATASET IS A CLEAN ONE.
She said "hello" and he said 'goodbye' -- then they left at 10:45 p.m. on 2024-03-15.
Prices rose 3.5% in 1999, 12% in 2008 and 0.25% in 2021; the total was $1,234,567.89.
Call +1 (555) 123-4567 or write to support@example.com before 31/12/2023.
안녕하세요. 저는 언어 모델을 미세 조정하고 있습니다. 오늘 날씨가 정말 좋네요!
한국어 문장도 잘 처리해야 합니다. 데이터셋을 준비하고, 학습을 시작하세요.
학습률은 0.0002이고, 배치 크기는 8입니다. 손실이 줄어들고 있어요.
日本語の文章もあります。東京は大きな都市です。機械学習はとても面白い。
中文句子也应该被正确处理。我们正在训练一个语言模型。今天天气很好。
Café, naïve, façade, résumé, jalapeño, Zürich, Ångström, São Paulo, Kraków, Dvořák.
Ελληνικά: Καλημέρα κόσμε. Русский: Привет, мир! Как дела? Українська мова.
العربية: مرحبا بالعالم. עברית: שלום עולם. हिन्दी: नमस्ते दुनिया।
Emoji: 😀 😂 🎉 👍 ❤️ 🔥 🚀 ✨ 🙏 🤖 — smileys and symbols everywhere!
def train(model, data, epochs=3):
    for epoch in range(epochs):
        for batch in data:
            loss = model(batch).loss
            loss.backward()
    return model
int main(int argc, char** argv) {
    std::vector<int> values{1, 2, 3};
    for (auto v : values) std::cout << v << '\\n';
    return 0;
}
if (x >= 10 && y != 0) { z = x / y; } else { z = -1; }
const result = await fetch("https://api.example.com/v1/items?limit=50&offset=100");
SELECT name, COUNT(*) FROM users WHERE age > 21 GROUP BY name ORDER BY 2 DESC;
<html><body><p class="note">Hello, <b>world</b>!</p></body></html>
{"name": "finetune", "version": "1.2.3", "tags": ["llm", "lora", "qlora"]}
# Heading\n\n- item one\n- item two\n\n```python\nprint("hi")\n```
    Indented with four spaces, then a tab:\tafter the tab.
Numbers: 1 12 123 1234 12345 123456 1234567 3.14159 2.71828 6.022e23 -42 +7
Roman and other digits: Ⅻ ½ ¾ ² ³ ١٢٣ ४५६ 一二三
ALL CAPS SENTENCE WITH WORDS LIKE DON'T, WON'T, IT'S, WE'LL, THEY'VE AND I'D.
Mixed Case: It'S, We'Re, You'Ll, They'D, I'M, She'S, Don'T.
Tabs\tand\tnewlines\nand\r\nwindows line endings\r\nand    multiple     spaces.
Full-width: ＡＢＣ１２３！？ and half-width ｶﾀｶﾅ; ideographic space:\u3000here.
"""

CORPUS_MORE = """\
Machine learning models learn patterns from data instead of following hand-written rules.
A tokenizer turns text into numbers: it splits the text into pieces and looks each piece up in a vocabulary.
Byte-level BPE starts from the 256 possible bytes and repeatedly merges the most frequent adjacent pair.
Because every byte is in the vocabulary, any text can be encoded, even emoji or rare scripts.
Low-rank adaptation freezes the original weights and trains two small matrices for each layer instead.
Quantization stores the frozen weights in four bits, which saves memory on consumer graphics cards.
Gradient checkpointing trades computation for memory by recomputing activations during the backward pass.
The validation loss tells you whether the model generalizes or merely memorizes the training examples.
When the loss stops improving, lower the learning rate or stop training early to avoid overfitting.
Chat templates wrap each message with role markers so the model knows who is speaking.
Please summarize the following article in three sentences and list the key people mentioned.
Translate this paragraph into Korean, keeping technical terms such as GPU and tokenizer in English.
Write a function that returns the n-th Fibonacci number using memoization, and explain its complexity.
The weather today is sunny with a high of 24 degrees and a light breeze from the northwest.
Our meeting is scheduled for Tuesday at 3 PM in conference room B; bring your laptop and notes.
The museum opens at nine o'clock, closes at five, and is free on the first Sunday of every month.
자연어 처리는 컴퓨터가 사람의 언어를 이해하고 생성하도록 돕는 인공지능의 한 분야입니다.
토크나이저는 텍스트를 작은 조각으로 나누고, 각 조각을 어휘 사전의 번호로 바꿉니다.
저는 주말마다 공원에서 산책을 하고, 저녁에는 책을 읽거나 영화를 봅니다.
이 모델은 한국어와 영어를 모두 이해하며, 질문에 친절하고 정확하게 답변합니다.
서울의 봄은 벚꽃이 피어서 아름답고, 가을에는 단풍이 물들어 산이 붉게 변합니다.
회의는 다음 주 화요일 오후 세 시에 열리며, 모든 팀원이 참석해야 합니다.
프로그래밍을 배우려면 작은 프로젝트부터 시작해서 꾸준히 연습하는 것이 중요합니다.
機械学習モデルはデータからパターンを学習します。トークナイザーはテキストを数値に変換します。
私は毎朝コーヒーを飲みながらニュースを読みます。週末には友達と映画を見に行きます。
自然语言处理是人工智能的一个重要领域。分词器把文本切分成小片段，然后转换成数字。
我每天早上跑步，然后吃早餐。周末我喜欢和朋友一起去公园散步。
Les modèles de langage apprennent à prédire le mot suivant. Ça marche étonnamment bien, n'est-ce pas ?
Die Übersetzung ins Deutsche ist schwierig, weil die Wörter manchmal sehr lang sind: Donaudampfschifffahrt.
El niño comió una manzana y después jugó al fútbol con sus amigos en el parque.
Português: a informação está disponível em várias línguas, incluindo o inglês e o espanhol.
Türkçe: Bugün hava çok güzel, dışarı çıkıp yürüyüş yapalım mı?
Tiếng Việt: Xin chào, tôi đang học cách tinh chỉnh mô hình ngôn ngữ lớn.
class Trainer:
    def __init__(self, model, optimizer, scheduler=None):
        self.model = model
        self.optimizer = optimizer
        self.scheduler = scheduler
    def step(self, batch):
        outputs = self.model(**batch)
        outputs.loss.backward()
        self.optimizer.step()
        self.optimizer.zero_grad()
        return outputs.loss.item()
template <typename T>
T clamp(const T& value, const T& low, const T& high) {
    return value < low ? low : (high < value ? high : value);
}
fn main() {
    let numbers: Vec<i32> = (1..=10).map(|x| x * x).collect();
    println!("{:?}", numbers);
}
git commit -m "Fix tokenizer offsets for combining characters" && git push origin main
pip install torch transformers datasets --upgrade
docker run --gpus all -v $(pwd):/workspace -it pytorch/pytorch:latest bash
"""

CORPUS_EXTRA = [
    "the model", "a model", "language models", "training data", "learning rate", "batch size",
    "tokenizer", "tokenization", "merges", "vocabulary", "special tokens", "assistant", "user", "system",
    "데이터", "모델", "학습", "토큰", "안녕", "감사합니다", "東京", "学习", "模型",
]


def corpus_lines():
    lines = CORPUS.splitlines() + CORPUS_MORE.splitlines()
    lines += [f"Example {i}: the value of x_{i} is {i * 37 % 1000} and y = {i * i}; id={i * 7919 % 100000:05d}."
              for i in range(300)]
    out = []
    for rep in range(4):
        out.extend(lines)
        out.extend(f"{w} {i * (rep + 1)} {w.upper()} {w.capitalize()}" for i, w in enumerate(CORPUS_EXTRA))
    return out


# Test strings shared by every fixture: (case name, text). Most are not in the corpus.
COMMON_CASES = [
    ("empty", ""),
    ("space", " "),
    ("two-spaces", "  "),
    ("many-spaces", "          "),
    ("tab", "\t"),
    ("newline", "\n"),
    ("crlf", "\r\n"),
    ("cr", "\r"),
    ("newlines", "\n\n\n"),
    ("mixed-ws", " \t \n \r\n  \t\t\n "),
    ("word", "hello"),
    ("words", "Hello world"),
    ("sentence", "The quick brown fox jumps over the lazy dog."),
    ("leading-space", " leading space"),
    ("trailing-space", "trailing space "),
    ("trailing-spaces", "trailing spaces   "),
    ("inner-spaces", "a  b   c    d"),
    ("space-before-newline", "line one   \nline two"),
    ("spaces-then-word", "     indented"),
    ("tab-indent", "\tdef f():\n\t\treturn 1"),
    ("code-python", "def train(model, data):\n    for x in data:\n        loss = model(x)\n    return loss\n"),
    ("code-cpp", "for (int i = 0; i < n; ++i) { sum += a[i] * b[i]; }"),
    ("code-js", "const f = (a, b) => a ?? b; // nullish\n"),
    ("code-json", '{"key": [1, 2.5, null, true], "nested": {"x": "y"}}'),
    ("code-html", "<div class=\"a\">text</div>\n<br/>"),
    ("code-shell", "$ ls -la | grep '.py' > out.txt && echo $?"),
    ("code-regex", r"^\s*(\d+)\.(\d+)$"),
    ("markdown", "# Title\n\n* bullet\n* **bold** _it_\n\n> quote\n"),
    ("contraction-lower", "it's don't we're you've I'm we'll they'd"),
    ("contraction-upper", "IT'S DON'T WE'RE YOU'VE I'M WE'LL THEY'D"),
    ("contraction-mixed", "It'S dOn'T We'Re yOu'Ve i'M We'Ll tHeY'd"),
    ("contraction-alone", "'s 't 're 've 'm 'll 'd"),
    ("contraction-long-s", "it\u017f and IT'\u017f"),
    ("contraction-suffix", "'sa 'tb 'rec 'ved 'me 'lll 'dd"),
    ("quote-words", "'hello' \"world\" `tick`"),
    ("apostrophes", "rock'n'roll o'clock '90s"),
    ("digits-1", "7"),
    ("digits-3", "123"),
    ("digits-4", "1234"),
    ("digits-long", "12345678901234567890"),
    ("digits-mixed", "abc123def4567ghi"),
    ("decimal", "3.14159265358979"),
    ("money", "$1,234,567.89 and €99,99"),
    ("date", "2024-03-15T10:45:00Z"),
    ("phone", "+1 (555) 123-4567"),
    ("space-digits", "a 1 22 333 4444"),
    ("other-digits", "١٢٣٤٥ ४५६ ½ ² Ⅻ ①②③"),
    ("korean", "안녕하세요, 세계!"),
    ("korean-long", "미세 조정은 사전 학습된 모델을 특정 작업에 맞게 추가로 학습시키는 과정입니다."),
    ("korean-mixed", "LoRA 어댑터를 사용하면 GPU 메모리를 절약할 수 있어요 (약 70%)."),
    ("korean-jamo", "ㄱㄴㄷ ㅏㅑㅓ 각"),
    ("japanese", "これは日本語のテストです。カタカナとひらがな。"),
    ("chinese", "你好，世界！我们在测试分词器。"),
    ("cjk-mixed", "東京Tokyo서울Seoul北京"),
    ("greek", "Γειά σου Κόσμε"),
    ("cyrillic", "Съешь же ещё этих мягких французских булок"),
    ("arabic", "مرحبا بالعالم"),
    ("hebrew", "שלום עולם"),
    ("hindi", "नमस्ते दुनिया"),
    ("thai", "สวัสดีชาวโลก"),
    ("accents-nfc", "café naïve résumé Zürich Ångström"),
    ("accents-nfd", "cafe\u0301 nai\u0308ve re\u0301sume\u0301 Zu\u0308rich A\u030angstro\u0308m"),
    ("nfd-reorder", "a\u0301\u0323 a\u0323\u0301 e\u0302\u0323"),
    ("nfd-multi", "\u1e69 s\u0323\u0307 s\u0307\u0323 \u01d6 u\u0308\u0304"),
    ("hangul-jamo-compose", "\u1100\u1161\u11a8 \u1112\u1161\u11ab\u1100\u1173\u11af"),
    ("combining-alone", "\u0301\u0302 x\u0327"),
    ("singleton-decomp", "\u212b \u2126 \u0958"),
    ("emoji-simple", "😀😂🎉"),
    ("emoji-words", "I love it ❤️ 🔥🔥 so much 🚀"),
    ("emoji-zwj", "👨‍👩‍👧‍👦 family, 🧑‍💻 coder, 🏳️‍🌈 flag"),
    ("emoji-skin", "👍🏻 👍🏽 👍🏿 👋🏼"),
    ("emoji-flags", "🇰🇷 🇺🇸 🇯🇵 🇩🇪"),
    ("emoji-keycap", "1️⃣ #️⃣ *️⃣"),
    ("symbols", "→ ← ↑ ↓ ∑ ∫ √ ∞ ≠ ≤ ≥ ± × ÷ © ® ™ § ¶ • … — –"),
    ("punct-run", "!!! ??? ... --- ***"),
    ("punct-newline", "end.\n\nNext!\r\n"),
    ("fullwidth", "ＡＢＣ　ｄｅｆ　１２３！？"),
    ("halfwidth-kana", "ｶﾀｶﾅ ﾃｽﾄ"),
    ("ideographic-space", "word\u3000word"),
    ("nbsp", "a\u00a0b\u00a0\u00a0c"),
    ("unicode-spaces", "a\u2003b\u2009c\u202fd\u205fe"),
    ("line-separator", "a\u2028b\u2029c\u0085d"),
    ("control-chars", "a\x00b\x01c\x1fd\x7f"),
    ("info-separators", "a\x1c b\x1d\x1e c\x1f"),
    ("zero-width", "a\u200bb\u200cc\u200dd\ufeffe"),
    ("bidi", "abc \u202eabc\u202c def"),
    ("private-use", "\ue000\uf8ff \U000f0000"),
    ("astral", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝐀𝐁𝐂 𓀀 𠜎"),
    ("noncharacter", "\ufffe\uffff"),
    ("replacement", "\ufffd"),
    ("unicode16-letters", "\U000105c0\U000105c1 \U00010d50\U00010d70"),
    ("url", "https://huggingface.co/meta-llama/Meta-Llama-3-8B?x=1&y=2#frag"),
    ("email", "first.last+tag@sub.example.co.kr"),
    ("path", "C:\\Users\\me\\Documents\\file (1).txt"),
    ("hashtag", "#fine_tuning @user_name"),
    ("underscores", "snake_case_name __dunder__ CamelCaseName"),
    ("long-word", "pneumonoultramicroscopicsilicovolcanoconiosis"),
    ("repeated", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
    ("repeated-ko", "ㅋㅋㅋㅋㅋㅋㅋㅋㅋㅋ"),
    ("chat-like", "User: What is LoRA?\nAssistant: Low-Rank Adaptation.\n"),
    ("special-partial", "<|im_start <|begin_of_text <| |>"),
    ("angle-brackets", "<tag> </tag> <<>> <|>"),
    ("corpus-line", "The quick brown fox jumps over the lazy dog. The dog didn't care; it's used to it."),
    ("paragraph", "Fine-tuning adapts a pretrained model.\n\nIt needs: data, a GPU (or patience), and care.\n"),
    ("multi-ws-newline", "a \n b \r\n\r\n c\t\n\td"),
    ("space-newline-space", " \n "),
    ("newline-spaces-word", "\n   word"),
    ("punct-space-newline", "x ;\n\n y"),
    ("only-punct", ".,;:!?"),
    ("space-punct", " . , ; "),
    ("letters-digits-ws", "a1 b22 c333\td4444\ne55555"),
    ("en-ko-digits", "Epoch 3/10 손실 0.1234 정확도 98.7%"),
    ("digits-commas", "1,000,000 and 10.000,5"),
    ("version", "v1.2.3-rc.4 build_2024"),
    ("hex", "0xDEADBEEF 0b1010 0o777"),
    ("math", "E = mc^2; ∀x∈ℝ: x² ≥ 0"),
    ("latex", "\\frac{a}{b} + \\sqrt{x_1^2}"),
    ("korean-spaces", "안녕   하세요\n\n반가워요"),
    ("korean-digits", "2024년 3월 15일 오후 3시"),
    ("korean-punct", "「인용」과 ‘따옴표’, “큰따옴표”…"),
    ("emoji-text-mixed", "ok👌done✅next"),
    ("emoji-variation", "☺︎ ☺️ ✔︎ ✔️"),
    ("emoji-only-space", " 😀 "),
    ("crlf-multi", "a\r\n\r\nb\r\r\nc"),
    ("tabs-run", "\t\t\ta\t\t"),
    ("space-tab-mix", " \t x"),
    ("trailing-newline", "text\n"),
    ("leading-newline", "\ntext"),
    ("vertical-tab-ff", "a\x0bb\x0cc"),
    ("contraction-after-space", "she 's he 'll"),
    ("contraction-digit", "'90s '5"),
    ("quote-newline", "'\n'"),
    ("many-apostrophes", "''''"),
    ("script-mix-word", "GPT4o모델v2"),
    ("roman-numerals", "ⅫⅩ Ⅸ"),
    ("superscripts", "x² y³ z¹"),
    ("cyrillic-upper", "ПРИВЕТ Мир"),
    ("turkish", "İstanbul ıi"),
    ("german-sharp", "Straße STRASSE ẞ"),
    ("ligature", "ﬁnance ﬂow ﬀ"),
    ("wide-digits", "１２３４５"),
    ("json-escape", '"\\n\\t\\u00e9"'),
    ("sql", "SELECT * FROM t WHERE a='b';"),
    ("yaml", "key: value\nlist:\n  - a\n  - b\n"),
    ("compat-jamo", "ㄱㅏ ㅎㅏㄴ"),
    ("enclosing-marks", "a\u20dd 1\u20e3"),
    ("greek-nfd", "\u03b1\u0301 \u03c9\u0342\u0345 \u03c9\u0345\u0342"),
    ("vietnamese-nfd", "Vie\u0323\u0302t Nam, Vie\u0302\u0323t"),
    ("long-mixed",
     "Fine-tune Llama 3 on 1,234 examples 🚀: it's fast!\n\t한국어 데이터 (約 50%) + code `x = 42`\r\n  done.  "),
]


def llama3_cases():
    return COMMON_CASES + [
        ("special-bot", "<|begin_of_text|>Hello"),
        ("special-chat",
         "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHi there!<|eot_id|>"
         "<|start_header_id|>assistant<|end_header_id|>\n\nHello! How can I help?<|eot_id|>"),
        ("special-adjacent", "<|eot_id|><|eot_id|><|end_of_text|>"),
        ("special-spaces", "  <|eot_id|>  text  <|eot_id|>  "),
        ("special-in-word", "abc<|eot_id|>def"),
        ("special-reserved", "<|reserved_special_token_0|> <|reserved_special_token_5|>"),
        ("special-python-tag", "<|python_tag|>print(1)<|eom_id|>"),
        ("special-lookalike", "<|eot_id <|EOT_ID|> <|eot_id|x"),
        ("ignore-merges-word", "a supercalifragilistic word, Supercalifragilistic"),
        ("ignore-merges-ko", " 미세조정용데이터 미세조정"),
    ]


def qwen2_cases():
    return COMMON_CASES + [
        ("special-endoftext", "text<|endoftext|>more"),
        ("special-chat",
         "<|im_start|>system\nYou are helpful.<|im_end|>\n<|im_start|>user\n안녕?<|im_end|>\n"
         "<|im_start|>assistant\n"),
        ("special-adjacent", "<|im_end|><|im_start|><|endoftext|>"),
        ("special-spaces", "  <|im_end|>  text  <|im_start|>  "),
        ("added-think", "<think>\nreasoning here\n</think>\n\nanswer"),
        ("added-tool", "<tool_call>\n{\"name\": \"f\"}\n</tool_call>"),
        ("added-partial", "<think <thinker> </think"),
        ("nfd-with-special", "cafe\u0301<|im_end|>e\u0301"),
        ("nfd-korean", "\u1100\u1161 \u1102\u1161\u11ab\u1103\u1161"),
        ("nfc-digits", "١٢٣ 1234567"),
    ]


def gpt2_cases():
    return COMMON_CASES + [
        ("lstrip", "hello   <mask> world"),
        ("lstrip-start", "  <mask>x"),
        ("lstrip-adjacent", "<mask>   <mask>"),
        ("rstrip", "a [SEP]   b"),
        ("rstrip-end", "x[SEP]  \n "),
        ("lstrip-rstrip", "a  <pad>  b"),
        ("rstrip-then-lstrip", "[SEP]   <mask>z"),
        ("normalized-nfc", "un café, deux cafe\u0301s"),
        ("normalized-partial", "caf cafes"),
        ("non-normalized-space", "a new world, the new  world"),
        ("special-eot", "one<|endoftext|>two"),
        ("contraction-case", "IT'S it's It's"),
    ]


# --------------------------------------------------------------------------------------------------------------
# Tokenizers
# --------------------------------------------------------------------------------------------------------------


def train(pattern, normalizer, ignore_merges, vocab_size, split=True):
    tok = Tokenizer(models.BPE(ignore_merges=ignore_merges))
    if normalizer is not None:
        tok.normalizer = normalizer
    if split:
        tok.pre_tokenizer = pre_tokenizers.Sequence([
            pre_tokenizers.Split(Regex(pattern), behavior="isolated", invert=False),
            pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False),
        ])
    else:
        tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, min_frequency=2, show_progress=False,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tok.train_from_iterator(corpus_lines(), trainer)
    return tok


def byte_level(text):
    table = bytes_to_unicode()
    return "".join(table[b] for b in text.encode("utf-8"))


def bytes_to_unicode():
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, map(chr, cs)))


def add_whole_words(data, words):
    """Vocabulary entries no merge sequence builds, as tiktoken-converted vocabularies (Llama 3) have: only
    ignore_merges finds them."""
    vocab = data["model"]["vocab"]
    for w in words:
        piece = byte_level(w)
        assert piece not in vocab
        vocab[piece] = len(vocab)


def finish(tok, data_edit, specials, added, post_processor):
    data = json.loads(tok.to_str())
    data_edit(data)
    tok = Tokenizer.from_str(json.dumps(data))
    tok.add_special_tokens([AddedToken(s, special=True, normalized=False) for s in specials])
    tok.add_tokens(added)
    if post_processor is not None:
        tok.post_processor = post_processor(tok)
    return tok


def llama3():
    tok = train(LLAMA3_PATTERN, None, True, 3000)
    specials = ["<|begin_of_text|>", "<|end_of_text|>", "<|reserved_special_token_0|>",
                "<|reserved_special_token_1|>", "<|finetune_right_pad_id|>", "<|reserved_special_token_2|>",
                "<|start_header_id|>", "<|end_header_id|>", "<|eom_id|>", "<|eot_id|>", "<|python_tag|>"]
    specials += [f"<|reserved_special_token_{i}|>" for i in range(3, 8)]

    def post(t):
        bot = "<|begin_of_text|>"
        return processors.Sequence([
            processors.ByteLevel(add_prefix_space=True, trim_offsets=False, use_regex=True),
            processors.TemplateProcessing(single=f"{bot} $A", pair=f"{bot} $A {bot} $B:1",
                                          special_tokens=[(bot, t.token_to_id(bot))]),
        ])

    tok = finish(tok, lambda d: add_whole_words(d, [" supercalifragilistic", " 미세조정용데이터"]), specials, [], post)
    return tok, {"bos": "<|begin_of_text|>", "eos": "<|end_of_text|>"}


def qwen2():
    tok = train(QWEN2_PATTERN, normalizers.NFC(), False, 3000)
    added = [AddedToken(s, special=False, normalized=False) for s in ["<think>", "</think>", "<tool_call>", "</tool_call>"]]
    post = lambda t: processors.ByteLevel(add_prefix_space=False, trim_offsets=False, use_regex=False)  # noqa: E731
    tok = finish(tok, lambda d: None, ["<|endoftext|>", "<|im_start|>", "<|im_end|>"], added, post)
    return tok, {"bos": None, "eos": "<|endoftext|>"}


def gpt2_flags():
    tok = train(None, normalizers.NFC(), False, 1200, split=False)
    tok.add_special_tokens([AddedToken("<|endoftext|>", special=True, normalized=False),
                            AddedToken("<mask>", special=True, lstrip=True, normalized=False),
                            AddedToken("[SEP]", special=True, rstrip=True, normalized=False),
                            AddedToken("<pad>", special=True, lstrip=True, rstrip=True, normalized=False)])
    tok.add_tokens([AddedToken("café", normalized=True), AddedToken("new world", normalized=False)])
    tok.post_processor = processors.ByteLevel(add_prefix_space=False, trim_offsets=False, use_regex=True)
    return tok, {"bos": None, "eos": "<|endoftext|>"}


def byte_offsets(text, offsets):
    cut = [0]
    for ch in text:
        cut.append(cut[-1] + len(ch.encode("utf-8")))
    return [[cut[a], cut[b]] for a, b in offsets]


def write_fixture(name, tok, meta, cases, legacy_merges=False):
    folder = os.path.join(OUT, name)
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, "tokenizer.json")
    data = json.loads(tok.to_str())
    if legacy_merges:  # Meta's Llama 3 file stores merges as "a b" strings
        data["model"]["merges"] = [" ".join(m) for m in data["model"]["merges"]]
    with open(path, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, separators=(",", ":"))
    tok = Tokenizer.from_file(path)  # the golden comes from the file as written
    names = set()
    with open(os.path.join(folder, "golden.jsonl"), "w", encoding="utf-8") as f:
        for case, text in cases:
            assert case not in names, case
            names.add(case)
            enc = tok.encode(text, add_special_tokens=False)
            line = {"case": case, "text": text, "ids": enc.ids, "pieces": enc.tokens,
                    "offsets": byte_offsets(text, enc.offsets),
                    "decoded": tok.decode(enc.ids, skip_special_tokens=False)}
            f.write(json.dumps(line, ensure_ascii=False) + "\n")
    vocab_meta = {
        "vocab_size": tok.get_vocab_size(),
        "bos_id": tok.token_to_id(meta["bos"]) if meta["bos"] else -1,
        "eos_id": tok.token_to_id(meta["eos"]) if meta["eos"] else -1,
        "tokenizers_version": tokenizers.__version__,
    }
    with open(os.path.join(folder, "meta.json"), "w", encoding="utf-8") as f:
        json.dump(vocab_meta, f, indent=1)
        f.write("\n")
    print(f"  {name}: {len(cases)} cases, vocab {vocab_meta['vocab_size']}, "
          f"tokenizer.json {os.path.getsize(path) // 1024} KiB")
    return tok


def check_ignore_merges_matters(tok):
    data = json.loads(tok.to_str())
    data["model"]["ignore_merges"] = False
    plain = Tokenizer.from_str(json.dumps(data))
    differ = [c for c, t in llama3_cases() if plain.encode(t, add_special_tokens=False).ids
              != tok.encode(t, add_special_tokens=False).ids]
    assert differ, "no llama3 case depends on ignore_merges"
    print(f"  llama3-style: ignore_merges changes {len(differ)} cases ({', '.join(differ[:4])}...)")


def main():
    print(f"tokenizers {tokenizers.__version__}, unicodedata {unicodedata.unidata_version}")
    write_tables()
    print("Fixtures:")
    tok, meta = llama3()
    tok = write_fixture("llama3-style", tok, meta, llama3_cases(), legacy_merges=True)
    check_ignore_merges_matters(tok)
    tok, meta = qwen2()
    write_fixture("qwen2-style", tok, meta, qwen2_cases())
    tok, meta = gpt2_flags()
    write_fixture("gpt2-flags", tok, meta, gpt2_cases())


if __name__ == "__main__":
    main()
