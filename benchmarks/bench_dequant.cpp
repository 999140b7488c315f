// 4-bit CUDA kernel benchmark (prints figures; not a test). For the linear-layer shapes of Llama 3.1 8B in NF4, with
// and without double quantization: the dequantization kernel (to bf16) against its reference twin (LibTorch ops)
// and the card's peak memory bandwidth, and the fused dequantize + GEMV kernel for batch 1 in bf16 against the twin
// (fp32 dequantize + matmul), dequantize kernel + bf16 matmul, and a dense bf16 matmul of the same weight.
//
//   ft_bench_dequant [ITERATIONS]     default 50; each timed run follows an L2 flush, the median is reported
// Without CUDA kernels in the build or without a GPU it says why and exits 0.

#include "core/device/cuda_support.h"
#include "core/quant/four_bit_device.h"
#include "core/quant/quantizers.h"

#include <torch/torch.h>

#ifdef FT_HAVE_CUDA_KERNELS
#include <c10/cuda/CUDAStream.h>
#include <cuda_runtime_api.h>
#endif

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <vector>

#ifdef FT_HAVE_CUDA_KERNELS
namespace {

struct Shape {
    const char* name;
    int64_t out, in;
};
// Llama 3.1 8B: hidden 4096, 8 KV heads of 128, intermediate 14336.
const Shape kShapes[] = {
    {"q_proj/o_proj", 4096, 4096},
    {"k_proj/v_proj", 1024, 4096},
    {"gate/up_proj", 14336, 4096},
    {"down_proj", 4096, 14336},
};

void check(cudaError_t e, const char* what) {
    if (e != cudaSuccess) {
        std::fprintf(stderr, "%s: %s\n", what, cudaGetErrorString(e));
        std::exit(1);
    }
}

// Times fn on the current stream: each of `iterations` runs is preceded by a write over a buffer twice the L2
// size, so the weights come from DRAM as they do in a model far larger than the cache. Median in microseconds.
class Timer {
public:
    explicit Timer(int iterations) : m_iterations(iterations) {
        int l2 = 0;
        check(cudaDeviceGetAttribute(&l2, cudaDevAttrL2CacheSize, 0), "L2 size");
        m_flush = torch::empty({std::max<int64_t>(2 * int64_t(l2), 1 << 20)}, torch::dtype(torch::kUInt8).device(torch::kCUDA));
        check(cudaEventCreate(&m_start), "event");
        check(cudaEventCreate(&m_stop), "event");
    }
    ~Timer() {
        cudaEventDestroy(m_start);
        cudaEventDestroy(m_stop);
    }
    double medianUs(const std::function<void()>& fn) {
        const auto stream = c10::cuda::getCurrentCUDAStream().stream();
        for (int i = 0; i < 3; ++i) fn();   // warm-up: allocator, cuBLAS handles, kernel loading
        std::vector<double> us;
        for (int i = 0; i < m_iterations; ++i) {
            m_flush.fill_(uint8_t(i));
            check(cudaEventRecord(m_start, stream), "record");
            fn();
            check(cudaEventRecord(m_stop, stream), "record");
            check(cudaEventSynchronize(m_stop), "sync");
            float ms = 0;
            check(cudaEventElapsedTime(&ms, m_start, m_stop), "elapsed");
            us.push_back(double(ms) * 1000.0);
        }
        std::sort(us.begin(), us.end());
        return us[us.size() / 2];
    }

private:
    int m_iterations;
    at::Tensor m_flush;
    cudaEvent_t m_start{}, m_stop{};
};

// Peak DRAM bandwidth in GB/s from the memory clock and bus width (double data rate), 0 if not reported.
double theoreticalBandwidth() {
    int clockKHz = 0, busBits = 0;
    if (cudaDeviceGetAttribute(&clockKHz, cudaDevAttrMemoryClockRate, 0) != cudaSuccess ||
        cudaDeviceGetAttribute(&busBits, cudaDevAttrGlobalMemoryBusWidth, 0) != cudaSuccess)
        return 0.0;
    return 2.0 * clockKHz * 1e3 * (busBits / 8.0) / 1e9;
}

// Device-to-device copy of 1 GiB: bytes read + written per second.
double measuredCopyBandwidth(Timer& timer) {
    const int64_t bytes = int64_t(1) << 30;
    const auto a = torch::empty({bytes}, torch::dtype(torch::kUInt8).device(torch::kCUDA));
    auto b = torch::empty_like(a);
    const auto stream = c10::cuda::getCurrentCUDAStream().stream();
    const double us = timer.medianUs([&] {
        check(cudaMemcpyAsync(b.data_ptr(), a.data_ptr(), size_t(bytes), cudaMemcpyDeviceToDevice, stream), "copy");
    });
    return 2.0 * double(bytes) / (us * 1e3);
}

// The double-quantized form of q, as quantize4Bit(..., doubleQuant=true) builds it from the same absmax.
ft::Quantized4Bit withDoubleQuant(ft::Quantized4Bit q) {
    const auto offset = q.absmax.mean();
    auto [codes, nested] = ft::quantizeBlockwiseDynamic(q.absmax - offset, 256);
    q.absmaxQ = codes;
    q.nestedAbsmax = nested;
    q.offset = offset.item<float>();
    q.absmax = at::Tensor();
    return q;
}

int64_t statBytes(const ft::Quantized4Bit& q) {
    return q.doubleQuant() ? q.absmaxQ.numel() + q.nestedAbsmax.numel() * 4 + 4 : q.absmax.numel() * 4;
}

double gbps(int64_t bytes, double us) { return double(bytes) / (us * 1e3); }

int run(int iterations) {
    const int device = 0;
    cudaDeviceProp prop{};
    check(cudaGetDeviceProperties(&prop, device), "properties");
    Timer timer(iterations);
    const double peakTheory = theoreticalBandwidth();
    const double peakCopy = measuredCopyBandwidth(timer);
    const double peak = peakTheory > 0 ? peakTheory : peakCopy;
    std::printf("%s, %d SMs, L2 %d MiB\n", prop.name, prop.multiProcessorCount, prop.l2CacheSize >> 20);
    std::printf("peak DRAM bandwidth: %.0f GB/s from memory clock x bus width x 2%s; device-to-device copy measures "
                "%.0f GB/s (read + write)\n",
                peakTheory, peakTheory > 0 ? "" : " (not reported: % of peak uses the copy)", peakCopy);
    std::printf("median of %d runs, each after an L2 flush; GB/s = bytes read (packed + statistics [+ x]) + written "
                "/ time\n\n",
                iterations);

    const c10::Device cuda(c10::kCUDA);
    std::printf("%-14s %-11s %3s | %9s %8s %6s | %9s %8s %7s | %s\n", "layer", "shape", "dq", "dequant", "GB/s",
                "%peak", "twin", "GB/s", "speedup", "bit-equal");
    struct GemvRow {
        std::string label;
        double kernel, twin, dequantMatmul, dense;
        int64_t bytes;
    };
    std::vector<GemvRow> gemv;
    for (const auto& s : kShapes) {
        const auto w = torch::randn({s.out, s.in}, torch::kBFloat16);
        const auto plain = ft::quantize4Bit(w, ft::FourBitType::Nf4, 64, false);
        const auto dense = w.to(cuda);
        const auto x = torch::randn({1, s.in}, torch::dtype(torch::kBFloat16).device(cuda));
        for (bool dq : {false, true}) {
            const auto q = ft::toDevice(dq ? withDoubleQuant(plain) : plain, cuda);
            const int64_t n = s.out * s.in;
            const int64_t readBytes = q.packed.numel() + statBytes(q);

            at::Tensor out;
            const double kernelUs = timer.medianUs([&] { out = ft::dequantize4BitCuda(q, torch::kBFloat16); });
            at::Tensor ref;
            const double twinUs = timer.medianUs([&] { ref = ft::dequantize4BitReference(q, torch::kBFloat16); });
            const bool equal = torch::equal(out, ref);
            const int64_t bytes = readBytes + n * 2;
            char shape[32];
            std::snprintf(shape, sizeof shape, "%ldx%ld", long(s.out), long(s.in));
            std::printf("%-14s %-11s %3s | %7.1fus %8.0f %5.1f%% | %7.1fus %8.0f %6.1fx | %s\n", s.name, shape,
                        dq ? "yes" : "no", kernelUs, gbps(bytes, kernelUs), 100.0 * gbps(bytes, kernelUs) / peak,
                        twinUs, gbps(bytes, twinUs), twinUs / kernelUs, equal ? "yes" : "NO");

            GemvRow row;
            row.label = std::string(s.name) + " " + shape + (dq ? " dq" : "");
            row.bytes = readBytes + (s.in + s.out) * 2;
            row.kernel = timer.medianUs([&] { ft::gemv4BitCuda(x, q); });
            row.twin = timer.medianUs([&] { ft::gemv4BitReference(x, q); });
            row.dequantMatmul =
                timer.medianUs([&] { at::matmul(x, ft::dequantize4BitCuda(q, torch::kBFloat16).t()); });
            row.dense = timer.medianUs([&] { at::matmul(x, dense.t()); });
            gemv.push_back(row);
        }
    }

    std::printf("\nbatch-1 GEMV, bf16 x and y (kernel GB/s counts packed + statistics + x + y)\n");
    std::printf("%-30s | %9s %8s %6s | %9s %13s %11s\n", "layer", "fused", "GB/s", "%peak", "twin",
                "dequant+mm", "dense bf16");
    for (const auto& r : gemv)
        std::printf("%-30s | %7.1fus %8.0f %5.1f%% | %7.1fus %11.1fus %9.1fus\n", r.label.c_str(), r.kernel,
                    gbps(r.bytes, r.kernel), 100.0 * gbps(r.bytes, r.kernel) / peak, r.twin, r.dequantMatmul,
                    r.dense);
    return 0;
}

} // namespace
#endif

int main(int argc, char** argv) {
    const int iterations = argc > 1 ? std::max(1, std::atoi(argv[1])) : 50;
    if (!ft::loadCudaSupport()) {
        std::printf("ft_bench_dequant: CUDA support not loaded (%s); run it on a GPU machine.\n",
                    ft::cudaSupportProblem().c_str());
        return 0;
    }
    if (!ft::fourBitCudaKernelsBuilt()) {
        std::printf("ft_bench_dequant: this build has no CUDA kernels (no nvcc at configure time, or "
                    "FT_BUILD_CUDA_KERNELS=OFF); nothing to measure.\n");
        return 0;
    }
    if (!ft::cudaAvailable()) {
        std::printf("ft_bench_dequant: no CUDA device (torch::cuda::is_available() is false); run it on a GPU "
                    "machine.\n");
        return 0;
    }
#ifdef FT_HAVE_CUDA_KERNELS
    torch::NoGradGuard noGrad;
    return run(iterations);
#else
    return 0;
#endif
}
