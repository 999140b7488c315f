#include "core/train/epoch_sampler.h"

#include <algorithm>
#include <numeric>
#include <random>

namespace ft {

EpochSampler::EpochSampler(size_t examples, uint64_t seed)
    : m_seed(seed), m_order(examples), m_cursor(int64_t(examples)) {}

void EpochSampler::seek(int epoch, int64_t cursor) {
    m_epoch = epoch;
    m_cursor = cursor;
    if (m_epoch >= 0) shuffleEpoch();
}

size_t EpochSampler::next() {
    if (m_cursor >= int64_t(m_order.size())) {
        ++m_epoch;
        shuffleEpoch();
        m_cursor = 0;
    }
    return m_order[size_t(m_cursor++)];
}

std::vector<size_t> EpochSampler::take(int count) {
    std::vector<size_t> indices;
    for (int k = 0; k < count; ++k) indices.push_back(next());
    return indices;
}

void EpochSampler::shuffleEpoch() {
    std::iota(m_order.begin(), m_order.end(), size_t(0));
    std::mt19937_64 rng(m_seed + uint64_t(m_epoch) + 1);
    std::shuffle(m_order.begin(), m_order.end(), rng);
}

} // namespace ft
