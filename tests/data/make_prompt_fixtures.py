#!/usr/bin/env python3
"""References for prompt tuning, P-tuning and prefix tuning, made with peft on the CPU.

Made with: torch 2.11.0, transformers 5.23.0, peft 0.21.2, tokenizers 0.23.3, safetensors 0.8.0
(the reference venv ~/.cache/finetune-studio/refvenv). Run from the repository root:

    ~/.cache/finetune-studio/refvenv/bin/python tests/data/make_prompt_fixtures.py

For each case, tests/data/prompt/<case>/ holds:
    adapter_config.json, adapter_model.safetensors   peft's save_pretrained of the training-mode model ("prompt_embeddings":
                                                     what get_prompt_embedding_to_save returns, the encoder's output)
    encoder.safetensors     the training-mode prompt encoder's own state_dict (peft's names: embedding.weight,
                            mlp_head.0.weight, lstm_head.weight_ih_l0, transform.0.weight, ...)
    reference.safetensors   input_ids (2, 6), labels (2, 6) (-100 on the first token and a few others),
                            logits (2, 6, V) of peft's model for the real tokens (the virtual positions dropped)
    reference.json          peft's loss with those labels, get_nb_trainable_parameters(), the config used
The base is tests/data/decoders/llama2 (Llama, GQA 4q/2kv heads), except prompt_tuning_text, whose base is
prompt/text-model: a 1-layer Llama with a tiny byte-level BPE tokenizer.json made here (its vocabulary is the model's),
so that peft's TEXT init tokenizes with a tokenizer our engine reads too. Its reference.json also lists the ids peft's
PromptEmbedding picked for a few (text, num_virtual_tokens) pairs (read back from the copied embedding rows).
Deterministic: the same versions give the same bytes.
"""
import json
import os
import shutil

import torch

torch.set_num_threads(1)
torch.use_deterministic_algorithms(True)

import peft  # noqa: E402
import safetensors.torch  # noqa: E402
import tokenizers  # noqa: E402
import transformers  # noqa: E402
from peft import (  # noqa: E402
    PeftModel,
    PrefixTuningConfig,
    PromptEncoderConfig,
    PromptTuningConfig,
    get_peft_model,
)
from peft.tuners.prompt_tuning.model import PromptEmbedding  # noqa: E402
from tokenizers import decoders, models, pre_tokenizers, processors, trainers  # noqa: E402
from transformers import AutoModelForCausalLM, LlamaConfig, LlamaForCausalLM  # noqa: E402

# Paths relative to the repository root: they end up in adapter_config.json (base_model_name_or_path).
os.chdir(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
here = os.path.join("tests", "data")
out_root = os.path.join(here, "prompt")
llama2 = os.path.join(here, "decoders", "llama2")
text_model = os.path.join(out_root, "text-model")
INIT_TEXT = "Classify the review:"


def make_text_model():
    """A 1-layer Llama whose vocabulary is a byte-level BPE trained here, with <s> added by the post-processor."""
    os.makedirs(text_model, exist_ok=True)
    corpus = ["Classify the review: the film was great.", "Classify the review: the food was cold.",
              "Answer briefly and politely.", "The review was positive; the other review was negative."] * 10
    tok = tokenizers.Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=290, min_frequency=2, show_progress=False, special_tokens=["<s>", "</s>"],
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tok.train_from_iterator(corpus, trainer)
    bos = tok.token_to_id("<s>")
    tok.post_processor = processors.TemplateProcessing(single="<s> $A", special_tokens=[("<s>", bos)])
    tok.save(os.path.join(text_model, "tokenizer.json"))
    with open(os.path.join(text_model, "tokenizer_config.json"), "w") as f:
        json.dump({"bos_token": "<s>", "eos_token": "</s>", "tokenizer_class": "PreTrainedTokenizerFast"}, f, indent=2)
    config = LlamaConfig(vocab_size=tok.get_vocab_size(), hidden_size=16, intermediate_size=32, num_hidden_layers=1,
                         num_attention_heads=2, num_key_value_heads=1, head_dim=8, max_position_embeddings=64,
                         tie_word_embeddings=True, bos_token_id=bos, eos_token_id=tok.token_to_id("</s>"))
    torch.manual_seed(11)
    model = LlamaForCausalLM(config).to(torch.float32)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "norm" in name:
                p.fill_(1.0)
            else:  # N(0, 1/fan_in), as our initRandomWeights: logits that differ visibly
                p.normal_(0.0, p.shape[-1] ** -0.5)
    model.save_pretrained(text_model, safe_serialization=True)
    for extra in ("generation_config.json",):
        if os.path.exists(os.path.join(text_model, extra)):
            os.remove(os.path.join(text_model, extra))
    for f in os.listdir(text_model):
        os.chmod(os.path.join(text_model, f), 0o644)


def picked_ids(model, text, nv):
    """The ids peft's TEXT init used, read back from the embedding rows it copied."""
    cfg = PromptTuningConfig(task_type="CAUSAL_LM", num_virtual_tokens=nv, prompt_tuning_init="TEXT",
                             prompt_tuning_init_text=text, tokenizer_name_or_path=text_model, token_dim=16,
                             num_transformer_submodules=1, num_attention_heads=2, num_layers=1)
    emb = PromptEmbedding(cfg, model.get_input_embeddings()).embedding.weight.detach()
    table = model.get_input_embeddings().weight.detach().float()
    ids = []
    for row in emb:
        match = (table == row).all(dim=1).nonzero().flatten().tolist()
        assert match, "a prompt row is no embedding row"
        ids.append(match[0])
    return ids


CASES = [
    ("prompt_tuning_random", llama2, PromptTuningConfig, dict(num_virtual_tokens=4, prompt_tuning_init="RANDOM")),
    ("prompt_tuning_text", text_model, PromptTuningConfig,
     dict(num_virtual_tokens=10, prompt_tuning_init="TEXT", prompt_tuning_init_text=INIT_TEXT,
          tokenizer_name_or_path=text_model)),
    ("p_tuning_mlp", llama2, PromptEncoderConfig,
     dict(num_virtual_tokens=4, encoder_reparameterization_type="MLP", encoder_hidden_size=24)),
    ("p_tuning_lstm", llama2, PromptEncoderConfig,
     dict(num_virtual_tokens=4, encoder_reparameterization_type="LSTM", encoder_hidden_size=12)),
    ("prefix_tuning", llama2, PrefixTuningConfig, dict(num_virtual_tokens=3)),
    ("prefix_tuning_projection", llama2, PrefixTuningConfig,
     dict(num_virtual_tokens=3, prefix_projection=True, encoder_hidden_size=20)),
]


def make_case(name, base, config_cls, kwargs, seed):
    out_dir = os.path.join(out_root, name)
    shutil.rmtree(out_dir, ignore_errors=True)
    torch.manual_seed(seed)
    model = AutoModelForCausalLM.from_pretrained(base, dtype=torch.float32, attn_implementation="eager")
    config = config_cls(task_type="CAUSAL_LM", **kwargs)
    model = get_peft_model(model, config)
    trainable, total = model.get_nb_trainable_parameters()
    encoder = model.prompt_encoder["default"]
    with torch.no_grad():  # move the projection MLPs off their init so every weight shows in the output
        for pname, p in encoder.named_parameters():
            if pname != "embedding.weight" or name != "prompt_tuning_text":
                p.add_(torch.randn_like(p) * 0.2)
    model.eval()
    model.save_pretrained(out_dir)
    os.remove(os.path.join(out_dir, "README.md"))  # peft's model card, not needed
    safetensors.torch.save_file({k: v.contiguous() for k, v in encoder.state_dict().items()},
                                os.path.join(out_dir, "encoder.safetensors"))

    vocab = model.config.vocab_size
    gen = torch.Generator().manual_seed(seed + 1)
    ids = torch.randint(3, vocab, (2, 6), generator=gen)
    labels = ids.clone()
    labels[:, 0] = -100  # peft's prompt methods would otherwise score labels[0] from the last virtual token
    labels[1, 2] = -100
    nv = kwargs["num_virtual_tokens"]
    with torch.no_grad():
        out = model(input_ids=ids, attention_mask=torch.ones_like(ids), labels=labels)
    logits = out.logits.float()
    if logits.shape[1] == ids.shape[1] + nv:
        logits = logits[:, nv:]
    assert logits.shape[1] == ids.shape[1]

    # What peft loads back (inference mode: the saved encoder output) gives the same logits.
    reloaded = PeftModel.from_pretrained(
        AutoModelForCausalLM.from_pretrained(base, dtype=torch.float32, attn_implementation="eager"), out_dir)
    reloaded.eval()
    with torch.no_grad():
        again = reloaded(input_ids=ids, attention_mask=torch.ones_like(ids)).logits.float()
    if again.shape[1] == ids.shape[1] + nv:
        again = again[:, nv:]
    reload_diff = (again - logits).abs().max().item()
    assert reload_diff < 1e-5, reload_diff

    safetensors.torch.save_file({"input_ids": ids, "labels": labels, "logits": logits.contiguous()},
                                os.path.join(out_dir, "reference.safetensors"))
    meta = {"peft": peft.__version__, "transformers": transformers.__version__, "torch": torch.__version__,
            "base": os.path.relpath(base, here), "config": kwargs, "loss": out.loss.item(),
            "trainable_params": trainable, "all_params": total, "reload_max_abs_diff": reload_diff}
    if name == "prompt_tuning_text":
        base_model = model.get_base_model()
        meta["init_cases"] = [{"text": t, "num_virtual_tokens": n, "ids": picked_ids(base_model, t, n)}
                              for t, n in [(INIT_TEXT, 10), (INIT_TEXT, 3), ("the", 5), (INIT_TEXT, 6)]]
        meta["init_text_tokenizer_ids"] = transformers.AutoTokenizer.from_pretrained(text_model)(INIT_TEXT)["input_ids"]
    with open(os.path.join(out_dir, "reference.json"), "w") as f:
        json.dump(meta, f, indent=1)
    for f in os.listdir(out_dir):
        os.chmod(os.path.join(out_dir, f), 0o644)
    print(name, "trainable", trainable, "loss", round(out.loss.item(), 5), "reload diff", reload_diff)


def main():
    os.makedirs(out_root, exist_ok=True)
    make_text_model()
    for i, (name, base, cls, kwargs) in enumerate(CASES):
        make_case(name, base, cls, kwargs, seed=100 + i)


if __name__ == "__main__":
    main()
