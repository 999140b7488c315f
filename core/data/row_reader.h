#pragma once
// What loadDataset does with each parsed record of a JSONL, JSON or CSV file, in file order: the format detected from
// the first usable record (unless given), the kind checked against it, then each record read as that format or left
// out with the reason loadDataset reports. One implementation for loadDataset and the streamed training preparation
// (train/streamed_encoding), so both report the same rows with the same words.

#include "core/data/dataset.h"

#include <nlohmann/json_fwd.hpp>

#include <optional>
#include <string>

namespace ft {

struct RowOutcome {
    std::optional<Example> example;
    std::optional<RowError> error;  // the row is left out, with why
};

class RowReader {
public:
    RowReader(std::string where, std::optional<DatasetKind> kind, const DatasetOptions& options);

    // The next record in file order. Throws Error (InvalidValue, "<file>:<line>") when the records hold another kind
    // than the one asked for.
    RowOutcome next(int line, const nlohmann::json& record);
    // Once the format is settled (given, or detected by next()), read() gives what next() would, and may run on
    // several threads at once.
    bool settled() const { return m_format.has_value(); }
    RowOutcome read(int line, const nlohmann::json& record) const;

    std::optional<DatasetFormat> format() const { return m_format; }
    std::optional<DatasetKind> kind() const { return m_kind; }

private:
    std::string m_where;
    std::optional<DatasetKind> m_kind;
    std::optional<DatasetFormat> m_format;
    const DatasetOptions& m_options;
};

} // namespace ft
