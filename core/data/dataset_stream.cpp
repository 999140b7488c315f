#include "core/data/dataset_stream.h"

#include "core/common/error.h"
#include "core/common/parallel_for.h"
#include "core/data/jsonl_reader.h"

#include <nlohmann/json.hpp>

namespace ft {

bool streamsAsJsonl(const std::filesystem::path& file, const DatasetOptions& options) {
    const std::string ext = file.extension().string();
    return ext != ".txt" && ext != ".csv" && ext != ".tsv" && ext != ".json" && options.format != DatasetFormat::PlainText;
}

DatasetStream::DatasetStream(const std::filesystem::path& file, std::optional<DatasetKind> kind,
                             const DatasetOptions& options, int threads, size_t chunkBytes)
    : m_file(file), m_where(file.string()), m_options(options), m_threads(threads > 0 ? threads : hardwareThreads()),
      m_chunkBytes(chunkBytes) {
    if (streamsAsJsonl(file, options)) {
        m_reader = std::make_unique<JsonlReader>(file, options.maxLineBytes);
        m_rows = std::make_unique<RowReader>(m_where, kind, m_options);
    } else {
        m_whole = loadDataset(file, kind, options);
    }
}

DatasetStream::~DatasetStream() = default;

std::optional<DatasetChunk> DatasetStream::next() {
    if (!m_reader) {
        if (m_wholeGiven) return std::nullopt;
        m_wholeGiven = true;
        DatasetChunk whole{std::move(m_whole->examples), std::move(m_whole->errors)};
        m_usable += whole.examples.size();
        return whole;
    }
    const std::vector<JsonlLine> lines = m_reader->next(m_chunkBytes);
    if (lines.empty()) return std::nullopt;
    struct Slot {
        std::optional<nlohmann::json> record;
        RowOutcome outcome;
    };
    std::vector<Slot> slots(lines.size());
    const auto parse = [&](size_t i) {
        ParsedLine parsed = parseJsonlLine(lines[i], m_where, m_options.maxLineBytes);
        if (auto* e = std::get_if<RowError>(&parsed)) slots[i].outcome.error = std::move(*e);
        else if (auto* r = std::get_if<nlohmann::json>(&parsed)) slots[i].record = std::move(*r);
    };
    // Until the format is known (the first usable record names it), records are read in order; after that every
    // record is read alike, on any thread.
    size_t inOrder = 0;
    if (!m_rows->settled()) {
        parallelFor(lines.size(), m_threads, [&](int, size_t i) { parse(i); });
        for (; inOrder < lines.size() && !m_rows->settled(); ++inOrder)
            if (slots[inOrder].record) slots[inOrder].outcome = m_rows->next(lines[inOrder].line, *slots[inOrder].record);
    }
    const RowReader& rows = *m_rows;
    parallelFor(lines.size() - inOrder, m_threads, [&](int, size_t k) {
        const size_t i = inOrder + k;
        if (inOrder == 0) parse(i);
        if (slots[i].record) slots[i].outcome = rows.read(lines[i].line, *slots[i].record);  // throws for another kind
        slots[i].record.reset();
    });
    DatasetChunk chunk;
    for (Slot& s : slots) {
        if (s.outcome.error) {
            if (!m_firstError) m_firstError = s.outcome.error;
            chunk.errors.push_back(std::move(*s.outcome.error));
        }
        if (s.outcome.example) chunk.examples.push_back(std::move(*s.outcome.example));
    }
    m_usable += chunk.examples.size();
    return chunk;
}

void DatasetStream::finish() const {
    if (m_usable == 0) {
        std::vector<RowError> first;
        if (m_firstError) first.push_back(*m_firstError);
        throw noUsableRecords(m_where, first);
    }
}

std::optional<DatasetFormat> DatasetStream::format() const {
    if (m_rows) return m_rows->format();
    return m_whole ? std::optional(m_whole->format) : std::nullopt;
}

DatasetKind DatasetStream::kind() const {
    if (m_rows) return m_rows->kind().value_or(DatasetKind::Instruct);
    return m_whole ? m_whole->kind : DatasetKind::Instruct;
}

uint64_t DatasetStream::contentHash() const { return m_reader ? m_reader->contentHash() : 0; }
uint64_t DatasetStream::bytes() const { return m_reader ? m_reader->bytesRead() : 0; }

} // namespace ft
