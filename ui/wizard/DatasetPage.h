#pragma once
// Page 3: the training data. Loading (on a worker) detects the record format; the user may force another and map
// our field names onto the file's columns. Rows that cannot be used are listed with their line and why.

#include "wizard/WizardPage.h"

#include "wizard/FineTuneWizard.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QTableWidget;

class DatasetPage : public WizardPage {
    Q_OBJECT
public:
    explicit DatasetPage(QWidget* parent = nullptr);

    void initializePage() override;
    bool isComplete() const override;

    void openFile(const QString& file);  // on a worker; reports through loaded
    DatasetPtr dataset() const { return m_dataset; }
    int badRowCount() const;

signals:
    void loaded(bool ok);

protected:
    bool store() override;

private:
    void reload();
    void fillColumns(const QString& format);
    void show(const DatasetPtr& data, const QString& error);
    std::map<std::string, std::string> columns() const;

    QLineEdit* m_path;
    QComboBox* m_format;
    QTableWidget* m_columns;
    QLabel* m_summary;
    QTableWidget* m_report;
    DatasetPtr m_dataset;
    int m_loading = 0;
    int m_request = 0;
    QString m_requested;  // the file the last reload read
};
