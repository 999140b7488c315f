#include "commands.h"

#include "cli_args.h"

#include "core/demo/demo.h"
#include "core/dist/dist_env.h"
#include "core/train/training_run.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <optional>
#include <stdexcept>

namespace ftcli {

namespace {

std::string formatDuration(double seconds) {
    const int s = int(seconds + 0.5);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%d:%02d", s / 60, s % 60);
    return buf;
}

// TRL's metrics on one line under the step's, by TRL's names (`name` "eval_" for evaluations).
void printPreferenceMetrics(const char* name, const std::map<std::string, double>& metrics) {
    if (metrics.empty()) return;
    std::string line = "         ";
    char buf[96];
    for (const auto& [key, value] : metrics) {
        std::snprintf(buf, sizeof buf, " %s%s %.4f", name, key.c_str(), value);
        line += buf;
    }
    std::printf("%s\n", line.c_str());
}

} // namespace

int makeDemo(const Args& args) {
    if (args.size() != 1) {
        std::fputs("usage: ftstudio-cli make-demo DIR\n", stderr);
        return 2;
    }
    ft::makeDemo(args[0]);
    std::printf("demo written to %s (model/, data/, project.json)\n", args[0].c_str());
    return 0;
}

int train(const Args& argsIn) {
    Args args = argsIn;
    ft::RunOptions options;
    try {
        // N local processes: this one is rank 0 and starts the others (the project's training.processes without it).
        if (auto n = takeOption(args, "--nproc-per-node")) {
            options.localProcesses = toInt(*n, "--nproc-per-node");
            if (options.localProcesses < 1 || options.localProcesses > 1024)
                throw UsageError("--nproc-per-node expects 1 to 1024 processes");
            if (std::getenv("RANK")) throw UsageError("--nproc-per-node starts the ranks itself: not under torchrun");
        }
        if (auto out = takeOption(args, "--out")) options.outDir = *out;
        if (auto steps = takeOption(args, "--max-steps")) options.maxSteps = toInt(*steps, "--max-steps");
        options.resume = takeFlag(args, "--resume");
        if (auto from = takeOption(args, "--resume-from")) options.resumeFrom = *from;
        if (args.size() != 1) throw UsageError("expects exactly one PROJECT.json");
    } catch (const UsageError& e) {
        std::fprintf(stderr, "train: %s\nusage: ftstudio-cli train PROJECT.json [--out DIR] [--max-steps N] "
                             "[--resume | --resume-from CHECKPOINT] [--nproc-per-node N]\n", e.what());
        return 2;
    }
    // Under torchrun, srun or by-hand starts: one rank of a data-parallel run. Only rank 0 reports.
    options.distributed = ft::distEnvFromEnvironment();
    options.workerProgram = std::filesystem::read_symlink("/proc/self/exe");
    const bool leader = !options.distributed || options.distributed->rank == 0;
    ft::TrainingRun run(ft::loadProject(args[0]), options);
    if (!run.outDir().empty()) {  // empty: the run was refused, and start() reports why
        std::printf("run: %s\n", run.outDir().c_str());
        std::fflush(stdout);
    }
    std::optional<ft::Error> failure;
    ft::RunState final = ft::RunState::Idle;
    run.start({
        .onPrepared =
            [leader](const ft::RunSummary& s) {
                if (!leader) return;
                if (s.processes > 1)
                    std::printf("data-parallel: %d processes on %s, global batch %d (batch_size x %d x "
                                "gradient_accumulation_steps)\n", s.processes, s.device.c_str(), s.globalBatch,
                                s.processes);
                if (s.resumedFromStep > 0) std::printf("resumed from the checkpoint of step %d\n", s.resumedFromStep);
                if (s.restartedFromStepZero) std::printf("no checkpoint yet: the run starts again from step 0\n");
                if (s.trainRows != s.trainExamples)
                    std::printf("packing: %d training examples in %d rows of up to max_seq_length tokens\n",
                                s.trainExamples, s.trainRows);
                if (s.longPromptRows > 0)
                    std::printf("left out: %d rows whose prompt alone fills max_seq_length (no answer token would "
                                "remain)\n", s.longPromptRows);
                if (s.promptCutRows > 0)
                    std::printf("note: in %d rows the prompt tokenized alone is not a prefix of prompt + answer (a "
                                "template that renders the prompt alone differently, or a space at its end); the "
                                "answer starts where they differ, as in TRL\n", s.promptCutRows);
                if (s.referencePrecomputed)
                    std::printf("reference: log-probs of every row taken from the model as loaded (full fine-tuning "
                                "keeps no second copy)\n");
                std::printf("prepared: %d train / %d validation examples, %d bad rows skipped, %d truncated\n"
                            "          %lld of %lld parameters trainable (%.2f%%), %d steps on %s\n",
                            s.trainExamples, s.validationExamples, s.skippedRows, s.truncatedExamples,
                            (long long)s.trainableParameters, (long long)s.totalParameters,
                            100.0 * double(s.trainableParameters) / double(std::max<int64_t>(1, s.totalParameters)),
                            s.totalSteps, s.device.c_str());
                std::fflush(stdout);
            },
        .onStep =
            [](const ft::StepMetrics& m) {
                std::printf("step %4d/%d  epoch %5.2f  loss %.4f  lr %.2e  grad %.3f  %6.0f tok/s  eta %s  mem %.0f MiB\n",
                            m.step, m.totalSteps, m.epoch, m.loss, m.learningRate, m.gradNorm, m.tokensPerSecond,
                            formatDuration(m.etaSeconds).c_str(), double(m.memoryBytes) / (1 << 20));
                printPreferenceMetrics("", m.preference);
                if (m.allReduceBytes > 0)
                    std::printf("          all-reduce %.2f MB in %.1f ms (%.1f ms after backward)\n",
                                double(m.allReduceBytes) / 1e6, m.allReduceSeconds * 1e3, m.allReduceWaitSeconds * 1e3);
                std::fflush(stdout);
            },
        .onEval =
            [](const ft::EvalMetrics& e) {
                if (e.preference.empty())
                    std::printf("eval @ step %d: loss %.4f  perplexity %.2f\n", e.step, e.loss, e.perplexity);
                else
                    std::printf("eval @ step %d: loss %.4f\n", e.step, e.loss);
                printPreferenceMetrics("eval_", e.preference);
                std::fflush(stdout);
            },
        .onCheckpoint =
            [](int step, const std::filesystem::path& dir) {
                std::printf("checkpoint @ step %d: %s\n", step, dir.c_str());
                std::fflush(stdout);
            },
        .onFinished = [&](ft::RunState s, const std::optional<ft::Error>& e) {
            final = s;
            failure = e;
        },
    });
    run.wait();
    if (failure) throw *failure;
    if (final != ft::RunState::Finished) {
        std::fprintf(stderr, "training %s\n", ft::runStateName(final));
        return 1;
    }
    if (leader) std::printf("done: adapter written to %s\n", ft::runAdapterDir(run.outDir()).c_str());
    return 0;
}

int runs(const Args& args) {
    if (args.size() != 1) {
        std::fputs("usage: ftstudio-cli runs PROJECT.json\n", stderr);
        return 2;
    }
    std::fputs(ft::runsToJson(ft::listRuns(ft::runsRoot(ft::loadProject(args[0])))).c_str(), stdout);
    return 0;
}

} // namespace ftcli
