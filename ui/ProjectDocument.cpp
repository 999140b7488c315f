#include "ProjectDocument.h"

#include "ErrorText.h"

#include "core/common/error.h"

#include <QDir>
#include <QFileInfo>

ProjectDocument::ProjectDocument(QObject* parent) : QObject(parent) {}

void ProjectDocument::adopt(ft::Project project, const QString& file) {
    m_project = std::move(project);
    m_project.file = file.toStdString();
    m_file = file;
    m_selectedRun.clear();
    setModified(false);
    refreshRuns();
    emit opened();
}

bool ProjectDocument::open(const QString& file) {
    try {
        adopt(ft::loadProject(file.toStdString()), file);
        return true;
    } catch (const ft::Error& e) {
        m_lastError = errorText(e);
        return false;
    }
}

bool ProjectDocument::write(const ft::Project& project, const QString& file) {
    try {
        ft::saveProject(project, file.toStdString());
        return true;
    } catch (const ft::Error& e) {
        m_lastError = errorText(e);
        return false;
    }
}

bool ProjectDocument::create(const QString& file, const ft::Project& project) {
    ft::Project p = project;
    if (p.name.empty() || p.name == "Untitled") p.name = QFileInfo(file).completeBaseName().toStdString();
    p.file = file.toStdString();
    if (!write(p, file)) return false;
    adopt(std::move(p), file);
    emit saved(file);
    return true;
}

bool ProjectDocument::save() { return saveAs(m_file); }

bool ProjectDocument::saveAs(const QString& file) {
    if (file.isEmpty()) {
        m_lastError = tr("The project has no file yet: choose where to save it.");
        return false;
    }
    ft::Project p = m_project;
    const bool moved = !m_file.isEmpty() && QFileInfo(file).absolutePath() != QFileInfo(m_file).absolutePath();
    if (moved) {
        // Paths in a project are relative to its file: moving the file keeps them pointing at the same places.
        if (!p.model.empty()) p.model = p.resolve(p.model).string();
        if (!p.dataset.empty()) p.dataset = p.resolve(p.dataset).string();
        p.output = p.resolve(p.output).string();
    }
    p.file = file.toStdString();
    if (!write(p, file)) return false;
    if (file != m_file) {
        adopt(std::move(p), file);
    } else {
        setModified(false);
    }
    emit saved(file);
    return true;
}

void ProjectDocument::markModified() { setModified(true); }

void ProjectDocument::setModified(bool modified) {
    if (m_modified == modified) return;
    m_modified = modified;
    emit modifiedChanged(modified);
}

QString ProjectDocument::resolvedPath(const std::string& path) const {
    if (path.empty()) return {};
    return QString::fromStdString(m_project.resolve(path).string());
}

std::string ProjectDocument::projectPath(const QString& path) const {
    if (path.isEmpty() || m_file.isEmpty()) return path.toStdString();
    const QDir base = QFileInfo(m_file).absoluteDir();
    const QString rel = base.relativeFilePath(QFileInfo(path).absoluteFilePath());
    return (rel.startsWith(QStringLiteral("..")) ? QFileInfo(path).absoluteFilePath() : rel).toStdString();
}

void ProjectDocument::refreshRuns() {
    std::vector<ft::RunInfo> runs;
    if (isOpen()) {
        try {
            runs = ft::listRuns(ft::runsRoot(m_project));
        } catch (const ft::Error&) {
            // An unreadable output folder has no runs to show; training there reports why.
        }
    }
    const bool same = runs.size() == m_runs.size() &&
                      std::equal(runs.begin(), runs.end(), m_runs.begin(), [](const ft::RunInfo& a, const ft::RunInfo& b) {
                          return a.id == b.id && a.state == b.state && a.stepsDone == b.stepsDone &&
                                 a.totalSteps == b.totalSteps && a.adapter == b.adapter &&
                                 a.latestCheckpoint == b.latestCheckpoint;
                      });
    m_runs = std::move(runs);
    if (!m_selectedRun.isEmpty() &&
        std::none_of(m_runs.begin(), m_runs.end(), [&](const ft::RunInfo& r) { return r.id == m_selectedRun.toStdString(); }))
        m_selectedRun.clear();
    if (!same) emit runsChanged();
}

std::optional<ft::RunInfo> ProjectDocument::selectedRun() const {
    if (m_runs.empty()) return std::nullopt;
    for (const ft::RunInfo& r : m_runs)
        if (!m_selectedRun.isEmpty() && r.id == m_selectedRun.toStdString()) return r;
    return m_runs.back();
}

void ProjectDocument::selectRun(const QString& id) {
    if (id == m_selectedRun) return;
    m_selectedRun = id;
    emit runsChanged();
}
