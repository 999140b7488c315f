// ftstudio-cli tokenize / chat-template: what the model will actually see, printed exactly.

#include "cli_args.h"
#include "commands.h"

#include "core/common/error.h"
#include "core/io/atomic_file.h"
#include "core/io/json_error.h"
#include "core/model/model_folder.h"
#include "core/text/bpe_tokenizer.h"
#include "core/text/chat_template.h"
#include "core/text/tokenizer.h"

#include <cstdio>
#include <nlohmann/json.hpp>

namespace ftcli {

int tokenize(const Args& argsIn) {
    Args args = argsIn;
    const auto tokenizerFile = takeOption(args, "--tokenizer");
    const auto model = takeOption(args, "--model");
    const auto text = takeOption(args, "--text");
    const auto textFile = takeOption(args, "--text-file");
    if (!args.empty() || bool(tokenizerFile) == bool(model) || bool(text) == bool(textFile))
        throw UsageError("usage: ftstudio-cli tokenize (--tokenizer FILE | --model DIR) (--text TEXT | --text-file FILE)");
    const std::string input = text ? *text : ft::readFile(*textFile);

    ft::Encoding enc;
    if (tokenizerFile) {
        // The tokenizer file alone: exactly the library's encode, nothing added.
        const bool json = std::filesystem::path(*tokenizerFile).extension() == ".json";
        enc = (json ? ft::loadTokenizerJson(*tokenizerFile) : ft::loadSentencePiece(*tokenizerFile))->encode(input);
    } else {
        // Through the folder: its special tokens, and BOS / EOS where tokenizer(text) adds them.
        const ft::ModelFolder folder = ft::openModelFolder(*model);
        const ft::ModelTokenizer tok(folder);
        enc = tok.encode(input);
        const auto pieceOf = [&](int id) { return tok.base().idToPiece(id); };
        for (auto it = tok.specialPrefix().rbegin(); it != tok.specialPrefix().rend(); ++it) {
            enc.ids.insert(enc.ids.begin(), *it);
            enc.pieces.insert(enc.pieces.begin(), pieceOf(*it));
        }
        for (int id : tok.specialSuffix()) {
            enc.ids.push_back(id);
            enc.pieces.push_back(pieceOf(id));
        }
    }
    nlohmann::ordered_json j{{"ids", enc.ids}, {"pieces", enc.pieces}};
    std::printf("%s\n", j.dump(-1, ' ', /*ensure_ascii=*/false, nlohmann::json::error_handler_t::replace).c_str());
    return 0;
}

int chatTemplate(const Args& argsIn) {
    Args args = argsIn;
    const auto templateFile = takeOption(args, "--template");
    const auto model = takeOption(args, "--model");
    const auto messagesFile = takeOption(args, "--messages");
    const auto toolsFile = takeOption(args, "--tools");
    const auto bos = takeOption(args, "--bos-token");
    const auto eos = takeOption(args, "--eos-token");
    ft::ChatTemplateOptions options;
    options.addGenerationPrompt = takeFlag(args, "--add-generation-prompt");
    if (!args.empty() || bool(templateFile) == bool(model) || !messagesFile)
        throw UsageError("usage: ftstudio-cli chat-template (--template FILE | --model DIR) --messages FILE.json "
                         "[--tools FILE.json] [--add-generation-prompt] [--bos-token S] [--eos-token S]");

    std::string source, name;
    if (templateFile) {
        source = ft::readFile(*templateFile);
        name = *templateFile;
    } else {
        const ft::ModelFolder folder = ft::openModelFolder(*model);
        if (folder.chatTemplate.empty())
            throw ft::Error(ft::ErrorCode::MissingField, (folder.dir / "tokenizer_config.json").string() + ": chat_template",
                            "this model has no chat template");
        source = folder.chatTemplate;
        name = (folder.dir / "tokenizer_config.json").string() + ": chat_template";
        options.bosToken = folder.bosToken;
        options.eosToken = folder.eosToken;
    }
    if (bos) options.bosToken = *bos;
    if (eos) options.eosToken = *eos;

    auto readOrdered = [](const std::string& file) {
        try {
            return nlohmann::ordered_json::parse(ft::readFile(file));
        } catch (const nlohmann::json::exception& e) {  // parse_error, and out_of_range for 1e999
            throw ft::Error(ft::ErrorCode::ParseError, file, ft::describeJsonError(e));
        }
    };
    const auto messages = readOrdered(*messagesFile);
    nlohmann::ordered_json tools;
    if (toolsFile) {
        tools = readOrdered(*toolsFile);
        options.tools = &tools;
    }
    std::string out;
    try {
        out = ft::ChatTemplate::compile(source, name).render(messages, options);
    } catch (const ft::Error& e) {
        if (e.code() != ft::ErrorCode::TemplateRaised) throw;
        std::fprintf(stderr, "%s\n", e.detail().c_str());  // the template's own message, as raise_exception gave it
        return 2;
    }
    std::fwrite(out.data(), 1, out.size(), stdout);
    return 0;
}

} // namespace ftcli
