#pragma once
// The Quantization inspector: pick a tensor of a model folder or a .safetensors file and see its values (normalized
// as the quantizer sees them, with the NF4 / FP4 / int8 levels drawn on), each method's error histogram and a table
// of MSE, max error, SNR and bytes; then one method's error across every layer of the model. All computing runs on
// worker threads (QtConcurrent); the figures export as PNG and CSV.

#include "QuantInspection.h"

#include <QFutureWatcher>
#include <QWidget>

class QComboBox;
class QCustomPlot;
class QLabel;
class QPushButton;
class QTableView;
class QuantResultModel;

class QuantizationInspector : public QWidget {
    Q_OBJECT
public:
    explicit QuantizationInspector(QWidget* parent = nullptr);
    ~QuantizationInspector() override;

    QString source() const { return m_source; }
    QStringList tensorNames() const;
    QString currentTensor() const;
    int blocksize() const;
    ft::QuantMethod currentMethod() const;  // whose levels and error histogram are shown, and which the scan uses

    const TensorInspection& inspection() const { return m_inspection; }
    const ModelScan& scan() const { return m_scan; }
    QuantResultModel* resultModel() const { return m_results; }
    bool isBusy() const;

    // Writes value_histogram, error_histogram, layers (.png and .csv) and methods.csv into `dir`.
    bool exportTo(const QString& dir, QString* error = nullptr);
    bool saveValueHistogramCsv(const QString& path, QString* error = nullptr) const;
    bool saveErrorHistogramCsv(const QString& path, QString* error = nullptr) const;
    bool saveMethodsCsv(const QString& path, QString* error = nullptr) const;
    bool saveLayersCsv(const QString& path, QString* error = nullptr) const;

public slots:
    // A model folder or a .safetensors file; its tensors are listed on a worker, then the first is inspected.
    void openSource(const QString& path);
    void selectTensor(const QString& name);
    void setBlocksize(int blocksize);
    void setMethod(ft::QuantMethod method);
    void scanModel();  // the current method on every layer (a model's projection weights, a file's float tensors)

signals:
    void sourceOpened(bool ok, const QString& message);
    void inspected(bool ok, const QString& message);
    void scanned(bool ok, const QString& message);

private:
    void buildUi();
    void inspectCurrent();
    void showInspection();
    void showScan();
    void drawValueHistogram();
    void drawErrorHistogram();
    void drawLayers();
    void setStatus(const QString& text);
    void exportDialog();
    void plotMenu(QCustomPlot* plot, const QPoint& pos);

    QString m_source;
    QList<TensorInfo> m_tensors;
    TensorInspection m_inspection;
    ModelScan m_scan;
    QFutureWatcher<TensorListing> m_listWatcher;
    QFutureWatcher<TensorInspection> m_inspectWatcher;
    QFutureWatcher<ModelScan> m_scanWatcher;

    QLabel* m_sourceLabel = nullptr;
    QLabel* m_status = nullptr;
    QComboBox* m_tensorBox = nullptr;
    QComboBox* m_blockBox = nullptr;
    QComboBox* m_methodBox = nullptr;
    QComboBox* m_metricBox = nullptr;
    QPushButton* m_scanButton = nullptr;
    QCustomPlot* m_valuePlot = nullptr;
    QCustomPlot* m_errorPlot = nullptr;
    QCustomPlot* m_layerPlot = nullptr;
    QTableView* m_table = nullptr;
    QuantResultModel* m_results = nullptr;
};
