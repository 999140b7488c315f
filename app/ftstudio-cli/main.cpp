// ftstudio-cli: the headless face of Finetune Studio, over the same core as the GUI.

#include "cli_args.h"
#include "commands.h"

#include "core/common/error.h"

#include <cstdio>
#include <cstring>
#include <functional>
#include <map>

namespace {

void usage() {
    std::fputs(
        "usage: ftstudio-cli <command> [options]\n"
        "\n"
        "  make-demo DIR                               write the built-in demo (model, data, project.json)\n"
        "  train PROJECT.json [--out DIR] [--max-steps N] [--resume | --resume-from CHECKPOINT]\n"
        "        [--nproc-per-node N]\n"
        "                                              fine-tune as the project says, in a new run folder\n"
        "                                              (<output>/runs/<id>, or DIR, which must not hold a run);\n"
        "                                              --resume continues the newest unfinished run (or DIR's);\n"
        "                                              --nproc-per-node N: data-parallel on N local processes\n"
        "                                              (under torchrun/srun: RANK, WORLD_SIZE, MASTER_ADDR, ...)\n"
        "  runs PROJECT.json                           the project's runs as JSON, newest last: id, dir, method,\n"
        "                                              steps_done, total_steps, state, adapter\n"
        "  eval PROJECT.json [--run DIR]... [--data FILE] [--max-new-tokens N] [--batch-size N] [--max-examples N]\n"
        "       [--sample [--seed S]] [--html OUT.html] [--jsonl OUT.jsonl]\n"
        "                                              base vs tuned on the held-out rows (or FILE's): loss,\n"
        "                                              perplexity, exact match, token F1, ROUGE-L as JSON\n"
        "  info DIR                                    model facts and memory footprints as JSON\n"
        "  generate --model DIR [--adapter DIR] --prompt TEXT [--chat] [--max-new-tokens N] [--seed S]\n"
        "           [--sample|--greedy] [--temperature T] [--top-k K] [--top-p P] [--repetition-penalty R]\n"
        "           [--stop TEXT] [--dtype float32|bfloat16|float16]\n"
        "                                              stream a completion (greedy unless --sample)\n"
        "  tokenize (--tokenizer FILE | --model DIR) (--text TEXT | --text-file FILE)\n"
        "                                              ids and pieces as JSON\n"
        "  chat-template (--template FILE | --model DIR) --messages FILE.json [--tools FILE.json]\n"
        "                [--add-generation-prompt] [--bos-token S] [--eos-token S]\n"
        "                                              the rendered text, exactly; exit 2 when the template raises\n"
        "  dataset inspect FILE [--format F] [--model DIR] [--max-length N]\n"
        "                                              format, bad rows (file:line, reason), token lengths (JSON)\n"
        "  token-cache [--clear]                       where the token caches of training runs are, their size and\n"
        "                                              limit (JSON); --clear removes them\n"
        "  quantize (--model DIR [--layer NAME] | --tensor-file FILE) --method nf4|fp4|int8-sym|int8-asym\n"
        "           [--granularity tensor|channel|block] [--blocksize N] [--double-quant] [--out FILE]\n"
        "                                              per-tensor error (MSE, max, SNR) and bytes (JSON)\n"
        "  export --model DIR --adapter DIR --format peft|merged|gguf --out PATH [--gguf-type f32|f16]\n"
        "         [--qlora nf4|fp4 [--blocksize N] [--no-double-quant] [--compute-dtype D]] [--chat-template FILE]\n"
        "  export --checkpoint RUN_OR_CHECKPOINT --format peft|merged|gguf --out PATH [--gguf-type f32|f16]\n"
        "                                              the adapter as a PEFT folder, merged into the model (a\n"
        "                                              Hugging Face folder), or a llama.cpp GGUF LoRA adapter\n"
        "  gguf-info FILE.gguf                         a GGUF file's version, architecture, tensor count, types\n"
        "                                              (tensors per ggml type) and tensors (name, type, shape) as JSON\n"
        "  import-gguf FILE.gguf OUT_DIR               a GGUF model as a folder to fine-tune (prints the folder)\n"
        "  models [--folder DIR]...                    the models on this machine (Hugging Face cache, Ollama,\n"
        "                                              LM Studio, each DIR) as JSON: name, path, source, format,\n"
        "                                              architecture, parameters, quantization, chat_template,\n"
        "                                              trainable, why_not, size_bytes\n"
        "  pull ORG/NAME[@REVISION] [--cache DIR]      download what training needs from the Hugging Face Hub\n"
        "                                              into its cache (HF_ENDPOINT, HF_TOKEN, HF_HUB_OFFLINE,\n"
        "                                              HF_HUB_CACHE); the last line is the snapshot folder\n",
        stderr);
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h")) {
        usage();
        return argc < 2 ? 2 : 0;
    }
    const std::map<std::string, std::function<int(const ftcli::Args&)>> commands{
        {"make-demo", ftcli::makeDemo},
        {"train", ftcli::train},
        {"runs", ftcli::runs},
        {"eval", ftcli::evaluate},
        {"info", ftcli::info},
        {"generate", ftcli::generate},
        {"tokenize", ftcli::tokenize},
        {"chat-template", ftcli::chatTemplate},
        {"dataset", ftcli::dataset},
        {"token-cache", ftcli::tokenCache},
        {"quantize", ftcli::quantize},
        {"export", ftcli::exportModel},
        {"gguf-info", ftcli::ggufInfo},
        {"import-gguf", ftcli::importGguf},
        {"models", ftcli::models},
        {"pull", ftcli::pull},
    };
    const auto it = commands.find(argv[1]);
    if (it == commands.end()) {
        std::fprintf(stderr, "ftstudio-cli: unknown command '%s'\n\n", argv[1]);
        usage();
        return 2;
    }
    try {
        return it->second(ftcli::Args(argv + 2, argv + argc));
    } catch (const ftcli::UsageError& e) {
        std::fprintf(stderr, "%s: %s\n", argv[1], e.what());
        return 2;
    } catch (const ft::Error& e) {
        std::fprintf(stderr, "error: %s\n  %s\n", e.what(), ft::describe(e.code()));
        return 1;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "error: %s\n", e.what());
        return 1;
    }
}
