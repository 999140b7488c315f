#include "core/data/csv.h"

namespace ft {

std::vector<CsvRecord> parseCsv(std::string_view text, char delimiter, std::vector<CsvError>& errors) {
    std::vector<CsvRecord> records;
    CsvRecord rec;
    std::string field;
    int line = 1;
    rec.line = 1;
    bool inQuotes = false, fieldStarted = false, quoted = false;
    auto endField = [&] {
        rec.fields.push_back(std::move(field));
        field.clear();
        fieldStarted = quoted = false;
    };
    auto endRecord = [&](int nextLine) {
        if (!(rec.fields.empty() && field.empty() && !fieldStarted)) {
            endField();
            records.push_back(std::move(rec));
        }
        rec = CsvRecord{};
        rec.line = nextLine;
    };
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (inQuotes) {
            if (c == '"') {
                if (i + 1 < text.size() && text[i + 1] == '"') {
                    field += '"';
                    ++i;
                } else {
                    inQuotes = false;
                }
            } else {
                if (c == '\n') ++line;
                field += c;
            }
            continue;
        }
        if (c == '"' && !fieldStarted) {
            inQuotes = quoted = fieldStarted = true;
        } else if (c == delimiter) {
            endField();
        } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
            continue;  // CRLF: the '\n' ends the record
        } else if (c == '\n') {
            ++line;
            endRecord(line);
        } else {
            field += c;
            fieldStarted = true;
        }
    }
    if (inQuotes) {
        errors.push_back({rec.line, "a quoted field is never closed"});
        return records;
    }
    endRecord(line);
    return records;
}

} // namespace ft
