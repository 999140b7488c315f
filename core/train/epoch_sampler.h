#pragma once
// The order training reads its examples in. Each epoch is a shuffle of 0..n-1 by std::mt19937_64 seeded with
// seed + epoch + 1, read front to back; a step that runs past its end starts the next epoch. Where the sampler
// stands (epoch, cursor) is all a checkpoint keeps: the order is recomputed from it, so a resumed run reads the
// same examples as one that never stopped. No LibTorch.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace ft {

class EpochSampler {
public:
    EpochSampler(size_t examples, uint64_t seed);

    // Continues `cursor` examples into epoch `epoch` (-1: no epoch started), as a checkpoint recorded it.
    void seek(int epoch, int64_t cursor);
    // The index of the next example, shuffling the next epoch first when this one is used up.
    size_t next();
    // The next `count` examples' indices.
    std::vector<size_t> take(int count);

    int epoch() const { return m_epoch; }
    int64_t cursor() const { return m_cursor; }

private:
    void shuffleEpoch();

    uint64_t m_seed;
    std::vector<size_t> m_order;  // this epoch's permutation of the examples
    int m_epoch = -1;
    int64_t m_cursor;             // examples of m_order already used; starts at the end so the first next() shuffles
};

} // namespace ft
