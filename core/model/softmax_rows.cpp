#include "core/model/softmax_rows.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>

// The loops are written to vectorise (OpenMP simd reductions, no branches); GCC builds them for AVX-512, AVX2 and
// baseline x86-64 and picks one when the library loads.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define FT_VECTOR_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define FT_VECTOR_CLONES
#endif

namespace ft {

namespace {

// exp(x) for the x <= 0 of a shifted softmax: Cephes' expf (relative error ~1e-7), 2^n * p(r), without branches.
inline float expNonPositive(float x) {
    x = x < -87.0f ? -87.0f : x;
    const float n = std::floor(x * 1.44269504088896341f + 0.5f);
    const float r = x - n * 0.693359375f + n * 2.12194440e-4f;
    float p = 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    p = p * r * r + r + 1.0f;
    return p * std::bit_cast<float>((int32_t(n) + 127) << 23);
}

// The row's maximum; *finite says whether every entry is finite (x - x is 0 for those, NaN for inf and NaN).
FT_VECTOR_CLONES float rowMax(const float* x, int64_t n, bool* finite) {
    float m = -std::numeric_limits<float>::infinity(), poison = 0.0f;
#pragma omp simd reduction(max : m) reduction(+ : poison)
    for (int64_t j = 0; j < n; ++j) {
        m = x[j] > m ? x[j] : m;
        poison += x[j] - x[j];
    }
    *finite = poison == 0.0f;
    return m;
}

FT_VECTOR_CLONES float expShiftedSum(float* x, int64_t n, float shift) {
    float sum = 0.0f;
#pragma omp simd reduction(+ : sum)
    for (int64_t j = 0; j < n; ++j) {
        const float e = expNonPositive(x[j] - shift);
        x[j] = e;
        sum += e;
    }
    return sum;
}

FT_VECTOR_CLONES void scaleRow(float* x, int64_t n, float by) {
#pragma omp simd
    for (int64_t j = 0; j < n; ++j) x[j] *= by;
}

} // namespace

at::Tensor softmaxRowsInPlace(at::Tensor& x) {
    TORCH_CHECK(x.dim() == 2 && x.scalar_type() == at::kFloat && x.is_contiguous() && x.device().is_cpu(),
                "softmaxRowsInPlace: a contiguous (rows, n) float32 CPU tensor");
    const int64_t rows = x.size(0), n = x.size(1);
    auto lse = at::empty({rows}, x.options());
    float* data = x.mutable_data_ptr<float>();
    float* out = lse.mutable_data_ptr<float>();
    at::parallel_for(0, rows, 1, [&](int64_t begin, int64_t end) {
        for (int64_t i = begin; i < end; ++i) {
            float* row = data + i * n;
            bool finite = true;
            const float m = rowMax(row, n, &finite);
            if (!finite) {  // inf or NaN (a diverging run): ATen's own rules, so that NaN reaches the loss
                auto r = x.select(0, i);
                const auto l = r.logsumexp(0);
                r.sub_(l).exp_();
                out[i] = l.item<float>();
                continue;
            }
            const float sum = expShiftedSum(row, n, m);
            scaleRow(row, n, 1.0f / sum);
            out[i] = m + std::log(sum);
        }
    });
    return lse;
}

} // namespace ft
