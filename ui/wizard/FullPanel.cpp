#include "wizard/FullPanel.h"

#include <QLabel>
#include <QVBoxLayout>

FullPanel::FullPanel(QWidget* parent) : MethodPanel(parent) {
    auto* note = new QLabel(tr("Every weight of the model is trained. This gives the most capacity and needs the most "
                               "memory: weights, gradients and two optimizer moments per parameter. The result is "
                               "a whole new model, exported merged."),
                            this);
    note->setWordWrap(true);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(note);
    layout->addStretch(1);
}
