#pragma once
// The training options that decide memory and speed: device, dtype, batch size, epochs, learning rate and
// gradient checkpointing. The method page estimates memory from them.

#include "core/project/project.h"

#include <QGroupBox>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QSpinBox;

class TrainingSettingsBox : public QGroupBox {
    Q_OBJECT
public:
    explicit TrainingSettingsBox(QWidget* parent = nullptr);
    void load(const ft::Project& project);
    void store(ft::Project& project) const;
    QString device() const;  // auto | cpu | cuda

signals:
    void changed();

private:
    QComboBox* m_device;
    QComboBox* m_dtype;
    QSpinBox* m_batch;
    QSpinBox* m_accumulation;
    QSpinBox* m_epochs;
    QDoubleSpinBox* m_learningRate;
    QCheckBox* m_checkpointing;
};
