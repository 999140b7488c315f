#pragma once
// The open project, once: the ft::Project, the file it lives in, whether it has unsaved edits, and its runs (the run
// folders core keeps under the project's output, core/train/run_folder.h). The main window, the wizard and every
// tool share one document: the wizard edits it, the tools follow its signals, nobody keeps a copy.

#include "core/project/project.h"
#include "core/train/run_folder.h"

#include <QObject>
#include <QString>

#include <optional>
#include <vector>

class ProjectDocument : public QObject {
    Q_OBJECT
public:
    explicit ProjectDocument(QObject* parent = nullptr);

    bool isOpen() const { return !m_file.isEmpty(); }
    QString file() const { return m_file; }
    QString lastError() const { return m_lastError; }

    // The project; call markModified() after changing it (or edit through the setters of the pages that do).
    ft::Project& project() { return m_project; }
    const ft::Project& project() const { return m_project; }

    // Reads `file`; false (with lastError()) when it cannot be read; the open project then stays as it was.
    bool open(const QString& file);
    // A new project to be saved at `file`: incomplete by nature (no model or dataset yet), written at once.
    bool create(const QString& file, const ft::Project& project = {});
    // Writes the project atomically to its file, or to `file` (then the document lives there; paths relative to the
    // old folder are made absolute when the folder changes). False (with lastError()) when it fails.
    bool save();
    bool saveAs(const QString& file);

    bool isModified() const { return m_modified; }
    void markModified();

    // Paths in the project are relative to its folder.
    QString resolvedPath(const std::string& path) const;
    std::string projectPath(const QString& path) const;  // relative where it lies under the project's folder

    // The project's runs, oldest first, as read at the last refreshRuns().
    const std::vector<ft::RunInfo>& runs() const { return m_runs; }
    // Re-reads the run folders (a few small files) and keeps the selection when that run still exists.
    void refreshRuns();
    // The run that exports, the plot and resume act on: the one the user chose, else the newest.
    std::optional<ft::RunInfo> selectedRun() const;
    void selectRun(const QString& id);  // "" = follow the newest
    QString selectedRunId() const { return m_selectedRun; }

signals:
    void opened();                   // another project (or a new one) is now the document
    void modifiedChanged(bool modified);
    void saved(const QString& file);
    void runsChanged();              // the list or the selection changed

private:
    void setModified(bool modified);
    bool write(const ft::Project& project, const QString& file);  // atomic; false with lastError()
    void adopt(ft::Project project, const QString& file);

    ft::Project m_project;
    QString m_file;
    QString m_lastError;
    bool m_modified = false;
    std::vector<ft::RunInfo> m_runs;
    QString m_selectedRun;  // "" = the newest
};
