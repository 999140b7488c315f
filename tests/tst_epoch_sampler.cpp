// The epoch sampler gives the order training read its examples in before it was a class of its own (that code is kept
// below, as it was, as the reference): the same examples for every step of a run, the same position for checkpoints
// to record, and the same examples after a resume from any of those positions.

#include "core/train/epoch_sampler.h"

#include <QtTest>

#include <algorithm>
#include <numeric>
#include <optional>
#include <random>
#include <vector>

namespace {

struct Position {
    int epoch = -1;
    int64_t cursor = 0;
    bool operator==(const Position&) const = default;
};

using Steps = std::vector<std::vector<size_t>>;  // per step, the example indices of its micro-batches in order

// The loop of TrainingRun::Impl::prepareAndTrain before the split, reduced to its data order: positions[s] is where
// the data stood after step s, as a checkpoint there records it. A resume starts from `from`.
Steps referenceSteps(size_t examples, uint64_t seed, int batchSize, int accumulation, int steps,
                     std::vector<Position>* positions, std::optional<Position> from = std::nullopt) {
    std::vector<size_t> order(examples);
    Position pos{-1, int64_t(order.size())};
    const auto shuffleEpoch = [&] {
        std::iota(order.begin(), order.end(), size_t(0));
        std::mt19937_64 epochRng(seed + uint64_t(pos.epoch) + 1);
        std::shuffle(order.begin(), order.end(), epochRng);
    };
    if (from) {
        pos = *from;
        if (pos.epoch >= 0) shuffleEpoch();
    }
    Steps out;
    for (int step = 0; step < steps; ++step) {
        std::vector<size_t> taken;
        for (int m = 0; m < accumulation; ++m)
            for (int k = 0; k < batchSize; ++k) {
                if (pos.cursor >= int64_t(order.size())) {
                    ++pos.epoch;
                    shuffleEpoch();
                    pos.cursor = 0;
                }
                taken.push_back(order[size_t(pos.cursor++)]);
            }
        out.push_back(taken);
        if (positions) positions->push_back(pos);
    }
    return out;
}

Steps samplerSteps(ft::EpochSampler& sampler, int batchSize, int accumulation, int steps,
                   std::vector<Position>* positions) {
    Steps out;
    for (int step = 0; step < steps; ++step) {
        std::vector<size_t> taken;
        for (int m = 0; m < accumulation; ++m)
            for (const size_t i : sampler.take(batchSize)) taken.push_back(i);
        out.push_back(taken);
        if (positions) positions->push_back({sampler.epoch(), sampler.cursor()});
    }
    return out;
}

} // namespace

class TestEpochSampler : public QObject {
    Q_OBJECT
private slots:
    void sameOrderAsBefore_data() {
        QTest::addColumn<int>("examples");
        QTest::addColumn<qulonglong>("seed");
        QTest::addColumn<int>("batchSize");
        QTest::addColumn<int>("accumulation");
        QTest::addColumn<int>("steps");
        QTest::newRow("demo-like") << 40 << 42ull << 4 << 1 << 30;
        QTest::newRow("accumulation across epochs") << 7 << 3ull << 2 << 3 << 20;  // 6 a step: epochs end mid-step
        QTest::newRow("batch larger than the data") << 3 << 0ull << 5 << 1 << 6;
        QTest::newRow("one example") << 1 << 7ull << 2 << 2 << 5;
        QTest::newRow("large seed") << 100 << 0xFFFFFFFFFFFFFFF0ull << 8 << 2 << 25;  // seed + epoch + 1 wraps
    }

    void sameOrderAsBefore() {
        QFETCH(int, examples);
        QFETCH(qulonglong, seed);
        QFETCH(int, batchSize);
        QFETCH(int, accumulation);
        QFETCH(int, steps);

        std::vector<Position> expectedPositions, positions;
        const Steps expected = referenceSteps(size_t(examples), seed, batchSize, accumulation, steps, &expectedPositions);
        ft::EpochSampler sampler(size_t(examples), seed);
        QVERIFY(samplerSteps(sampler, batchSize, accumulation, steps, &positions) == expected);
        QVERIFY(positions == expectedPositions);

        // Resumed after any step, from the position a checkpoint there recorded: the rest of the run is the same.
        for (int done = 1; done < steps; ++done) {
            const Position at = positions[size_t(done - 1)];
            ft::EpochSampler resumed(size_t(examples), seed);
            resumed.seek(at.epoch, at.cursor);
            const Steps rest(expected.begin() + done, expected.end());
            QVERIFY(samplerSteps(resumed, batchSize, accumulation, steps - done, nullptr) == rest);
            QVERIFY(referenceSteps(size_t(examples), seed, batchSize, accumulation, steps - done, nullptr, at) == rest);
        }
    }

    void firstEpochIsAPermutation() {
        ft::EpochSampler sampler(10, 42);
        QCOMPARE(sampler.epoch(), -1);
        std::vector<size_t> first = sampler.take(10);
        QCOMPARE(sampler.epoch(), 0);
        QCOMPARE(sampler.cursor(), int64_t(10));
        std::sort(first.begin(), first.end());
        std::vector<size_t> all(10);
        std::iota(all.begin(), all.end(), size_t(0));
        QVERIFY(first == all);
        sampler.next();
        QCOMPARE(sampler.epoch(), 1);
        QCOMPARE(sampler.cursor(), int64_t(1));
    }
};

QTEST_APPLESS_MAIN(TestEpochSampler)
#include "tst_epoch_sampler.moc"
