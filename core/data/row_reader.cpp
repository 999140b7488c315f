#include "core/data/row_reader.h"

#include "core/common/error.h"
#include "core/data/record_format.h"
#include "core/io/json_error.h"

#include <nlohmann/json.hpp>

namespace ft {

namespace {

const char* kindWord(DatasetKind kind) {
    switch (kind) {
    case DatasetKind::RawText: return "raw text; choose Base FT";
    case DatasetKind::Preference: return "preference pairs (or labelled answers); choose Preference tuning";
    case DatasetKind::Instruct: break;
    }
    return "instruction pairs; choose Instruct FT";
}

} // namespace

RowReader::RowReader(std::string where, std::optional<DatasetKind> kind, const DatasetOptions& options)
    : m_where(std::move(where)), m_kind(kind), m_format(options.format), m_options(options) {}

RowOutcome RowReader::next(int line, const nlohmann::json& record) {
    if (!m_format && record.is_object()) {
        m_format = recordFormat(record, m_options.columns);
        if (!m_format) return {std::nullopt, RowError{m_where, line, describeRefusal({Refusal::NoKnownFields, {}, {}})}};
    }
    if (m_format && record.is_object() && !m_kind) m_kind = kindOfFormat(*m_format);
    return read(line, record);
}

RowOutcome RowReader::read(int line, const nlohmann::json& record) const {
    if (!record.is_object()) return {std::nullopt, RowError{m_where, line, describeRefusal({Refusal::NotObject, {}, {}})}};
    const DatasetKind formatKind = kindOfFormat(*m_format);
    if (m_kind.value_or(formatKind) != formatKind)
        throw Error(ErrorCode::InvalidValue, m_where + ":" + std::to_string(line),
                    std::string("records hold ") + kindWord(formatKind));
    try {
        RecordRead read = readRecord(record, *m_format, m_options.columns);
        if (read.refusal) return {std::nullopt, RowError{m_where, line, describeRefusal(*read.refusal)}};
        read.example.line = line;
        return {std::move(read.example), std::nullopt};
    } catch (const nlohmann::json::exception& e) {
        return {std::nullopt, RowError{m_where, line, describeJsonError(e)}};
    }
}

} // namespace ft
