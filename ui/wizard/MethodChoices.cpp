#include "wizard/MethodChoices.h"

#include "wizard/AdapterPanel.h"
#include "wizard/FullPanel.h"
#include "wizard/LoraPanel.h"
#include "wizard/PromptLearningPanel.h"
#include "wizard/QloraPanel.h"

#include <QCoreApplication>

#include <array>

namespace {

using ft::Method;

template <typename Panel>
MethodPanel* make(QWidget* parent) {
    return new Panel(parent);
}

template <Method m>
MethodPanel* makePromptPanel(QWidget* parent) {
    return new PromptLearningPanel(m, parent);
}

// One row per row of ft::methodSpecs(), in its order.
constexpr std::array kChoices{
    MethodChoice{Method::Full, QT_TRANSLATE_NOOP("MethodPage", "Full fine-tuning"),
                 QT_TRANSLATE_NOOP("TrainPage", "Full fine-tuning"), make<FullPanel>},
    MethodChoice{Method::Lora, QT_TRANSLATE_NOOP("MethodPage", "LoRA"), QT_TRANSLATE_NOOP("TrainPage", "LoRA"),
                 make<LoraPanel>},
    MethodChoice{Method::Qlora, QT_TRANSLATE_NOOP("MethodPage", "QLoRA (4-bit base)"),
                 QT_TRANSLATE_NOOP("TrainPage", "QLoRA"), make<QloraPanel>},
    MethodChoice{Method::Adapter, QT_TRANSLATE_NOOP("MethodPage", "Bottleneck adapter"),
                 QT_TRANSLATE_NOOP("TrainPage", "Bottleneck adapters"), make<AdapterPanel>},
    MethodChoice{Method::PromptTuning, QT_TRANSLATE_NOOP("MethodPage", "Prompt tuning"),
                 QT_TRANSLATE_NOOP("TrainPage", "Prompt tuning"), makePromptPanel<Method::PromptTuning>},
    MethodChoice{Method::PTuning, QT_TRANSLATE_NOOP("MethodPage", "P-tuning"), QT_TRANSLATE_NOOP("TrainPage", "P-tuning"),
                 makePromptPanel<Method::PTuning>},
    MethodChoice{Method::PrefixTuning, QT_TRANSLATE_NOOP("MethodPage", "Prefix tuning"),
                 QT_TRANSLATE_NOOP("TrainPage", "Prefix tuning"), makePromptPanel<Method::PrefixTuning>},
};

constexpr bool inCoreOrder() {
    for (size_t i = 0; i < kChoices.size(); ++i)
        if (size_t(kChoices[i].method) != i) return false;
    return kChoices.size() == size_t(Method::PrefixTuning) + 1;
}
static_assert(inCoreOrder(), "one choice per core row, in its order");

} // namespace

QString MethodChoice::name() const { return QString::fromUtf8(spec().name.data(), qsizetype(spec().name.size())); }

QString MethodChoice::translatedLabel() const { return QCoreApplication::translate("MethodPage", label); }

QString MethodChoice::translatedTitle() const { return QCoreApplication::translate("TrainPage", title); }

std::span<const MethodChoice> methodChoices() { return kChoices; }

const MethodChoice& methodChoice(ft::Method method) { return kChoices[size_t(method)]; }

const MethodChoice* findMethodChoice(const QString& name) {
    const ft::MethodSpec* spec = findMethodSpec(name);
    return spec ? &methodChoice(spec->id) : nullptr;
}

const ft::MethodSpec* findMethodSpec(const QString& name) { return ft::findMethod(name.toStdString()); }
