#include "dataset/NearDuplicateFinder.h"

#include <QHash>

#include <algorithm>
#include <array>
#include <numeric>

namespace {

constexpr int kShingle = 5;
constexpr int kBands = 8, kRowsPerBand = 4, kHashes = kBands * kRowsPerBand;
// P(candidate) = 1 - (1 - s^4)^8: 0.9998 at s = 0.9, 0.40 at s = 0.5 (those are rejected by the exact check).

quint64 mix(quint64 x) {  // splitmix64's finalizer
    x ^= x >> 30, x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27, x *= 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

struct UnionFind {
    QList<int> parent;
    explicit UnionFind(int n) : parent(n) { std::iota(parent.begin(), parent.end(), 0); }
    int find(int x) {
        while (parent[x] != x) x = parent[x] = parent[parent[x]];
        return x;
    }
    void unite(int a, int b) { parent[find(a)] = find(b); }
};

} // namespace

QList<quint64> NearDuplicateFinder::shingles(const QString& text) {
    QList<quint64> out;
    const int n = int(text.size());
    const int count = std::max(1, n - kShingle + 1);
    out.reserve(count);
    for (int i = 0; i < count; ++i) {
        quint64 h = 1469598103934665603ULL;  // FNV-1a over the UTF-16 code units
        for (int k = i; k < std::min(n, i + kShingle); ++k) h = (h ^ text[k].unicode()) * 1099511628211ULL;
        out.append(h);
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

double NearDuplicateFinder::jaccard(const QString& a, const QString& b) {
    const QList<quint64> x = shingles(a), y = shingles(b);
    qsizetype common = 0;
    for (qsizetype i = 0, j = 0; i < x.size() && j < y.size();) {
        if (x[i] == y[j]) ++common, ++i, ++j;
        else if (x[i] < y[j]) ++i;
        else ++j;
    }
    const qsizetype all = x.size() + y.size() - common;
    return all == 0 ? 1.0 : double(common) / double(all);
}

QList<QList<int>> NearDuplicateFinder::groups(const QList<QString>& texts, double threshold) {
    const int n = int(texts.size());
    // k hash functions as h_k(x) = a_k·x + b_k (mod 2^64) over one strong hash per shingle; the high 32 bits are kept.
    std::array<quint64, kHashes> mul, add;
    for (int k = 0; k < kHashes; ++k) mul[k] = mix(2 * k + 1) | 1, add[k] = mix(2 * k + 2);
    QList<std::array<quint32, kHashes>> signatures(n);
    for (int i = 0; i < n; ++i) {
        auto& sig = signatures[i];
        sig.fill(~0u);
        for (quint64 s : shingles(texts[i])) {
            const quint64 h = mix(s);
            for (int k = 0; k < kHashes; ++k) sig[k] = std::min(sig[k], quint32((mul[k] * h + add[k]) >> 32));
        }
    }

    UnionFind sets(n);
    std::array<QHash<quint64, int>, kBands> buckets;  // band key → the first text that fell in it
    const int minAgreement = int(kHashes * (threshold - 0.15));  // Jaccard 0.9: 28.8 ± 1.7 of 32 agree
    for (int i = 0; i < n; ++i) {
        for (int b = 0; b < kBands; ++b) {
            quint64 key = quint64(b);
            for (int r = 0; r < kRowsPerBand; ++r) key = mix(key ^ signatures[i][b * kRowsPerBand + r]);
            const auto it = buckets[b].constFind(key);
            if (it == buckets[b].cend()) {
                buckets[b].insert(key, i);
                continue;
            }
            // Compared with the bucket's first text only, so a crowded bucket costs O(n), not O(n²).
            const int j = it.value();
            if (sets.find(i) == sets.find(j)) continue;
            int agree = 0;
            for (int k = 0; k < kHashes; ++k) agree += signatures[i][k] == signatures[j][k];
            if (agree < minAgreement) continue;  // the signature's estimate is far below: skip the exact check
            if (jaccard(texts[i], texts[j]) >= threshold) sets.unite(i, j);
        }
    }
    QHash<int, QList<int>> byRoot;
    for (int i = 0; i < n; ++i) byRoot[sets.find(i)].append(i);
    QList<QList<int>> out;
    for (auto& g : byRoot)
        if (g.size() > 1) out.append(g);
    std::sort(out.begin(), out.end(), [](const QList<int>& a, const QList<int>& b) { return a.front() < b.front(); });
    return out;
}
