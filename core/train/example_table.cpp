#include "core/train/example_table.h"

#include "core/common/error.h"

#include <algorithm>
#include <string>

namespace ft {

ExampleTable::ExampleTable(ExampleColumns columns, std::shared_ptr<const void> keepAlive)
    : m_c(columns), m_keepAlive(std::move(keepAlive)) {}

void ExampleTable::appendTo(size_t i, TokenizedExample& out) const {
    const uint64_t begin = m_c.tokenStarts[i], n = m_c.tokenStarts[i + 1] - begin;
    const size_t at = out.ids.size();
    out.ids.resize(at + n);
    if (m_c.idBytes == 2) {
        const auto* ids = static_cast<const uint16_t*>(m_c.ids) + begin;
        std::copy(ids, ids + n, out.ids.begin() + ptrdiff_t(at));
    } else {
        const auto* ids = static_cast<const uint32_t*>(m_c.ids) + begin;
        std::copy(ids, ids + n, out.ids.begin() + ptrdiff_t(at));
    }
    out.labels.resize(at + n, kIgnoreIndex);
    for (uint64_t r = m_c.runStarts[i]; r < m_c.runStarts[i + 1]; ++r)
        std::copy(out.ids.begin() + ptrdiff_t(at + m_c.runs[r].begin), out.ids.begin() + ptrdiff_t(at + m_c.runs[r].end),
                  out.labels.begin() + ptrdiff_t(at + m_c.runs[r].begin));
}

TokenizedExample ExampleTable::example(size_t i) const {
    TokenizedExample e;
    appendTo(i, e);
    e.line = line(i);
    e.truncated = truncated(i);
    return e;
}

struct ExampleTableBuilder::Store {
    std::vector<uint64_t> tokenStarts{0}, runStarts{0};
    std::vector<TokenRun> runs;
    std::vector<int32_t> lines;
    std::vector<uint8_t> flags;
    std::vector<uint16_t> ids16;
    std::vector<uint32_t> ids32;
    int idBytes = 4;
};

ExampleTableBuilder::ExampleTableBuilder(int vocabSize, std::FILE* idsOut)
    : m_store(std::make_shared<Store>()), m_idsOut(idsOut) {
    m_store->idBytes = vocabSize <= 65536 ? 2 : 4;
}

ExampleTableBuilder::~ExampleTableBuilder() = default;

void ExampleTableBuilder::add(const TokenizedExample& e) {
    Store& s = *m_store;
    const auto bad = [&](const std::string& what) {
        return Error(ErrorCode::Internal, "example at line " + std::to_string(e.line), what);
    };
    if (e.labels.size() != e.ids.size()) throw bad("has " + std::to_string(e.labels.size()) + " labels for " +
                                                   std::to_string(e.ids.size()) + " tokens");
    for (size_t t = 0; t < e.ids.size();) {
        if (e.labels[t] == kIgnoreIndex) {
            ++t;
            continue;
        }
        const size_t begin = t;
        while (t < e.ids.size() && e.labels[t] != kIgnoreIndex) {
            if (e.labels[t] != e.ids[t]) throw bad("a label that is neither its token nor ignored");
            ++t;
        }
        s.runs.push_back({uint32_t(begin), uint32_t(t)});
    }
    const uint32_t limit = s.idBytes == 2 ? 0xFFFFu : 0xFFFFFFFFu;
    if (s.idBytes == 2) {
        const size_t at = s.ids16.size();
        s.ids16.resize(at + e.ids.size());
        for (size_t t = 0; t < e.ids.size(); ++t) {
            if (e.ids[t] < 0 || uint32_t(e.ids[t]) > limit) throw bad("token id " + std::to_string(e.ids[t]) + " is out of range");
            s.ids16[at + t] = uint16_t(e.ids[t]);
        }
    } else {
        const size_t at = s.ids32.size();
        s.ids32.resize(at + e.ids.size());
        for (size_t t = 0; t < e.ids.size(); ++t) {
            if (e.ids[t] < 0) throw bad("token id " + std::to_string(e.ids[t]) + " is out of range");
            s.ids32[at + t] = uint32_t(e.ids[t]);
        }
    }
    if (m_idsOut) {  // the file takes them now; memory keeps only the per-example columns
        const bool ok = s.idBytes == 2 ? std::fwrite(s.ids16.data(), 2, s.ids16.size(), m_idsOut) == s.ids16.size()
                                       : std::fwrite(s.ids32.data(), 4, s.ids32.size(), m_idsOut) == s.ids32.size();
        if (!ok) throw Error(ErrorCode::FileUnwritable, "token cache", "could not write the token ids (disk full?)");
        s.ids16.clear();
        s.ids32.clear();
    }
    s.tokenStarts.push_back(s.tokenStarts.back() + e.ids.size());
    s.runStarts.push_back(s.runs.size());
    s.lines.push_back(e.line);
    s.flags.push_back(e.truncated ? 1 : 0);
}

size_t ExampleTableBuilder::size() const { return m_store->lines.size(); }
int ExampleTableBuilder::idBytes() const { return m_store->idBytes; }
uint64_t ExampleTableBuilder::tokens() const { return m_store->tokenStarts.back(); }

ExampleColumns ExampleTableBuilder::columns() const {
    const Store& s = *m_store;
    ExampleColumns c;
    c.tokenStarts = s.tokenStarts;
    c.runStarts = s.runStarts;
    c.runs = s.runs;
    c.lines = s.lines;
    c.flags = s.flags;
    c.idBytes = s.idBytes;
    c.ids = m_idsOut ? nullptr : s.idBytes == 2 ? static_cast<const void*>(s.ids16.data()) : s.ids32.data();
    return c;
}

std::shared_ptr<const ExampleTable> ExampleTableBuilder::finish() {
    const ExampleColumns c = columns();
    auto table = std::make_shared<const ExampleTable>(c, m_store);
    m_store = std::make_shared<Store>();
    m_store->idBytes = c.idBytes;
    return table;
}

ExampleRows::ExampleRows(std::shared_ptr<const ExampleTable> table, std::vector<uint32_t> examples)
    : m_table(std::move(table)), m_members(std::move(examples)) {}

ExampleRows ExampleRows::packed(std::shared_ptr<const ExampleTable> table, const std::vector<std::vector<size_t>>& rows) {
    ExampleRows out;
    out.m_table = std::move(table);
    out.m_packed = true;
    out.m_rowStarts.reserve(rows.size() + 1);
    out.m_rowStarts.push_back(0);
    for (const auto& r : rows) {
        for (const size_t i : r) out.m_members.push_back(uint32_t(i));
        out.m_rowStarts.push_back(uint32_t(out.m_members.size()));
    }
    return out;
}

std::span<const uint32_t> ExampleRows::examplesOf(size_t row) const {
    if (!m_packed) return {m_members.data() + row, 1};
    return {m_members.data() + m_rowStarts[row], m_members.data() + m_rowStarts[row + 1]};
}

int ExampleRows::line(size_t row) const { return m_table->line(examplesOf(row).front()); }

size_t ExampleRows::length(size_t row) const {
    size_t n = 0;
    for (const uint32_t i : examplesOf(row)) n += m_table->length(i);
    return n;
}

TokenizedExample ExampleRows::operator[](size_t row) const {
    if (!m_packed) return m_table->example(m_members[row]);
    // As packExamples builds a row: the examples in order, each its own segment (1, 2, ...), truncated if any is.
    TokenizedExample out;
    const auto members = examplesOf(row);
    out.line = m_table->line(members.front());
    const size_t n = length(row);
    out.ids.reserve(n);
    out.labels.reserve(n);
    out.segments.reserve(n);
    int segment = 0;
    for (const uint32_t i : members) {
        m_table->appendTo(i, out);
        out.segments.resize(out.ids.size(), ++segment);
        out.truncated = out.truncated || m_table->truncated(i);
    }
    return out;
}

} // namespace ft
