// The gradient all-reduce of data-parallel training, measured: N local processes (Gloo over loopback, the CPU path)
// sum a LoRA's gradients in DDP's 25 MB buckets, as GradientSync does each step, and the figures are carried over
// to links between GPUs and machines with a ring all-reduce's traffic (each rank sends and receives
// 2 (N - 1) / N times the gradient bytes).
//
//   ft_bench_allreduce [--processes N] [--steps S] [--shape 8b|demo]
//
// Without RANK in the environment it starts N copies of itself (as ftstudio-cli train --nproc-per-node does).

#include "core/dist/dist_env.h"
#include "core/dist/dist_group.h"
#include "core/dist/local_launch.h"

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

namespace {

// LoRA r16 on every linear layer of a Llama-3-8B shape (32 layers, hidden 4096, 8 KV heads of 128, MLP 14336):
// A (r x in) and B (out x r) per projection. fp32 gradients.
std::vector<int64_t> loraGradientSizes(int layers, int64_t hidden, int64_t kv, int64_t mlp, int64_t r) {
    const std::vector<std::pair<int64_t, int64_t>> projections{{hidden, hidden}, {hidden, kv},  {hidden, kv},
                                                               {hidden, hidden}, {hidden, mlp}, {hidden, mlp},
                                                               {mlp, hidden}};
    std::vector<int64_t> sizes;
    for (int l = 0; l < layers; ++l)
        for (const auto& [in, out] : projections) {
            sizes.push_back(r * in);
            sizes.push_back(out * r);
        }
    return sizes;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

} // namespace

int main(int argc, char** argv) {
    int processes = 2, steps = 10;
    std::string shape = "8b";
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--processes")) processes = std::atoi(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--steps")) steps = std::atoi(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--shape")) shape = argv[i + 1];
    }
    const auto env = ft::distEnvFromEnvironment();
    if (!env) {
        ft::DistEnv base;
        base.worldSize = processes;
        base.masterPort = ft::freeLocalPort();
        ft::LocalLauncher launcher("/proc/self/exe", std::vector<std::string>(argv + 1, argv + argc), base);
        int failed = 0;
        for (const auto& e : launcher.wait(std::chrono::seconds(10)))
            if (!e.ok()) {
                std::fprintf(stderr, "%s\n", ft::describeExit(e).c_str());
                ++failed;
            }
        return failed ? 1 : 0;
    }

    torch::set_num_threads(1);
    const auto sizes = shape == "demo" ? loraGradientSizes(2, 64, 32, 128, 8) : loraGradientSizes(32, 4096, 1024, 14336, 16);
    int64_t elements = 0;
    for (const int64_t n : sizes) elements += n;
    const int64_t bytes = elements * 4;
    // DDP's buckets: 25 MiB each (the first 1 MiB), filled in reverse parameter order.
    std::vector<torch::Tensor> buckets;
    int64_t filled = 0, cap = 1 << 20;
    for (auto it = sizes.rbegin(); it != sizes.rend(); ++it) {
        filled += *it * 4;
        if (filled >= cap || std::next(it) == sizes.rend()) {
            buckets.push_back(torch::ones({filled / 4}, torch::kFloat32));
            filled = 0;
            cap = 25 << 20;
        }
    }
    auto group = ft::DistGroup::join(*env, false);
    std::vector<double> seconds;
    for (int s = 0; s < steps + 2; ++s) {
        const auto start = std::chrono::steady_clock::now();
        for (auto& b : buckets) group->allReduceSum(b);
        if (s >= 2) seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
    const bool exact = buckets.front()[0].item<float>() == float(std::pow(double(env->worldSize), steps + 2));
    if (env->rank == 0) {
        const int n = env->worldSize;
        const double t = median(seconds), ring = 2.0 * (n - 1) / n;
        std::printf("LoRA r%d gradients, %s shape: %lld parameters, %.1f MB fp32 in %zu buckets, %d processes\n",
                    shape == "demo" ? 8 : 16, shape.c_str(), (long long)elements, double(bytes) / 1e6, buckets.size(), n);
        std::printf("  Gloo over loopback on this machine: %.1f ms per step (median of %d), algorithm bandwidth "
                    "%.2f GB/s, bus bandwidth %.2f GB/s; sums exact: %s\n", t * 1e3, steps, double(bytes) / t / 1e9,
                    ring * double(bytes) / t / 1e9, exact ? "yes" : "NO");
        std::printf("  the same all-reduce over other links (ring, %d ranks, bus bandwidth at the link's rate):\n", n);
        const struct { const char* name; double gbps; } links[] = {
            {"NVLink 4 (H100 SXM, NCCL ~360 GB/s bus)", 360.0}, {"PCIe 4 x16 (~25 GB/s)", 25.0},
            {"100 Gb Ethernet (12.5 GB/s)", 12.5}, {"10 Gb Ethernet (1.25 GB/s)", 1.25}};
        for (const auto& l : links)
            std::printf("    %-42s %8.1f ms\n", l.name, ring * double(bytes) / (l.gbps * 1e9) * 1e3);
    }
    group->leave();
    return exact ? 0 : 1;
}
