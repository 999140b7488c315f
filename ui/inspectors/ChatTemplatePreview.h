#pragma once
// The chat template an instruct fine-tune formats its examples with: the model's own, a preset, or a custom one
// edited live. Shows the rendered text of one example with whitespace and special tokens made visible, the template's
// error with its line, and a warning when training would use another template than the model's.

#include "inspectors/LoadedModel.h"

#include "core/data/dataset.h"

#include <QList>
#include <QWidget>

#include <vector>

class QCheckBox;
class QComboBox;
class QLabel;
class QPlainTextEdit;
class QSpinBox;
class QTextEdit;
class QTimer;

class ChatTemplatePreview : public QWidget {
    Q_OBJECT
public:
    // A special token of the template that the model's tokenizer does not have: it splits into `pieces` tokens.
    struct ForeignToken {
        QString text;
        int pieces = 0;
    };

    explicit ChatTemplatePreview(QWidget* parent = nullptr);

    void setModel(LoadedModelPtr model);
    void setExamples(std::vector<ft::Example> examples);
    void setCurrentExample(int index);
    int currentExample() const;

    // The template training should use: "" selects the model's own.
    void setTrainingTemplate(const QString& source);
    QString trainingTemplate() const;  // "" when it is the model's own
    QString templateSource() const;    // what is rendered now
    bool differsFromModel() const;

    void selectModelTemplate();
    void selectPreset(const QString& name);
    void setCustomTemplate(const QString& source);  // switches to "Custom"; renders after a short pause

    QString renderedText() const { return m_rendered; }  // the last successful render, raw
    int errorLine() const { return m_errorLine; }        // -1 when the template renders; 0 when no line is known
    QString errorMessage() const { return m_errorMessage; }
    // Of a template other than the model's own; when not empty, a warning says training would learn them as text.
    QList<ForeignToken> foreignTokens() const { return m_foreignTokens; }
    QLabel* tokenWarning() const { return m_tokenWarning; }
    QPlainTextEdit* editor() const { return m_editor; }  // a CodeEditor: wrapped lines, numbered

public slots:
    void renderNow();

signals:
    void rendered(const QString& text);
    void renderFailed(int line, const QString& message);
    void trainingTemplateChanged(const QString& source);  // "" = the model's own

private:
    void onSourceChosen(int index);
    void setEditorText(const QString& text);
    void markErrorLine(int line);
    void updateWarning();
    void updateTokenWarning();
    std::vector<ft::ChatMessage> currentMessages() const;

    LoadedModelPtr m_model;
    std::vector<ft::Example> m_examples;
    QComboBox* m_source;
    QPlainTextEdit* m_editor;
    QSpinBox* m_example;
    QCheckBox* m_generationPrompt;
    QTextEdit* m_output;
    QLabel* m_error;
    QLabel* m_warning;
    QLabel* m_tokenWarning;
    QTimer* m_debounce;
    bool m_settingText = false;
    QString m_rendered;
    QString m_errorMessage;
    int m_errorLine = -1;
    QList<ForeignToken> m_foreignTokens;
};
