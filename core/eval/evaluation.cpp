#include "core/eval/evaluation.h"

#include "core/common/error.h"
#include "core/data/dataset.h"
#include "core/eval/text_metrics.h"
#include "core/io/safetensors.h"
#include "core/model/autocast_scope.h"
#include "core/model/decoder.h"
#include "core/model/generator.h"
#include "core/model/model_folder.h"
#include "core/peft/methods.h"
#include "core/text/tokenizer.h"
#include "core/train/batches.h"
#include "core/train/checkpoint_info.h"
#include "core/train/example_encoder.h"
#include "core/train/project_method.h"
#include "core/train/run_folder.h"
#include "core/train/trainer.h"
#include "core/train/training_data.h"

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <numeric>

namespace ft {

namespace fs = std::filesystem;

namespace {

// A held-out row in tokens: what is scored (as training scores it) and what is asked.
struct Item {
    TokenizedExample scored;    // instruct and raw text as trained; preference: prompt + chosen answer
    TokenizedExample rejected;  // preference pairs: prompt + rejected answer; empty otherwise
    std::vector<int> prompt;    // the generation prompt
};

// A preference row's sequence with its prompt unscored.
TokenizedExample promptMasked(const std::vector<int>& ids, int prompt) {
    TokenizedExample e;
    e.ids = ids;
    e.labels = ids;
    std::fill(e.labels.begin(), e.labels.begin() + std::min<size_t>(size_t(prompt), e.labels.size()), kIgnoreIndex);
    return e;
}

const ChatMessage* lastOf(const std::vector<ChatMessage>& messages, const std::string& role) {
    const auto it = std::find_if(messages.rbegin(), messages.rend(), [&](const ChatMessage& m) { return m.role == role; });
    return it == messages.rend() ? nullptr : &*it;
}

std::string answerText(const PreferenceAnswers& a) {
    if (!a.conversational) return a.chosen;
    const ChatMessage* m = lastOf(a.chosenMessages, "assistant");
    return m ? m->content : std::string();
}

std::string trimmed(const std::string& s) {
    const auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return {};
    return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

struct Prepared {
    std::vector<Item> items;
    std::vector<EvalRow> rows;
    int padId = 0;
    int skippedRows = 0;
    std::vector<std::string> rowErrors;
};

Prepared prepareItems(const Project& project, const ModelFolder& folder, const ExampleEncoder& encoder,
                      const EvalOptions& options) {
    Project p = project;
    Dataset data;
    if (options.data.empty()) {
        data = loadProjectDataset(p);
    } else {
        p.dataset = fs::absolute(options.data).string();
        p.datasetFormat.clear();
        p.datasetColumns.clear();
        data = loadDataset(options.data, datasetKindOf(p.kind), DatasetOptions{});
    }
    PrepareOptions prepare;
    prepare.allHeldOut = !options.data.empty();
    const TrainingData td = prepareTrainingData(p, folder, data, prepare);

    Prepared out;
    out.padId = td.padId;
    out.skippedRows = td.skippedRows;
    for (const auto& e : data.errors) out.rowErrors.push_back(e.file + ":" + std::to_string(e.line) + ": " + e.reason);
    const std::string file = p.resolve(p.dataset).string();
    std::map<int, const Example*> byLine;
    for (const auto& ex : data.examples) byLine.emplace(ex.line, &ex);
    const auto exampleAt = [&](int line) -> const Example& {
        const auto it = byLine.find(line);
        if (it == byLine.end()) throw Error(ErrorCode::Internal, file + ":" + std::to_string(line), "no row at this line");
        return *it->second;
    };

    const auto& tok = encoder.tokenizer();
    const auto decodeAnswer = [&](std::vector<int> ids) {
        ids.erase(std::remove_if(ids.begin(), ids.end(), [&](int t) { return t == tok.eosId() || t == tok.bosId(); }), ids.end());
        return tok.decode(ids);
    };

    if (project.kind == FinetuneKind::Preference) {
        for (const auto& v : td.preferenceValidation) {
            const Example& ex = exampleAt(v.line);
            Item item;
            item.scored = promptMasked(v.chosen, v.chosenPrompt);
            item.prompt.assign(v.chosen.begin(), v.chosen.begin() + v.chosenPrompt);
            EvalRow row;
            row.line = v.line;
            const ChatMessage* user = lastOf(ex.messages, "user");
            row.prompt = ex.preference && ex.preference->conversational ? (user ? user->content : std::string()) : ex.text;
            if (v.desirable.has_value()) {
                // KTO's unpaired rows: a desirable completion is the answer to match; an undesirable one is neither
                // scored nor a reference (its loss going up is the point).
                if (*v.desirable) row.reference = decodeAnswer({v.chosen.begin() + v.chosenPrompt, v.chosen.end()});
                else std::fill(item.scored.labels.begin(), item.scored.labels.end(), kIgnoreIndex);
            } else {
                item.rejected = promptMasked(v.rejected, v.rejectedPrompt);
                row.reference = ex.preference ? answerText(*ex.preference) : std::string();
            }
            out.items.push_back(std::move(item));
            out.rows.push_back(std::move(row));
        }
    } else if (project.kind == FinetuneKind::Base) {
        for (const auto& v : td.validation) {
            // A block: its first half is the prompt, how it goes on the reference.
            Item item;
            item.scored = v;
            const size_t half = std::max<size_t>(1, v.ids.size() / 2);
            item.prompt.assign(v.ids.begin(), v.ids.begin() + half);
            const size_t end = std::min(v.ids.size(), half + size_t(std::max(1, options.maxNewTokens)));
            EvalRow row;
            row.line = v.line;
            row.prompt = decodeAnswer(item.prompt);
            row.reference = decodeAnswer({v.ids.begin() + half, v.ids.begin() + end});
            out.items.push_back(std::move(item));
            out.rows.push_back(std::move(row));
        }
    } else {
        for (const auto& v : td.validation) {
            const Example& ex = exampleAt(v.line);
            size_t last = ex.messages.size();
            while (last > 0 && ex.messages[last - 1].role != "assistant") --last;
            if (last == 0) continue;  // nothing to answer (the encoder refuses such rows before this)
            const std::vector<ChatMessage> asked(ex.messages.begin(), ex.messages.begin() + (last - 1));
            Item item;
            item.scored = v;
            item.prompt = tok.encode(encoder.render(asked, /*addGenerationPrompt=*/true)).ids;
            EvalRow row;
            row.line = v.line;
            const ChatMessage* user = lastOf(asked, "user");
            row.prompt = user ? user->content : std::string();
            row.reference = ex.messages[last - 1].content;
            out.items.push_back(std::move(item));
            out.rows.push_back(std::move(row));
        }
    }
    if (options.maxExamples > 0 && out.items.size() > size_t(options.maxExamples)) {
        out.items.resize(size_t(options.maxExamples));
        out.rows.resize(size_t(options.maxExamples));
    }
    if (out.items.empty())
        throw Error(ErrorCode::InvalidValue, options.data.empty() ? "training.validation_fraction" : options.data.string(),
                    options.data.empty() ? "the project holds no rows out for validation; raise validation_fraction "
                                           "above 0 or evaluate on a file (--data)"
                                         : "no usable rows to evaluate");
    return out;
}

// A full fine-tune's trained tensors over the base, by name.
void loadFullWeights(CausalLM& lm, const fs::path& file) {
    const auto st = SafetensorsFile::open(file);
    torch::NoGradGuard noGrad;
    for (auto& p : lm->named_parameters()) {
        if (!st.find(p.key())) continue;  // frozen ones (none for full fine-tuning) stay the base's
        const auto t = st.tensor(p.key());
        if (t.sizes() != p.value().sizes())
            throw Error(ErrorCode::InvalidValue, file.string() + ": " + p.key(), "its shape does not match the model");
        p.value().copy_(t);
    }
}

CausalLM loadSide(const Project& project, const TunedSource* tuned) {
    const torch::Dtype dtype = computeDtypeNamed(project.training.dtype, "training.dtype");
    if (!tuned) return loadCausalLM(project.resolve(project.model), dtype);
    if (tuned->mergedModel) return loadCausalLM(tuned->model, dtype);
    CausalLM lm = tuned->qlora ? loadCausalLM4Bit(tuned->model, *tuned->qlora) : loadCausalLM(tuned->model, dtype);
    if (!tuned->adapter.empty()) loadMethodAdapter(lm, tuned->adapter);
    else if (!tuned->fullWeights.empty()) loadFullWeights(lm, tuned->fullWeights);
    return lm;
}

int scoredTokens(const std::vector<int>& labels) {
    return int(std::count_if(labels.begin() + std::min<size_t>(1, labels.size()), labels.end(), [](int l) { return l != kIgnoreIndex; }));
}

// Rows in batches of similar length (longest first: a memory problem shows at once), in index order within each.
std::vector<std::vector<size_t>> batchesByLength(const std::vector<size_t>& lengths, int batchSize) {
    std::vector<size_t> order(lengths.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return lengths[a] > lengths[b]; });
    std::vector<std::vector<size_t>> out;
    for (size_t i = 0; i < order.size(); i += size_t(batchSize))
        out.emplace_back(order.begin() + i, order.begin() + std::min(order.size(), i + size_t(batchSize)));
    return out;
}

class Evaluator {
public:
    Evaluator(const Project& project, const EvalOptions& options, const ModelFolder& folder, const ModelTokenizer& tokenizer,
              Prepared& prepared)
        : m_project(project), m_options(options), m_folder(folder), m_tokenizer(tokenizer), m_prep(prepared),
          m_device(trainingDevice(options.device)) {}

    // Fills answer `side` of every row.
    void run(CausalLM lm, int side, int sides) {
        lm->to(m_device);
        lm->eval();
        torch::NoGradGuard noGrad;
        const std::optional<at::ScalarType> autocast =
            m_project.training.mixedPrecision == "bf16" ? std::optional<at::ScalarType>(at::kBFloat16) : std::nullopt;
        const AutocastScope scope(m_device.type(), autocast);
        for (auto& row : m_prep.rows) row.answers.resize(size_t(sides));
        scoreLosses(lm, side, sides);
        generateAnswers(lm, side, sides);
    }

private:
    bool cancelled() const { return m_options.cancel && m_options.cancel->load(); }
    void report(int side, int sides, const char* stage, int done, int total) {
        if (cancelled() || (m_options.progress && !m_options.progress({side, sides, stage, done, total})))
            throw Error(ErrorCode::Cancelled, "evaluation", "stopped");
    }

    void scoreLosses(CausalLM& lm, int side, int sides) {
        auto& items = m_prep.items;
        std::vector<size_t> lengths;
        for (const auto& it : items) lengths.push_back(std::max(it.scored.ids.size(), it.rejected.ids.size()));
        int done = 0;
        for (const auto& batch : batchesByLength(lengths, std::max(1, m_options.batchSize))) {
            const auto sums = [&](TokenizedExample Item::*which) {
                std::vector<const TokenizedExample*> rows;
                for (size_t i : batch) rows.push_back(&(items[i].*which));
                const Batch b = makeBatch(rows, m_prep.padId, m_device);
                return lm->tokenLogProbs(b.ids, b.labels).to(torch::kFloat64).sum(1).to(torch::kCPU);  // (B) summed log p
            };
            const torch::Tensor chosen = sums(&Item::scored);
            const bool pairs = !items[batch.front()].rejected.ids.empty();
            const torch::Tensor rejected = pairs ? sums(&Item::rejected) : torch::Tensor();
            for (size_t k = 0; k < batch.size(); ++k) {
                const size_t i = batch[k];
                EvalAnswer& a = m_prep.rows[i].answers[size_t(side)];
                a.tokens = scoredTokens(items[i].scored.labels);
                const double logp = chosen[int64_t(k)].item<double>();
                a.loss = a.tokens > 0 ? -logp / a.tokens : std::nan("");
                if (pairs) {
                    a.logpChosen = logp;
                    a.logpRejected = rejected[int64_t(k)].item<double>();
                }
            }
            done += int(batch.size());
            report(side, sides, "loss", done, int(items.size()));
        }
    }

    void generateAnswers(CausalLM& lm, int side, int sides) {
        GenerationOptions g = m_folder.generation;
        g.maxNewTokens = m_options.maxNewTokens;
        g.doSample = m_options.sample;
        g.temperature = m_options.temperature;
        g.topP = m_options.topP;
        g.topK = 0;
        g.repetitionPenalty = 1.0;
        g.seed = m_options.seed;
        if (m_tokenizer.eosId() >= 0 && std::find(g.eosTokenIds.begin(), g.eosTokenIds.end(), m_tokenizer.eosId()) == g.eosTokenIds.end())
            g.eosTokenIds.push_back(m_tokenizer.eosId());
        const auto isEos = [&](int t) { return std::find(g.eosTokenIds.begin(), g.eosTokenIds.end(), t) != g.eosTokenIds.end(); };
        auto& items = m_prep.items;
        // Longest prompts first (less padding among the first rows); finished rows' places go to the next prompts.
        std::vector<size_t> order(items.size());
        std::iota(order.begin(), order.end(), 0);
        std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return items[a].prompt.size() > items[b].prompt.size(); });
        std::vector<std::vector<int>> prompts;
        for (size_t i : order) prompts.push_back(items[i].prompt);
        int done = 0;
        const int total = int(items.size());
        std::vector<int> generated(prompts.size(), 0);  // per prompt, to count the rows that are done
        const auto onToken = [&](size_t k, int token) {
            if (cancelled()) return false;
            if (isEos(token) || ++generated[k] >= g.maxNewTokens) report(side, sides, "generating", ++done, total);
            return true;
        };
        const auto answers = generateBatch(lm, prompts, g, m_prep.padId, onToken, std::max(1, m_options.batchSize));
        if (cancelled()) throw Error(ErrorCode::Cancelled, "evaluation", "stopped");
        for (size_t k = 0; k < order.size(); ++k) {
            std::vector<int> ids = answers[k];
            while (!ids.empty() && isEos(ids.back())) ids.pop_back();
            EvalRow& row = m_prep.rows[order[k]];
            EvalAnswer& a = row.answers[size_t(side)];
            a.newTokens = int(ids.size());
            a.text = trimmed(m_tokenizer.decode(ids));
            if (!row.reference.empty()) {
                a.exactMatch = exactMatch(a.text, row.reference);
                a.tokenF1 = tokenF1(a.text, row.reference);
                a.rougeL = rougeL(a.text, row.reference, RougeTokenizer::Default);
                a.rougeLUnicode = rougeL(a.text, row.reference, RougeTokenizer::Unicode);
            }
        }
    }

    const Project& m_project;
    const EvalOptions& m_options;
    const ModelFolder& m_folder;
    const ModelTokenizer& m_tokenizer;
    Prepared& m_prep;
    torch::Device m_device;
};

// TRL's DPO rewards of a pair, β · (log π − log π_ref) per answer, with the base as the reference: (chosen, rejected).
std::pair<double, double> pairRewards(const EvalAnswer& a, const EvalAnswer& base, double beta) {
    return {beta * (*a.logpChosen - *base.logpChosen), beta * (*a.logpRejected - *base.logpRejected)};
}

EvalScores summarize(const std::vector<EvalRow>& rows, size_t side, double beta) {
    EvalScores s;
    double nll = 0;
    int answered = 0, pairs = 0, logpWins = 0, rewardWins = 0;
    double margins = 0;
    for (const auto& row : rows) {
        const EvalAnswer& a = row.answers[side];
        if (a.tokens > 0) {
            nll += a.loss * a.tokens;
            s.tokens += a.tokens;
        }
        if (!row.reference.empty()) {
            ++answered;
            s.exactMatch += a.exactMatch;
            s.tokenF1 += a.tokenF1;
            s.rougeL += a.rougeL;
            s.rougeLUnicode += a.rougeLUnicode;
        }
        if (a.logpChosen && a.logpRejected) {
            ++pairs;
            logpWins += *a.logpChosen > *a.logpRejected ? 1 : 0;
            const auto [chosen, rejected] = pairRewards(a, row.answers[0], beta);  // 0 for the base itself
            rewardWins += chosen > rejected ? 1 : 0;
            margins += chosen - rejected;
        }
    }
    s.loss = s.tokens > 0 ? nll / double(s.tokens) : std::nan("");
    s.perplexity = std::exp(s.loss);
    if (answered > 0) {
        s.exactMatch /= answered;
        s.tokenF1 /= answered;
        s.rougeL /= answered;
        s.rougeLUnicode /= answered;
    }
    if (pairs > 0) {
        s.rewardAccuracy = double(rewardWins) / pairs;
        s.rewardMargin = margins / pairs;
        s.logpAccuracy = double(logpWins) / pairs;
    }
    return s;
}

bool isModelFolder(const fs::path& dir) { return fs::is_regular_file(dir / "config.json"); }
bool isAdapterFolder(const fs::path& dir) {
    return fs::is_regular_file(dir / "adapter_config.json") || fs::is_regular_file(dir / "adapter_model.safetensors");
}

} // namespace

std::filesystem::path newestEvaluableRun(const Project& project) {
    const auto runs = listRuns(runsRoot(project));
    for (auto it = runs.rbegin(); it != runs.rend(); ++it)
        if (!it->latestCheckpoint.empty()) return it->dir;
    throw Error(ErrorCode::FileNotFound, runsRoot(project).string(),
                "no run of this project has a checkpoint yet; train first, or name a run, checkpoint or exported "
                "adapter to evaluate");
}

TunedSource resolveTunedSource(const Project& project, const std::filesystem::path& path) {
    TunedSource s;
    s.path = path;
    if (!fs::is_directory(path))
        throw Error(ErrorCode::FileNotFound, path.string(), "no such folder; name a run folder, a checkpoint, an adapter folder or a model folder");
    const bool run = fs::is_directory(runCheckpointsDir(path));
    const bool checkpoint = fs::is_regular_file(path / "trainer_state.json");
    if (run || checkpoint) {
        const CheckpointExport c = checkpointExport(path);
        s.model = c.model;
        s.adapter = c.adapter;
        s.fullWeights = c.fullWeights;
        s.method = c.method;
        s.qlora = c.qlora;
        const fs::path runDir = run ? path : c.checkpoint.parent_path().parent_path();
        s.name = runDir.lexically_normal().filename().string() + (run ? "" : "/" + c.checkpoint.filename().string());
        if (s.name.empty() || s.name == ".") s.name = fs::absolute(runDir).lexically_normal().parent_path().filename().string();
        return s;
    }
    s.name = fs::absolute(path).lexically_normal().filename().string();
    if (s.name.empty()) s.name = fs::absolute(path).lexically_normal().parent_path().filename().string();
    if (isAdapterFolder(path)) {
        s.model = project.resolve(project.model);
        s.adapter = path;
        s.method = project.method;
        if (projectMethod(project).needsFourBitBase) s.qlora = project.qlora;
        return s;
    }
    if (isModelFolder(path)) {
        s.model = path;
        s.mergedModel = true;
        s.method = "merged";
        return s;
    }
    throw Error(ErrorCode::InvalidValue, path.string(),
                "not a run folder, a checkpoint, an adapter folder (adapter_config.json) or a model folder (config.json)");
}

EvalReport evaluateProject(const Project& project, const EvalOptions& options) {
    const auto started = std::chrono::steady_clock::now();
    std::vector<TunedSource> tuned;
    for (const auto& t : options.tuned) tuned.push_back(resolveTunedSource(project, t));
    if (tuned.empty()) tuned.push_back(resolveTunedSource(project, newestEvaluableRun(project)));
    const int sides = int(tuned.size()) + 1;

    const ModelFolder folder = openModelFolder(project.resolve(project.model));
    if (options.progress && !options.progress({0, sides, "loading", 0, 0})) throw Error(ErrorCode::Cancelled, "evaluation", "stopped");
    // One encoder renders the prompts (with the template training used) and decodes the answers.
    ModelFolder templated = folder;
    if (!project.chatTemplate.empty()) templated.chatTemplate = project.chatTemplate;
    const ExampleEncoder encoder(templated);
    Prepared prepared = prepareItems(project, folder, encoder, options);

    EvalReport report;
    report.project = project.name;
    report.projectFile = project.file;
    report.dataFile = options.data.empty() ? project.resolve(project.dataset) : options.data;
    report.model = project.resolve(project.model);
    report.kind = finetuneKindName(project.kind);
    report.method = project.method;
    report.heldOut = options.data.empty();
    report.skippedRows = prepared.skippedRows;
    report.rowErrors = prepared.rowErrors;
    report.maxNewTokens = options.maxNewTokens;
    report.sampled = options.sample;
    report.seed = options.seed;

    Evaluator evaluator(project, options, folder, encoder.tokenizer(), prepared);
    report.sides.push_back({"base", report.model.string(), {}});
    evaluator.run(loadSide(project, nullptr), 0, sides);
    for (size_t i = 0; i < tuned.size(); ++i) {
        if (options.progress && !options.progress({int(i) + 1, sides, "loading", 0, 0}))
            throw Error(ErrorCode::Cancelled, "evaluation", "stopped");
        report.sides.push_back({tuned[i].name, tuned[i].path.string(), {}});
        evaluator.run(loadSide(project, &tuned[i]), int(i) + 1, sides);
    }
    report.rows = std::move(prepared.rows);
    const double beta = project.preference.beta;
    for (size_t s = 0; s < report.sides.size(); ++s) {
        report.sides[s].scores = summarize(report.rows, s, beta);
        if (s == 0) continue;
        for (auto& row : report.rows)
            if (auto& a = row.answers[s]; a.logpChosen && a.logpRejected) {
                const auto [chosen, rejected] = pairRewards(a, row.answers[0], beta);
                a.reward = chosen - rejected;
            }
    }
    report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return report;
}

} // namespace ft
