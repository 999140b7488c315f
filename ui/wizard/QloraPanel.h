#pragma once
// QLoRA (Dettmers et al. 2023, arXiv:2305.14314): LoRA's settings over a frozen base stored in 4-bit blocks — the
// 4-bit type, block size, double quantization and the dtype the dequantized weights compute in.

#include "wizard/MethodPanel.h"

class LoraPanel;
class QCheckBox;
class QComboBox;
class QSpinBox;

class QloraPanel : public MethodPanel {
    Q_OBJECT
public:
    explicit QloraPanel(QWidget* parent = nullptr);

    void load(const ft::Project& project) override;
    void store(ft::Project& project) const override;
    void setModel(const LoadedModelPtr& model) override;
    LoraPanel* lora() const { return m_lora; }

private:
    LoraPanel* m_lora;
    QComboBox* m_quantType;
    QSpinBox* m_blocksize;
    QCheckBox* m_doubleQuant;
    QComboBox* m_computeDtype;
};
