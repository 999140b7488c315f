#include "core/train/streamed_encoding.h"

#include "core/common/error.h"

#include <algorithm>
#include <exception>

namespace ft {

namespace {

// Raw-text documents into blocks as encodeRawText cuts them: one stream, whole blocks taken as they fill.
class BlockCutter {
public:
    explicit BlockCutter(int blockSize) : m_blockSize(size_t(std::max(0, blockSize))) {}
    void add(const std::vector<int>& document, ExampleTableBuilder& out) {
        m_total += document.size();
        m_pending.insert(m_pending.end(), document.begin(), document.end());
        if (m_blockSize < 2) return;  // refused at the end, as encodeRawText refuses it
        size_t at = 0;
        for (; m_pending.size() - at >= m_blockSize; at += m_blockSize) {
            TokenizedExample b;
            b.ids.assign(m_pending.begin() + ptrdiff_t(at), m_pending.begin() + ptrdiff_t(at + m_blockSize));
            b.labels = b.ids;
            b.line = int(++m_blocks);
            out.add(b);
        }
        m_pending.erase(m_pending.begin(), m_pending.begin() + ptrdiff_t(at));
    }
    size_t blocks() const { return m_blocks; }
    size_t totalTokens() const { return m_total; }

private:
    size_t m_blockSize;
    std::vector<int> m_pending;
    size_t m_blocks = 0, m_total = 0;
};

} // namespace

StreamedEncoding encodeJsonlStreamed(const std::filesystem::path& file, const DatasetOptions& options,
                                     const EncodeSettings& settings, const EncoderPool& pool, ExampleTableBuilder& out) {
    const bool rawText = settings.kind == DatasetKind::RawText;
    DatasetStream stream(file, settings.kind, options, pool.threads(), settings.chunkBytes);
    StreamedEncoding result;
    BlockCutter blocks(settings.blockSize);
    // The encoder's first failure, raised once the file is read: loadDataset reads every row before anything is
    // encoded, so its own refusals come first.
    std::exception_ptr encodeError;
    std::vector<TokenizedExample> encoded;
    std::vector<std::vector<int>> documents;
    std::vector<std::exception_ptr> failures;
    while (std::optional<DatasetChunk> chunk = stream.next()) {
        result.errors.insert(result.errors.end(), chunk->errors.begin(), chunk->errors.end());
        result.rows += chunk->examples.size();
        if (encodeError) continue;  // the rest is read only for loadDataset's errors
        const size_t n = chunk->examples.size();
        encoded.assign(rawText ? 0 : n, {});
        documents.assign(rawText ? n : 0, {});
        failures.assign(n, nullptr);
        pool.forEach(n, [&](const ExampleEncoder& encoder, size_t i) {
            try {
                if (rawText) documents[i] = encoder.encodeDocument(chunk->examples[i].text);
                else encoded[i] = encoder.encodeChat(chunk->examples[i], settings.maxLength, settings.trainOnPrompt);
            } catch (...) {
                failures[i] = std::current_exception();
            }
        });
        for (size_t i = 0; i < n && !encodeError; ++i) {
            if (failures[i]) encodeError = failures[i];
            else if (rawText) blocks.add(documents[i], out);
            else out.add(encoded[i]);
        }
    }
    result.contentHash = stream.contentHash();
    result.bytes = stream.bytes();

    stream.finish();  // no usable row
    if (rawText && settings.blockSize < 2) throw Error(ErrorCode::InvalidValue, "block_size", "must be at least 2");
    if (encodeError) std::rethrow_exception(encodeError);
    if (rawText && blocks.blocks() == 0) throw tooFewTokensForABlock(blocks.totalTokens(), settings.blockSize);
    return result;
}

} // namespace ft
