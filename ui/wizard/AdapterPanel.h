#pragma once
// Bottleneck adapters (Houlsby et al. 2019, arXiv:1902.00751): a small down-/up-projection after attention and MLP.

#include "wizard/MethodPanel.h"

class QComboBox;
class QSpinBox;

class AdapterPanel : public MethodPanel {
    Q_OBJECT
public:
    explicit AdapterPanel(QWidget* parent = nullptr);
    void load(const ft::Project& project) override;
    void store(ft::Project& project) const override;

private:
    QSpinBox* m_bottleneck;
    QComboBox* m_activation;
};
