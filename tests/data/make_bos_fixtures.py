#!/usr/bin/env python3
"""Whether `tokenizer(text)` adds BOS / EOS, as transformers decides it, for tests/tst_bos.cpp.

Nothing is downloaded. One small byte-level BPE is trained here with the `tokenizers` package and saved as a
tokenizer.json with each post-processor kind real model folders carry; one small SentencePiece BPE (byte fallback)
is trained with `sentencepiece` as a tokenizer.model folder. Each case folder tests/data/bos/<case>/ holds the
tokenizer file(s), the tokenizer_config.json the case is about, and expected.json: for each test text,
AutoTokenizer.from_pretrained(folder)(text)["input_ids"] (= encode(text)) with the transformers version recorded.

    tokenizer.json cases (post_processor; tokenizer_config.json)
      llama3              Sequence[ByteLevel, TemplateProcessing(<|begin_of_text|> $A)], PreTrainedTokenizerFast
      template-only       TemplateProcessing(<|begin_of_text|> $A) alone
      smollm2-bytelevel   ByteLevel; GPT2Tokenizer, bos <|im_start|>, eos <|im_end|> (SmolLM2-style)
      smollm2-null        null; the same config
      qwen2               ByteLevel; Qwen2Tokenizer, bos null, eos <|im_end|>
      bos-eos-template    Sequence[ByteLevel, TemplateProcessing(<s> $A </s>)]
      roberta             RobertaProcessing(cls <s>, sep </s>)
      bert                BertProcessing(cls [CLS], sep [SEP])
      config-no-bos       llama3's post-processor, tokenizer_config add_bos_token false
      config-bos          ByteLevel, tokenizer_config add_bos_token true, bos <|endoftext|>
      config-eos          llama3's post-processor, tokenizer_config add_eos_token true (no add_bos_token)
      gpt2-config-bos     ByteLevel; smollm2's config with add_bos_token true
    tokenizer.model cases (tokenizer_config.json)
      llama-sp            LlamaTokenizer, no add_bos_token / add_eos_token
      llama-sp-eos        LlamaTokenizer, add_eos_token true
      llama-sp-no-bos     LlamaTokenizer, add_bos_token false
      gemma-sp            GemmaTokenizer, add_bos_token true, add_eos_token false (a model without dummy prefix)

Run with a venv holding transformers, tokenizers and sentencepiece (see tests/data/bos/README.md):

    /root/.cache/finetune-studio/refvenv/bin/python tests/data/make_bos_fixtures.py
"""
import json
import os
import shutil
import sys
import tempfile

os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("RAYON_NUM_THREADS", "1")

import sentencepiece  # noqa: E402
import tokenizers  # noqa: E402
import transformers  # noqa: E402
from tokenizers import Regex, Tokenizer, decoders, models, pre_tokenizers, processors, trainers  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "bos")

CORPUS = [
    "The quick brown fox jumps over the lazy dog.",
    "Fine-tuning a small model needs a tokenizer that adds the same special tokens as the reference.",
    "안녕하세요, 세계! 오늘은 날씨가 좋네요.",
    "Hello world, hello tokenizers; numbers 12345 and 2024.",
] * 4
TEXTS = ["Hello world", "안녕하세요, 세계!", " leading space and trailing ", "a"]
SPECIALS = ["<|begin_of_text|>", "<|end_of_text|>", "<|endoftext|>", "<|im_start|>", "<|im_end|>", "<s>", "</s>",
            "[CLS]", "[SEP]"]
LLAMA3_PATTERN = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*"
                  r"|\s*[\r\n]+|\s+(?!\S)|\s+")


def base_bpe():
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(LLAMA3_PATTERN), behavior="isolated"),
        pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False),
    ])
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=400, show_progress=False,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tok.train_from_iterator(CORPUS, trainer)
    tok.add_special_tokens(SPECIALS)
    return tok


def byte_level():
    return processors.ByteLevel(trim_offsets=False)


def template(tok, single):
    specials = [(t, tok.token_to_id(t)) for t in single.split() if t != "$A"]
    return processors.TemplateProcessing(single=single, pair=single + " $B", special_tokens=specials)


def json_cases(tok):
    sid = tok.token_to_id
    llama3 = processors.Sequence([byte_level(), template(tok, "<|begin_of_text|> $A")])
    llama3_cfg = {"tokenizer_class": "PreTrainedTokenizerFast", "bos_token": "<|begin_of_text|>",
                  "eos_token": "<|end_of_text|>"}
    smol_cfg = {"tokenizer_class": "GPT2Tokenizer", "bos_token": "<|im_start|>", "eos_token": "<|im_end|>",
                "unk_token": "<|endoftext|>", "add_prefix_space": False}
    return {
        "llama3": (llama3, llama3_cfg),
        "template-only": (template(tok, "<|begin_of_text|> $A"), llama3_cfg),
        "smollm2-bytelevel": (byte_level(), smol_cfg),
        "smollm2-null": (None, smol_cfg),
        "qwen2": (byte_level(), {"tokenizer_class": "Qwen2Tokenizer", "bos_token": None, "eos_token": "<|im_end|>",
                                 "pad_token": "<|endoftext|>"}),
        "bos-eos-template": (processors.Sequence([byte_level(), template(tok, "<s> $A </s>")]),
                             {"tokenizer_class": "PreTrainedTokenizerFast", "bos_token": "<s>", "eos_token": "</s>"}),
        "roberta": (processors.RobertaProcessing(("</s>", sid("</s>")), ("<s>", sid("<s>")),
                                                 trim_offsets=False, add_prefix_space=False),
                    {"tokenizer_class": "PreTrainedTokenizerFast", "bos_token": "<s>", "eos_token": "</s>"}),
        "bert": (processors.BertProcessing(("[SEP]", sid("[SEP]")), ("[CLS]", sid("[CLS]"))),
                 {"tokenizer_class": "PreTrainedTokenizerFast", "cls_token": "[CLS]", "sep_token": "[SEP]"}),
        "config-no-bos": (llama3, dict(llama3_cfg, add_bos_token=False)),
        "config-bos": (byte_level(), {"tokenizer_class": "PreTrainedTokenizerFast", "bos_token": "<|endoftext|>",
                                      "eos_token": "<|endoftext|>", "add_bos_token": True}),
        "config-eos": (llama3, dict(llama3_cfg, add_eos_token=True)),
        "gpt2-config-bos": (byte_level(), dict(smol_cfg, add_bos_token=True)),
    }


def sentencepiece_model(tmp, dummy_prefix):
    path = os.path.join(tmp, "corpus.txt")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(CORPUS) + "\n")
    prefix = os.path.join(tmp, "sp_dummy" if dummy_prefix else "sp_plain")
    sentencepiece.SentencePieceTrainer.train(
        add_dummy_prefix=dummy_prefix, remove_extra_whitespaces=False, normalization_rule_name="identity",
        input=path, model_prefix=prefix, model_type="bpe", vocab_size=400, character_coverage=1.0,
        byte_fallback=True, unk_id=0, bos_id=1, eos_id=2, pad_id=-1, num_threads=1, minloglevel=2,
        hard_vocab_limit=False, shuffle_input_sentence=False)
    # The trainer spec records the temporary paths: clear them so the file is the same on every run.
    from sentencepiece import sentencepiece_model_pb2
    proto = sentencepiece_model_pb2.ModelProto()
    with open(prefix + ".model", "rb") as f:
        proto.ParseFromString(f.read())
    del proto.trainer_spec.input[:]
    proto.trainer_spec.model_prefix = ""
    with open(prefix + ".model", "wb") as f:
        f.write(proto.SerializeToString())
    return prefix + ".model"


SP_CASES = {
    "llama-sp": {"tokenizer_class": "LlamaTokenizer", "bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>"},
    "llama-sp-eos": {"tokenizer_class": "LlamaTokenizer", "bos_token": "<s>", "eos_token": "</s>",
                     "unk_token": "<unk>", "add_eos_token": True},
    "llama-sp-no-bos": {"tokenizer_class": "LlamaTokenizer", "bos_token": "<s>", "eos_token": "</s>",
                        "unk_token": "<unk>", "add_bos_token": False},
    "gemma-sp": {"tokenizer_class": "GemmaTokenizer", "bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>",
                 "pad_token": "<unk>", "add_bos_token": True, "add_eos_token": False},
}


def record(folder, name, config):
    with open(os.path.join(folder, "tokenizer_config.json"), "w", encoding="utf-8") as f:
        json.dump(config, f, indent=1, ensure_ascii=False)
        f.write("\n")
    hf = transformers.AutoTokenizer.from_pretrained(folder)
    ids = [hf(t)["input_ids"] for t in TEXTS]
    plain = [hf(t, add_special_tokens=False)["input_ids"] for t in TEXTS]
    expected = {"transformers": transformers.__version__, "tokenizers": tokenizers.__version__,
                "sentencepiece": sentencepiece.__version__, "class": type(hf).__name__,
                "texts": TEXTS, "ids": ids, "ids_without_special_tokens": plain}
    with open(os.path.join(folder, "expected.json"), "w", encoding="utf-8") as f:
        json.dump(expected, f, ensure_ascii=False)
        f.write("\n")
    added = sorted({len(a) - len(p) for a, p in zip(ids, plain)})
    print(f"  {name}: {type(hf).__name__}, added {added}; first {ids[0]} vs {plain[0]}")


def main():
    if os.path.isdir(OUT):
        for entry in os.listdir(OUT):
            if os.path.isdir(os.path.join(OUT, entry)):
                shutil.rmtree(os.path.join(OUT, entry))
    os.makedirs(OUT, exist_ok=True)
    tok = base_bpe()
    for name, (post, config) in json_cases(tok).items():
        folder = os.path.join(OUT, name)
        os.makedirs(folder)
        tok.post_processor = post
        tok.save(os.path.join(folder, "tokenizer.json"))
        record(folder, name, config)
    with tempfile.TemporaryDirectory() as tmp:
        for name, config in SP_CASES.items():
            folder = os.path.join(OUT, name)
            os.makedirs(folder)
            # Gemma's tokenizer.model has no dummy prefix (and GemmaTokenizer adds none); Llama's has one.
            model = sentencepiece_model(tmp, dummy_prefix=not name.startswith("gemma"))
            shutil.copyfile(model, os.path.join(folder, "tokenizer.model"))
            record(folder, name, config)


if __name__ == "__main__":
    sys.exit(main())
