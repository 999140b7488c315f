#pragma once
// The UI side of the method table (core/peft/method_spec.h), one row per core row: the Method page's entry, the name
// the Train page gives a run's method, and the settings panel. Core has no Qt, so these live here, keyed by the row.

#include "core/peft/method_spec.h"

#include <QString>

#include <span>

class MethodPanel;
class QWidget;

struct MethodChoice {
    ft::Method method;
    const char* label;  // the Method page's entry (translated in MethodPage's context)
    const char* title;  // the Train page's name for it (translated in TrainPage's context)
    MethodPanel* (*makePanel)(QWidget* parent);

    const ft::MethodSpec& spec() const { return ft::methodSpec(method); }
    QString name() const;  // the project file's name
    QString translatedLabel() const;
    QString translatedTitle() const;
};

// In the core table's order.
std::span<const MethodChoice> methodChoices();
const MethodChoice& methodChoice(ft::Method method);
const MethodChoice* findMethodChoice(const QString& name);  // nullptr when not a method

// ft::MethodSpec of a project-file name, for code holding a QString; nullptr when not a method.
const ft::MethodSpec* findMethodSpec(const QString& name);
