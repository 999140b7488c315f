#!/usr/bin/env python3
"""References for preference tuning: TRL's own trainers computing one batch each on the CPU in fp32.

The policy is tests/data/decoders/llama2 with a new LoRA adapter that the trainer attaches (peft_config: r 4, alpha 8,
all-linear, A and B random, so policy and reference differ at once; saved with each case as lora.*); the reference is
the same model with the adapter switched off, as TRL does for a new adapter without ref_model. The text is made of single-character tokens (a WordLevel vocabulary of 256
CJK characters, one per id, eos = id 2), so TRL's own tokenization, end-of-sequence handling and collation run, and
the ids they make are what our side reads back.

For each case, preference/<case>.safetensors holds the collated batch TRL trained on and the gradient of every LoRA
tensor (grad.<peft name>) and the adapter's weights (lora.<peft name>), and preference/cases.json the loss and TRL's logged metrics:
  - dpo-sigmoid, dpo-ipo, dpo-hinge, dpo-robust (label_smoothing 0.1): DPOTrainer, β 0.1 (ipo: 0.5), 3 pairs;
  - kto: KTOTrainer, β 0.1, desirable 1.0 / undesirable 1.5, 4 rows (two of each), the KL from mismatched pairs
    (made positive by 10 SGD steps on the mismatched completions first, so the clamp at 0 does not decide);
  - orpo: trl.experimental.orpo.ORPOTrainer, β (λ) 0.1, 3 pairs.
rows.json holds the rows as ids (prompt, chosen, rejected; prompt, completion, label). Each case's gradients are also
computed in float64 and must agree with the fp32 ones to 1e-5, or the script stops (a saturated case cannot judge).

Made with ~/.cache/finetune-studio/refvenv + trl==1.16.0 (torch 2.11.0, transformers 5.23.0, peft 0.21.2):
  ~/.cache/finetune-studio/refvenv/bin/pip install trl==1.16.0
  ~/.cache/finetune-studio/refvenv/bin/python tests/data/make_preference_fixtures.py
"""
import json
import os
import tempfile
import warnings

import peft
import torch
import transformers
import trl
from datasets import Dataset
from peft import LoraConfig
from safetensors.torch import save_file
from tokenizers import Regex, Tokenizer, models, pre_tokenizers
from transformers import AutoModelForCausalLM, PreTrainedTokenizerFast

warnings.filterwarnings("ignore")
torch.set_num_threads(1)
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "preference")
V = 256
CH = [chr(0x4E00 + i) for i in range(V)]


def text(ids):
    return "".join(CH[i] for i in ids)


def tokenizer():
    tok = Tokenizer(models.WordLevel(vocab={c: i for i, c in enumerate(CH)}, unk_token=CH[1]))
    tok.pre_tokenizer = pre_tokenizers.Split(Regex("."), behavior="isolated")
    return PreTrainedTokenizerFast(tokenizer_object=tok, eos_token=CH[2], pad_token=CH[0], unk_token=CH[1])


def base_model():
    return AutoModelForCausalLM.from_pretrained(os.path.join(HERE, "decoders", "llama2"), dtype=torch.float32,
                                                attn_implementation="sdpa")


# A new adapter (so TRL's reference is the model with it switched off), initialised at random (A and B), so that
# policy and reference differ from the first step. Its weights are saved with each case.
LORA = LoraConfig(r=4, lora_alpha=8, target_modules="all-linear", lora_dropout=0.0, bias="none", task_type="CAUSAL_LM",
                  init_lora_weights=False)


g = torch.Generator().manual_seed(11)


def ids(n):
    return torch.randint(3, V, (n,), generator=g).tolist()


# Lengths chosen so that rows differ in padding, completions of one token exist, and chosen/rejected differ in length.
PAIRS = [(ids(p), ids(c), ids(r)) for p, c, r in [(5, 4, 2), (3, 1, 6), (7, 3, 3)]]
UNPAIRED = [(ids(p), ids(c), lab) for p, c, lab in [(4, 3, True), (6, 2, False), (2, 5, True), (5, 4, False)]]


def lora_grads(model):
    out = {}
    for name, p in model.named_parameters():
        if p.requires_grad:
            key = name.replace(".default", "")
            out["grad." + key] = p.grad.detach().clone() if p.grad is not None else torch.zeros_like(p)
    return out


def last_metrics(trainer):
    return {k: float(v[-1]) for k, v in trainer._metrics["train"].items() if len(v) and k != "num_tokens"}


# KTO's KL estimate is clamped at 0, and a random adapter makes random completions less likely than the base does
# (the estimate comes out negative), so before its step the policy learns the mismatched completions a little:
# the estimate is then positive and the clamp is not what decides the loss.
def learn_kl_completions(model, batch, steps=10):
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.SGD(params, lr=0.1)
    labels = batch["KL_input_ids"].masked_fill(batch["KL_completion_mask"] == 0, -100)
    for _ in range(steps):
        out = model(input_ids=batch["KL_input_ids"], attention_mask=batch["KL_attention_mask"], labels=labels)
        out.loss.backward()
        opt.step()
        opt.zero_grad()


# The same step in float64: where TRL's own fp32 gradients are further than 1e-5 (relative to each tensor's largest)
# from these, the case is ill-conditioned (a saturated softmax cancels) and could not judge anyone's fp32 result.
def check_conditioning(trainer, model, batch, tensors, case):
    model.double()
    model.zero_grad()
    trainer.compute_loss(model, batch).backward()
    for name, p in model.named_parameters():
        if p.requires_grad:
            ours = tensors["grad." + name.replace(".default", "")]
            err = (p.grad.float() - ours).abs().max().item() / max(ours.abs().max().item(), 1e-12)
            assert err < 1e-5, f"{case}: {name}: fp32 gradient {err:.2g} from float64"
    model.float()


def run(make_trainer, rows, case, cases, seed=3):
    torch.manual_seed(seed)
    with tempfile.TemporaryDirectory() as tmp:
        trainer = make_trainer(base_model(), tmp)
        model = trainer.model
        dataset = trainer.train_dataset
        batch = trainer.data_collator([dataset[i] for i in range(len(dataset))])
        if case == "kto":
            learn_kl_completions(model, batch)
        adapter = {"lora." + n.replace(".default", ""): p.detach().clone() for n, p in model.named_parameters()
                   if p.requires_grad}
        model.train()
        loss, _ = trainer.compute_loss(model, batch, return_outputs=False), None
        loss.backward()
        tensors = {k: v.contiguous() for k, v in batch.items() if isinstance(v, torch.Tensor)}
        tensors.update(lora_grads(model))
        tensors.update(adapter)
        if case == "orpo":  # ORPO's own collation: chosen rows, then rejected, prompt labels -100
            both = trainer.concatenated_inputs(batch, is_encoder_decoder=False, padding_value=trainer.padding_value,
                                               device=torch.device("cpu"))
            tensors.update({k: v.contiguous() for k, v in both.items() if isinstance(v, torch.Tensor)})
            metrics = {k: float(v[-1]) for k, v in trainer._stored_metrics["train"].items()}
        else:
            metrics = last_metrics(trainer)
        check_conditioning(trainer, model, batch, tensors, case)
        save_file(tensors, os.path.join(OUT, case + ".safetensors"))
        cases[case] = {"loss": float(loss.detach()), "metrics": metrics}
        print(case, cases[case])


def dpo(loss_type, beta, label_smoothing=0.0):
    def make(model, tmp):
        args = trl.DPOConfig(output_dir=tmp, per_device_train_batch_size=3, beta=beta, loss_type=[loss_type],
                             label_smoothing=label_smoothing, report_to=[], use_cpu=True, bf16=False,
                             max_length=None, gradient_checkpointing=False)
        data = Dataset.from_list([{"prompt": text(p), "chosen": text(c), "rejected": text(r)} for p, c, r in PAIRS])
        return trl.DPOTrainer(model=model, args=args, train_dataset=data, processing_class=tokenizer(), peft_config=LORA)
    return make


def kto(model, tmp):
    args = trl.KTOConfig(output_dir=tmp, per_device_train_batch_size=4, beta=0.1, desirable_weight=1.0,
                         undesirable_weight=1.5, report_to=[], use_cpu=True, bf16=False, max_length=None,
                         gradient_checkpointing=False)
    data = Dataset.from_list([{"prompt": text(p), "completion": text(c), "label": lab} for p, c, lab in UNPAIRED])
    return trl.KTOTrainer(model=model, args=args, train_dataset=data, processing_class=tokenizer(), peft_config=LORA)


def orpo(model, tmp):
    from trl.experimental.orpo import ORPOConfig, ORPOTrainer
    args = ORPOConfig(output_dir=tmp, per_device_train_batch_size=3, beta=0.1, report_to=[], use_cpu=True,
                      bf16=False, max_length=64, gradient_checkpointing=False)
    data = Dataset.from_list([{"prompt": text(p), "chosen": text(c), "rejected": text(r)} for p, c, r in PAIRS])
    return ORPOTrainer(model=model, args=args, train_dataset=data, processing_class=tokenizer(), peft_config=LORA)


def main():
    os.makedirs(OUT, exist_ok=True)
    cases = {}
    for loss_type, beta, ls in [("sigmoid", 0.1, 0.0), ("ipo", 0.5, 0.0), ("hinge", 0.1, 0.0), ("robust", 0.1, 0.1)]:
        run(dpo(loss_type, beta, ls), PAIRS, "dpo-" + loss_type, cases)
    run(kto, UNPAIRED, "kto", cases)
    run(orpo, PAIRS, "orpo", cases)
    versions = {"trl": trl.__version__, "transformers": transformers.__version__, "peft": peft.__version__,
                "torch": torch.__version__}
    with open(os.path.join(OUT, "cases.json"), "w") as f:
        json.dump({"versions": versions, "cases": cases}, f, indent=1)
    with open(os.path.join(OUT, "rows.json"), "w") as f:
        json.dump({"pairs": PAIRS, "unpaired": UNPAIRED, "eos": 2, "pad": 0}, f)


if __name__ == "__main__":
    main()
