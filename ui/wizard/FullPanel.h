#pragma once
// Full fine-tuning: every weight is trained; nothing to set beyond the training options.

#include "wizard/MethodPanel.h"

class FullPanel : public MethodPanel {
    Q_OBJECT
public:
    explicit FullPanel(QWidget* parent = nullptr);
    void load(const ft::Project&) override {}
    void store(ft::Project&) const override {}
};
