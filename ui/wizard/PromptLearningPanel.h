#pragma once
// Prompt tuning (Lester et al. 2021), P-tuning (Liu et al. 2021) and prefix tuning (Li & Liang 2021): trained virtual
// tokens in front of the input or of every layer's keys and values. One panel, showing the fields of its method.

#include "wizard/MethodPanel.h"

#include "core/peft/method_spec.h"

class QCheckBox;
class QComboBox;
class QLineEdit;
class QSpinBox;

class PromptLearningPanel : public MethodPanel {
    Q_OBJECT
public:
    // method: PromptTuning | PTuning | PrefixTuning
    PromptLearningPanel(ft::Method method, QWidget* parent = nullptr);
    void load(const ft::Project& project) override;
    void store(ft::Project& project) const override;

private:
    ft::Method m_method;
    QSpinBox* m_tokens;
    QComboBox* m_init = nullptr;         // prompt tuning
    QLineEdit* m_initText = nullptr;     // prompt tuning
    QComboBox* m_encoder = nullptr;      // P-tuning
    QSpinBox* m_hidden = nullptr;        // P-tuning, prefix tuning
    QCheckBox* m_projection = nullptr;   // prefix tuning
};
