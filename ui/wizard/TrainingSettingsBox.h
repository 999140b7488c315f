#pragma once
// The training options that decide memory and speed: device (one GPU, the CPU, or data-parallel over N GPUs or N CPU
// processes), dtype, batch size, epochs, learning rate and gradient checkpointing. The method page estimates memory
// from them (per process: batch size is per process).

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
    QComboBox* deviceChoice() const { return m_device; }
    int processes() const;   // data-parallel processes on this machine; 1: one process
    // Offers "N GPUs" for N = 2..gpus (the method page learns the count on a worker: asking starts CUDA).
    void setGpuCount(int gpus);

signals:
    void changed();

private:
    void addDeviceChoice(const QString& device, int processes);
    void selectDevice(const QString& device, int processes);

    QComboBox* m_device;
    QComboBox* m_dtype;
    QSpinBox* m_batch;
    QSpinBox* m_accumulation;
    QSpinBox* m_epochs;
    QDoubleSpinBox* m_learningRate;
    QCheckBox* m_checkpointing;
};
