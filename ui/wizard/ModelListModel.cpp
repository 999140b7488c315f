#include "wizard/ModelListModel.h"

#include <QApplication>
#include <QLocale>
#include <QPalette>

ModelListModel::ModelListModel(QObject* parent) : QAbstractTableModel(parent) {}

void ModelListModel::setModels(std::vector<ft::DiscoveredModel> models) {
    beginResetModel();
    m_models = std::move(models);
    endResetModel();
}

QString ModelListModel::reasonText(const ft::DiscoveredModel& m) {
    using W = ft::NotTrainable;
    const QString detail = QString::fromStdString(m.whyDetail);
    switch (m.why) {
    case W::No: return {};
    case W::Unreadable: return tr("the file cannot be read: %1").arg(detail);
    case W::MissingFile: return tr("%1 is missing (an unfinished download or a broken link)").arg(detail);
    case W::NoConfig: return tr("no config.json");
    case W::NoTokenizer: return tr("no tokenizer files");
    case W::NoWeights: return tr("no safetensors weights");
    case W::PickleWeights: return tr("weights are .bin (pickle), not safetensors");
    case W::Architecture:
        return detail.isEmpty() ? tr("the architecture is not named")
                                : tr("architecture '%1' is not a decoder this app trains").arg(detail);
    case W::Quantized: return tr("quantized with %1, which cannot be trained here").arg(detail);
    case W::TensorType: return tr("tensor type %1 cannot be dequantized here").arg(detail);
    case W::Projector: return tr("a vision projector (mmproj), not a language model");
    case W::Adapter: return tr("a PEFT adapter, not a base model");
    }
    return QString::fromStdString(m.whyNot);
}

QString ModelListModel::trainableText(const ft::DiscoveredModel& m) {
    return m.trainable ? tr("yes") : tr("no — %1").arg(reasonText(m));
}

int ModelListModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(m_models.size()); }
int ModelListModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant ModelListModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount()) return {};
    const ft::DiscoveredModel& m = m_models[size_t(index.row())];
    const QLocale locale;
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Name: return QString::fromStdString(m.name);
        case Source: return QString::fromStdString(m.source);
        case Format: return QString::fromStdString(m.format);
        case Size: return m.sizeBytes ? locale.formattedDataSize(qint64(m.sizeBytes)) : QString();
        case Parameters:
            // Short, as model cards write them: 494M, 7.6B; exact in the tooltip.
            if (m.parameters <= 0) return QString();
            if (m.parameters >= 1'000'000'000) return tr("%1B").arg(locale.toString(double(m.parameters) / 1e9, 'f', 1));
            if (m.parameters >= 1'000'000) return tr("%1M").arg(locale.toString(double(m.parameters) / 1e6, 'f', 0));
            return locale.toString(qlonglong(m.parameters));
        case Quantization: return QString::fromStdString(m.quantization);
        case Trainable: return trainableText(m);
        }
        return {};
    case Qt::ToolTipRole: {
        QString tip = QString::fromStdString(m.path);
        if (index.column() == Parameters && m.parameters > 0) tip = locale.toString(qlonglong(m.parameters));
        if (!m.trainable) tip = trainableText(m) + QLatin1Char('\n') + tip;
        else if (!m.note.empty()) tip = tr("Stored as %1: the weights are dequantized for training; the quality is that "
                                           "of the quantized file.").arg(QString::fromStdString(m.quantization)) +
                                        QLatin1Char('\n') + tip;
        return tip;
    }
    case Qt::ForegroundRole:
        if (!m.trainable) return QApplication::palette().brush(QPalette::Disabled, QPalette::Text);
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == Size || index.column() == Parameters) return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case PathRole: return QString::fromStdString(m.path);
    case TrainableRole: return m.trainable;
    case SearchRole:
        return QString::fromStdString(m.name + ' ' + m.source + ' ' + m.architecture);
    }
    return {};
}

QVariant ModelListModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Name: return tr("Name");
    case Source: return tr("Source");
    case Format: return tr("Format");
    case Size: return tr("Size");
    case Parameters: return tr("Parameters");
    case Quantization: return tr("Quantization");
    case Trainable: return tr("Can be trained");
    }
    return {};
}
