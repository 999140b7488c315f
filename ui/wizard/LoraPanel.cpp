#include "wizard/LoraPanel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QSpinBox>

#include <algorithm>

LoraPanel::LoraPanel(QWidget* parent)
    : MethodPanel(parent), m_rank(new QSpinBox(this)), m_alpha(new QDoubleSpinBox(this)), m_dropout(new QDoubleSpinBox(this)),
      m_bias(new QComboBox(this)), m_rslora(new QCheckBox(tr("rsLoRA: scale by alpha / √r instead of alpha / r"), this)),
      m_targetsGrid(new QGridLayout()) {
    m_rank->setRange(1, 1024);
    m_alpha->setRange(0.1, 4096.0);
    m_alpha->setDecimals(1);
    m_dropout->setRange(0.0, 0.9);
    m_dropout->setSingleStep(0.05);
    m_bias->addItem(tr("none"), QStringLiteral("none"));
    m_bias->addItem(tr("all"), QStringLiteral("all"));
    m_bias->addItem(tr("LoRA layers only"), QStringLiteral("lora_only"));
    auto* targets = new QGroupBox(tr("Target modules"), this);
    targets->setLayout(m_targetsGrid);
    auto* form = new QFormLayout(this);
    form->setContentsMargins(0, 0, 0, 0);
    form->addRow(tr("Rank r:"), m_rank);
    form->addRow(tr("Alpha:"), m_alpha);
    form->addRow(tr("Dropout:"), m_dropout);
    form->addRow(tr("Bias:"), m_bias);
    form->addRow(QString(), m_rslora);
    form->addRow(targets);
    for (QObject* o : {static_cast<QObject*>(m_rank), static_cast<QObject*>(m_alpha), static_cast<QObject*>(m_dropout)})
        connect(qobject_cast<QAbstractSpinBox*>(o), &QAbstractSpinBox::editingFinished, this, &MethodPanel::changed);
    connect(m_rank, &QSpinBox::valueChanged, this, &MethodPanel::changed);
    connect(m_bias, &QComboBox::currentIndexChanged, this, &MethodPanel::changed);
    connect(m_rslora, &QCheckBox::toggled, this, &MethodPanel::changed);
    setTargets({}, {});
}

void LoraPanel::setModel(const LoadedModelPtr& model) {
    if (!model || !model->ok() || model->linearModules.isEmpty()) return;
    std::vector<std::string> chosen;
    for (const QString& t : targetModules()) chosen.push_back(t.toStdString());
    setTargets(model->linearModules, chosen);
}

// One checkbox per module name, three to a row.
void LoraPanel::setTargets(const QStringList& modelNames, const std::vector<std::string>& chosen) {
    QStringList names = modelNames;
    if (names.isEmpty())  // no model yet: the Llama family's projections
        for (const auto& n : ft::llamaLinearModules()) names << QString::fromStdString(n);
    qDeleteAll(m_targets);
    m_targets.clear();
    const bool all = std::find(chosen.begin(), chosen.end(), "all-linear") != chosen.end();
    for (const QString& n : names) {
        auto* box = new QCheckBox(n, this);
        box->setChecked(all || std::find(chosen.begin(), chosen.end(), n.toStdString()) != chosen.end());
        connect(box, &QCheckBox::toggled, this, &MethodPanel::changed);
        m_targetsGrid->addWidget(box, int(m_targets.size()) / 3, int(m_targets.size()) % 3);
        m_targets << box;
    }
}

void LoraPanel::load(const ft::Project& p) {
    const QSignalBlocker b1(m_rank), b2(m_bias), b3(m_rslora);
    m_rank->setValue(p.lora.r);
    m_alpha->setValue(p.lora.alpha);
    m_dropout->setValue(p.lora.dropout);
    m_bias->setCurrentIndex(std::max(0, m_bias->findData(QString::fromStdString(p.lora.bias))));
    m_rslora->setChecked(p.lora.useRslora);
    QStringList names;
    for (const QCheckBox* b : m_targets) names << b->text();
    setTargets(names, p.lora.targetModules);
}

void LoraPanel::store(ft::Project& p) const {
    p.lora.r = m_rank->value();
    p.lora.alpha = m_alpha->value();
    p.lora.dropout = m_dropout->value();
    p.lora.bias = m_bias->currentData().toString().toStdString();
    p.lora.useRslora = m_rslora->isChecked();
    const QStringList chosen = targetModules();
    p.lora.targetModules.clear();
    if (chosen.size() == m_targets.size()) {
        p.lora.targetModules = {"all-linear"};
        return;
    }
    for (const QString& t : chosen) p.lora.targetModules.push_back(t.toStdString());
}

void LoraPanel::setRank(int r) { m_rank->setValue(r); }

void LoraPanel::setTargetChecked(const QString& module, bool on) {
    for (QCheckBox* b : m_targets)
        if (b->text() == module) b->setChecked(on);
}

QStringList LoraPanel::targetModules() const {
    QStringList out;
    for (const QCheckBox* b : m_targets)
        if (b->isChecked()) out << b->text();
    return out;
}
