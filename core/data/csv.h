#pragma once
// RFC 4180 CSV (and TSV): quoted fields, doubled quotes, newlines inside quotes. Each record keeps the line it
// starts on, so a bad row can be reported where the user will find it.

#include <string>
#include <string_view>
#include <vector>

namespace ft {

struct CsvRecord {
    int line = 0;  // 1-based line where the record starts
    std::vector<std::string> fields;
};

struct CsvError {
    int line = 0;
    std::string reason;
};

// Parses all records; a record with an unterminated quote ends the parse with an error at its line.
std::vector<CsvRecord> parseCsv(std::string_view text, char delimiter, std::vector<CsvError>& errors);

} // namespace ft
