#include "TensorSource.h"

#include "core/common/error.h"
#include "core/io/safetensors_header.h"
#include "core/model/model_folder.h"

#include <QFile>
#include <QFileInfo>

#include <bit>
#include <cstring>

namespace {

bool isFloat(ft::DType d) {
    return d == ft::DType::F32 || d == ft::DType::F16 || d == ft::DType::BF16 || d == ft::DType::F64;
}

[[noreturn]] void unreadable(const QString& file, const std::string& detail) {
    throw ft::Error(ft::ErrorCode::FileUnreadable, file.toStdString(), detail);
}

ft::SafetensorsHeader readHeader(QFile& file) {
    const QString where = file.fileName();
    if (!file.open(QIODevice::ReadOnly)) unreadable(where, file.errorString().toStdString());
    const QByteArray prefix = file.read(8);
    if (prefix.size() != 8) throw ft::Error(ft::ErrorCode::ParseError, where.toStdString(), "shorter than 8 bytes");
    const uint64_t length = ft::readHeaderLength(reinterpret_cast<const unsigned char*>(prefix.constData()),
                                                 uint64_t(file.size()), where.toStdString());
    const QByteArray json = file.read(qint64(length));
    return ft::parseSafetensorsHeader(std::string_view(json.constData(), size_t(json.size())), uint64_t(file.size()),
                                      where.toStdString());
}

float halfToFloat(uint16_t h) {
    const uint32_t sign = uint32_t(h & 0x8000) << 16;
    int exp = (h >> 10) & 0x1f;
    uint32_t mant = h & 0x3ff;
    uint32_t bits;
    if (exp == 0x1f) {
        bits = sign | 0x7f800000u | (mant << 13);
    } else if (exp != 0) {
        bits = sign | (uint32_t(exp + 112) << 23) | (mant << 13);
    } else if (mant == 0) {
        bits = sign;
    } else {  // subnormal: normalise
        exp = 113;
        while (!(mant & 0x400)) mant <<= 1, --exp;
        bits = sign | (uint32_t(exp) << 23) | ((mant & 0x3ff) << 13);
    }
    return std::bit_cast<float>(bits);
}

} // namespace

QList<TensorInfo> listFloatTensors(const QString& source) {
    std::vector<QString> files;
    if (QFileInfo(source).isDir()) {
        for (const auto& f : ft::modelWeightFiles(source.toStdString())) files.push_back(QString::fromStdString(f.string()));
    } else {
        if (!QFileInfo::exists(source)) throw ft::Error(ft::ErrorCode::FileNotFound, source.toStdString(), "");
        files.push_back(source);
    }
    QList<TensorInfo> out;
    for (const QString& path : files) {
        QFile file(path);
        const ft::SafetensorsHeader header = readHeader(file);
        for (const ft::TensorEntry& e : header.entries) {
            if (!isFloat(e.dtype) || e.numel() == 0) continue;
            TensorInfo t;
            t.name = QString::fromStdString(e.name);
            t.file = path;
            for (int64_t d : e.shape) t.shape << d;
            t.dtype = QString::fromLatin1(ft::dtypeName(e.dtype));
            t.numel = e.numel();
            t.offset = header.dataOffset() + e.begin;
            out << t;
        }
    }
    return out;
}

std::vector<float> readTensorValues(const TensorInfo& tensor, qint64 maxValues) {
    const auto dtype = ft::dtypeFromName(tensor.dtype.toStdString());
    if (!dtype || !isFloat(*dtype))
        throw ft::Error(ft::ErrorCode::Unsupported, tensor.file.toStdString(), "dtype " + tensor.dtype.toStdString());
    const qint64 n = std::min(tensor.numel, maxValues);
    const int size = ft::dtypeSize(*dtype);
    QFile file(tensor.file);
    if (!file.open(QIODevice::ReadOnly)) unreadable(tensor.file, file.errorString().toStdString());
    const uchar* bytes = file.map(qint64(tensor.offset), n * size);
    if (!bytes) unreadable(tensor.file, file.errorString().toStdString());
    std::vector<float> out(static_cast<size_t>(n));
    for (qint64 i = 0; i < n; ++i) {
        const uchar* p = bytes + i * size;
        switch (*dtype) {  // safetensors is little-endian, as is every machine we build for
        case ft::DType::F32: { float v; std::memcpy(&v, p, 4); out[size_t(i)] = v; break; }
        case ft::DType::F64: { double v; std::memcpy(&v, p, 8); out[size_t(i)] = float(v); break; }
        case ft::DType::F16: { uint16_t v; std::memcpy(&v, p, 2); out[size_t(i)] = halfToFloat(v); break; }
        default: { uint16_t v; std::memcpy(&v, p, 2); out[size_t(i)] = std::bit_cast<float>(uint32_t(v) << 16); break; }  // BF16
        }
    }
    file.unmap(const_cast<uchar*>(bytes));
    return out;
}
