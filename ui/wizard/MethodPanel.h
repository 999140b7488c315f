#pragma once
// The settings of one fine-tuning method, shown in the method page's stack. Reads and writes the project's fields.

#include "inspectors/LoadedModel.h"

#include "core/project/project.h"

#include <QWidget>

class MethodPanel : public QWidget {
    Q_OBJECT
public:
    using QWidget::QWidget;

    virtual void load(const ft::Project& project) = 0;
    virtual void store(ft::Project& project) const = 0;
    virtual void setModel(const LoadedModelPtr& model) { Q_UNUSED(model); }

signals:
    void changed();  // any value; the page re-estimates memory
};
