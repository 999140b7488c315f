#pragma once
// Encoded examples kept compactly and handed out one at a time, so a million-row dataset does not sit in memory as
// two std::vector<int> per example: token ids as uint16 where the vocabulary fits (else uint32), labels as the runs
// of tokens that are trained (every label is its token's id or kIgnoreIndex). The arrays are either built in memory
// or views of a mapped token cache file (train/token_cache). ExampleRows says which examples make each training row.

#include "core/train/example_encoder.h"

#include <cstdint>
#include <cstdio>
#include <memory>
#include <span>
#include <vector>

namespace ft {

struct TokenRun {
    uint32_t begin = 0, end = 0;  // tokens [begin, end) of an example whose label is their id
};

// The arrays an ExampleTable reads; a token cache file holds the same ones.
struct ExampleColumns {
    std::span<const uint64_t> tokenStarts;  // examples + 1: where each example's ids start in `ids`
    std::span<const uint64_t> runStarts;    // examples + 1: where each example's runs start in `runs`
    std::span<const TokenRun> runs;
    std::span<const int32_t> lines;         // source line (raw-text blocks: block number)
    std::span<const uint8_t> flags;         // bit 0: truncated
    const void* ids = nullptr;              // tokenStarts.back() ids of idBytes each
    int idBytes = 4;
};

class ExampleTable {
public:
    // `keepAlive` owns what the columns point into (the builder's vectors, or a file mapping).
    ExampleTable(ExampleColumns columns, std::shared_ptr<const void> keepAlive);

    size_t size() const { return m_c.lines.size(); }
    size_t length(size_t i) const { return size_t(m_c.tokenStarts[i + 1] - m_c.tokenStarts[i]); }
    int line(size_t i) const { return m_c.lines[i]; }
    bool truncated(size_t i) const { return (m_c.flags[i] & 1) != 0; }
    uint64_t tokens() const { return m_c.tokenStarts.back(); }
    int idBytes() const { return m_c.idBytes; }
    // Example i's ids and labels appended to `out`'s.
    void appendTo(size_t i, TokenizedExample& out) const;
    TokenizedExample example(size_t i) const;
    const ExampleColumns& columns() const { return m_c; }

private:
    ExampleColumns m_c;
    std::shared_ptr<const void> m_keepAlive;
};

// Builds the columns, in memory or with the ids written to a file as they come (a token cache being written; the
// rest, a few bytes per example, stays in memory until the file is finished).
class ExampleTableBuilder {
public:
    // idBytes 2 when every id of the vocabulary fits in 16 bits, else 4. `idsOut`: where the ids go (nullptr: memory).
    explicit ExampleTableBuilder(int vocabSize, std::FILE* idsOut = nullptr);
    ~ExampleTableBuilder();
    ExampleTableBuilder(const ExampleTableBuilder&) = delete;
    ExampleTableBuilder& operator=(const ExampleTableBuilder&) = delete;

    // Throws Internal for a label that is neither the token's id nor kIgnoreIndex, or an id past idBytes.
    void add(const TokenizedExample& e);
    size_t size() const;
    int idBytes() const;
    uint64_t tokens() const;
    // The columns so far (ids null when they went to the file).
    ExampleColumns columns() const;
    // The table built in memory; the builder is empty afterwards.
    std::shared_ptr<const ExampleTable> finish();

private:
    struct Store;
    std::shared_ptr<Store> m_store;
    std::FILE* m_idsOut;
};

// Training or validation rows over an ExampleTable: each row one example, or (packed) several examples, each its own
// segment, as packExamples makes them. Rows are materialized as TokenizedExample when asked for, one at a time.
class ExampleRows {
public:
    ExampleRows() = default;
    // One example a row, in the order given.
    ExampleRows(std::shared_ptr<const ExampleTable> table, std::vector<uint32_t> examples);
    // Rows of several examples (packRows' lists; example indices into `table`).
    static ExampleRows packed(std::shared_ptr<const ExampleTable> table, const std::vector<std::vector<size_t>>& rows);

    size_t size() const { return m_packed ? m_rowStarts.size() - 1 : m_members.size(); }
    bool empty() const { return size() == 0; }
    TokenizedExample operator[](size_t row) const;
    // Without building the row: its first example's line, and its length in tokens.
    int line(size_t row) const;
    size_t length(size_t row) const;
    std::span<const uint32_t> examplesOf(size_t row) const;
    const std::shared_ptr<const ExampleTable>& table() const { return m_table; }

    class Iterator {
    public:
        using value_type = TokenizedExample;
        using difference_type = std::ptrdiff_t;
        Iterator() = default;
        Iterator(const ExampleRows* rows, size_t at) : m_rows(rows), m_at(at) {}
        TokenizedExample operator*() const { return (*m_rows)[m_at]; }
        Iterator& operator++() { ++m_at; return *this; }
        Iterator operator++(int) { Iterator was = *this; ++m_at; return was; }
        bool operator==(const Iterator& o) const { return m_at == o.m_at; }

    private:
        const ExampleRows* m_rows = nullptr;
        size_t m_at = 0;
    };
    Iterator begin() const { return {this, 0}; }
    Iterator end() const { return {this, size()}; }

private:
    std::shared_ptr<const ExampleTable> m_table;
    std::vector<uint32_t> m_members;    // example indices, row after row
    std::vector<uint32_t> m_rowStarts;  // packed: rows + 1 starts into m_members; else empty (one example a row)
    bool m_packed = false;
};

} // namespace ft
