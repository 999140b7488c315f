#pragma once
// The floating-point tensors of a model folder (all its weight files) or of one .safetensors file, read without
// LibTorch: headers for the list, the mapped bytes decoded to float for histograms. Runs on worker threads.

#include <QList>
#include <QString>
#include <QVector>

#include <cstdint>
#include <vector>

struct TensorInfo {
    QString name;
    QString file;             // the .safetensors file that holds it
    QVector<qint64> shape;
    QString dtype;            // "F32", "BF16", ...
    qint64 numel = 0;
    quint64 offset = 0;       // absolute byte offset of its data in `file`
};

// Throws ft::Error when the source is not a model folder or a readable .safetensors file.
QList<TensorInfo> listFloatTensors(const QString& source);

// The first `maxValues` values of the tensor (all when it has fewer), in its row-major order, as float.
// Throws ft::Error when the file cannot be read.
std::vector<float> readTensorValues(const TensorInfo& tensor, qint64 maxValues);
