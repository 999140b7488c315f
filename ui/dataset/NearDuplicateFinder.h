#pragma once
// Groups near-identical texts: Jaccard similarity of their character 5-gram sets at or above a threshold. MinHash
// signatures (32 hashes) banded for locality-sensitive hashing (8 bands of 4) propose candidates in O(n); each
// candidate pair is then checked exactly. Broder, "On the resemblance and containment of documents" (1997);
// Leskovec, Rajaraman, Ullman, "Mining of Massive Datasets", ch. 3.

#include <QList>
#include <QString>

class NearDuplicateFinder {
public:
    // `texts` should be normalized and distinct; returns groups of indices into `texts` (each of two or more).
    static QList<QList<int>> groups(const QList<QString>& texts, double threshold);
    static double jaccard(const QString& a, const QString& b);

private:
    static QList<quint64> shingles(const QString& text);  // sorted, distinct
};
