#pragma once
// LoRA (Hu et al. 2021, arXiv:2106.09685): rank, alpha, dropout, bias, rsLoRA, and which projections get adapters,
// offered as the module names found in the model's weights.

#include "wizard/MethodPanel.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QGridLayout;
class QSpinBox;

class LoraPanel : public MethodPanel {
    Q_OBJECT
public:
    explicit LoraPanel(QWidget* parent = nullptr);

    void load(const ft::Project& project) override;
    void store(ft::Project& project) const override;
    void setModel(const LoadedModelPtr& model) override;

    void setRank(int r);
    void setTargetChecked(const QString& module, bool on);
    QStringList targetModules() const;  // the names checked

private:
    void setTargets(const QStringList& names, const std::vector<std::string>& chosen);

    QSpinBox* m_rank;
    QDoubleSpinBox* m_alpha;
    QDoubleSpinBox* m_dropout;
    QComboBox* m_bias;
    QCheckBox* m_rslora;
    QGridLayout* m_targetsGrid;
    QList<QCheckBox*> m_targets;
};
