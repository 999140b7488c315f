#pragma once
// The models found on this machine (core/model/model_discovery) as a table for the Model page: name, source, format,
// size, parameters, quantization, and whether it can be trained — with the reason, in words, when it cannot. Rows
// that cannot be trained are greyed and carry the reason as their tooltip.

#include "core/model/model_discovery.h"

#include <QAbstractTableModel>

#include <vector>

class ModelListModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Name, Source, Format, Size, Parameters, Quantization, Trainable, ColumnCount };
    enum Role {
        PathRole = Qt::UserRole,  // the folder or .gguf file that opens the model
        TrainableRole,            // bool
        SearchRole,               // name, source and architecture: what the search field matches
    };

    explicit ModelListModel(QObject* parent = nullptr);

    void setModels(std::vector<ft::DiscoveredModel> models);
    const ft::DiscoveredModel& modelAt(int row) const { return m_models[size_t(row)]; }

    // "yes", or "no — <why>" (translated from the reason's code).
    static QString trainableText(const ft::DiscoveredModel& model);
    static QString reasonText(const ft::DiscoveredModel& model);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::vector<ft::DiscoveredModel> m_models;
};
