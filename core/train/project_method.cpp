#include "core/train/project_method.h"

#include "core/common/error.h"
#include "core/peft/methods.h"

namespace ft {

const MethodSpec& projectMethod(const Project& project) {
    if (const MethodSpec* spec = findMethod(project.method)) return *spec;
    throw Error(ErrorCode::InvalidValue, project.file.string() + ": method", "'" + project.method + "' is not a method we train");
}

bool packsRows(const Project& project) {
    return project.training.packing && project.kind == FinetuneKind::Instruct && packsRows(projectMethod(project));
}

int rowsPerBatch(const Project& project) {
    const bool pairs = project.kind == FinetuneKind::Preference && project.preference.loss != "kto";
    return project.training.batchSize * (pairs ? 2 : 1);
}

DatasetKind datasetKindOf(FinetuneKind kind) {
    switch (kind) {
    case FinetuneKind::Base: return DatasetKind::RawText;
    case FinetuneKind::Preference: return DatasetKind::Preference;
    case FinetuneKind::Instruct: break;
    }
    return DatasetKind::Instruct;
}

MethodSettings methodSettings(const Project& project) {
    MethodSettings s;
    s.method = projectMethod(project).id;
    s.lora = project.lora;
    s.qlora = project.qlora;
    s.adapter = project.adapter;
    s.promptLearning = project.promptLearning;
    s.packedRows = packsRows(project);
    s.source = project.file.string();
    return s;
}

int64_t attachMethod(CausalLM& lm, const Project& project, const ModelFolder& folder) {
    return attachMethod(lm, methodSettings(project), folder);
}

void exportMethod(CausalLM& lm, const Project& project, const std::string& baseModel, const std::filesystem::path& dir) {
    if (!findMethod(project.method))
        throw Error(ErrorCode::InvalidValue, "method", "'" + project.method + "' is not a method we export");
    exportMethod(lm, methodSettings(project), baseModel, dir);
}

} // namespace ft
