#include "core/model/quantize_tensors.h"

#include "core/common/error.h"
#include "core/model/model_folder.h"
#include "core/model/tensor_names.h"

namespace fs = std::filesystem;

namespace ft {

QuantReport quantizeTensors(const fs::path& source, const std::optional<std::string>& layer, const QuantOptions& options,
                            const std::optional<fs::path>& out) {
    const bool model = fs::is_directory(source);
    TensorSelector select;
    if (layer)
        select = [&layer](const TensorEntry& e) { return e.name == *layer; };
    else if (model)
        select = [](const TensorEntry& e) { return isBlockProjectionWeight(e.name, e.shape.size()); };
    QuantReport report = quantizeTensorFiles(model ? modelWeightFiles(source) : std::vector<fs::path>{source}, select, options, out);
    if (report.tensors.empty())
        throw Error(ErrorCode::InvalidValue, source.string(),
                    layer ? "no floating-point tensor named '" + *layer + "'" : "no floating-point tensor to quantize");
    return report;
}

} // namespace ft
