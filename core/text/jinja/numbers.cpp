#include "core/text/jinja/numbers.h"

#include "core/common/error.h"
#include "core/text/jinja/unicode.h"

#include <cctype>
#include <charconv>
#include <cmath>

namespace ft::jinja {

namespace {

std::string_view trimSpaces(std::string_view s, std::string& storage) {
    storage = unicode::strip(s, nullptr, true, true);
    return storage;
}

int digitValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    const char lower = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower >= 'a' && lower <= 'z') return lower - 'a' + 10;
    return 99;
}

// Digits with single underscores between them (Python's numeric literal grammar); false if malformed.
bool stripUnderscores(std::string_view s, std::string& out, bool allowLeadingUnderscore) {
    out.clear();
    bool lastUnderscore = !allowLeadingUnderscore;
    for (char c : s) {
        if (c == '_') {
            if (lastUnderscore) return false;
            lastUnderscore = true;
            continue;
        }
        out.push_back(c);
        lastUnderscore = false;
    }
    return !lastUnderscore && !out.empty();
}

} // namespace

std::optional<int64_t> parsePythonInt(std::string_view text, int base) {
    std::string storage;
    std::string_view s = trimSpaces(text, storage);
    if (base != 0 && (base < 2 || base > 36)) return std::nullopt;
    bool negative = false;
    if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
        negative = s[0] == '-';
        s.remove_prefix(1);
    }
    bool prefixed = false;
    if (s.size() >= 2 && s[0] == '0') {
        const char p = static_cast<char>(std::tolower(static_cast<unsigned char>(s[1])));
        const int prefixBase = p == 'x' ? 16 : p == 'o' ? 8 : p == 'b' ? 2 : 0;
        if (prefixBase && (base == 0 || base == prefixBase)) {
            base = prefixBase;
            s.remove_prefix(2);
            prefixed = true;
        }
    }
    if (base == 0) { // no prefix: decimal, where leading zeros are only allowed for zero itself
        base = 10;
        if (s.size() > 1 && s[0] == '0' && s.find_first_not_of("0_") != std::string_view::npos)
            return std::nullopt;
    }
    std::string digits;
    if (!stripUnderscores(s, digits, prefixed)) return std::nullopt;
    unsigned __int128 value = 0;
    for (char c : digits) {
        const int d = digitValue(c);
        if (d >= base) return std::nullopt;
        value = value * static_cast<unsigned>(base) + static_cast<unsigned>(d);
        if (value > static_cast<unsigned __int128>(INT64_MAX) + 1)
            throw Error(ErrorCode::Unsupported, "", "integer does not fit in 64 bits");
    }
    if (!negative && value > static_cast<unsigned __int128>(INT64_MAX))
        throw Error(ErrorCode::Unsupported, "", "integer does not fit in 64 bits");
    return negative ? static_cast<int64_t>(-static_cast<__int128>(value)) : static_cast<int64_t>(value);
}

std::optional<double> parsePythonFloat(std::string_view text) {
    std::string storage;
    std::string_view s = trimSpaces(text, storage);
    bool negative = false;
    if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
        negative = s[0] == '-';
        s.remove_prefix(1);
    }
    std::string lower;
    for (char c : s)
        lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    if (lower == "inf" || lower == "infinity") return negative ? -HUGE_VAL : HUGE_VAL;
    if (lower == "nan") return std::nan("");
    // mantissa: digits [. digits] | . digits, then an optional exponent
    const size_t ePos = lower.find('e');
    const std::string_view mantissa = std::string_view(lower).substr(0, ePos);
    const size_t dot = mantissa.find('.');
    std::string clean;
    std::string part;
    const std::string_view intPart = mantissa.substr(0, dot);
    const std::string_view fracPart =
        dot == std::string_view::npos ? std::string_view() : mantissa.substr(dot + 1);
    if (intPart.empty() && fracPart.empty()) return std::nullopt;
    if (!intPart.empty()) {
        if (!stripUnderscores(intPart, part, false) ||
            part.find_first_not_of("0123456789") != std::string::npos)
            return std::nullopt;
        clean += part;
    } else {
        clean += "0";
    }
    if (!fracPart.empty()) {
        if (!stripUnderscores(fracPart, part, false) ||
            part.find_first_not_of("0123456789") != std::string::npos)
            return std::nullopt;
        clean += "." + part;
    }
    if (ePos != std::string::npos) {
        std::string_view exp = std::string_view(lower).substr(ePos + 1);
        std::string sign;
        if (!exp.empty() && (exp[0] == '+' || exp[0] == '-')) {
            sign = exp[0] == '-' ? "-" : "";
            exp.remove_prefix(1);
        }
        if (!stripUnderscores(exp, part, false) || part.find_first_not_of("0123456789") != std::string::npos)
            return std::nullopt;
        clean += "e" + sign + part;
    }
    double value = 0;
    const auto res = std::from_chars(clean.data(), clean.data() + clean.size(), value);
    if (res.ec == std::errc::result_out_of_range)
        value = clean.find("e-") != std::string::npos ? 0.0 : HUGE_VAL; // Python gives 0.0 or inf
    else if (res.ec != std::errc() || res.ptr != clean.data() + clean.size())
        return std::nullopt;
    return negative ? -value : value;
}

int64_t truncateToInt(double d) {
    if (std::isinf(d)) throw Error(ErrorCode::InvalidValue, "", "cannot convert float infinity to integer");
    if (std::isnan(d)) throw Error(ErrorCode::InvalidValue, "", "cannot convert float NaN to integer");
    if (std::fabs(d) >= 9223372036854775808.0)
        throw Error(ErrorCode::Unsupported, "", "integer does not fit in 64 bits");
    return static_cast<int64_t>(d);
}

Value pythonRound(const Value& v, int64_t digits) {
    if (!v.isFloat()) {
        const int64_t x = v.asInt();
        if (digits >= 0) return Value::integer(x);
        if (digits < -18) return Value::integer(0);
        int64_t scale = 1;
        for (int64_t i = 0; i < -digits; ++i)
            scale *= 10;
        int64_t q = x / scale;
        int64_t r = x % scale;
        if (r < 0) {
            r += scale;
            --q;
        }
        if (2 * static_cast<__int128>(r) > scale || (2 * static_cast<__int128>(r) == scale && (q & 1))) ++q;
        return Value::integer(q * scale);
    }
    const double x = v.asDouble();
    if (!std::isfinite(x) || x == 0.0 || digits > 323) return Value::real(x);
    if (digits >= 0) {
        // The exact decimal expansion rounded half-to-even: what CPython's dtoa-based round does.
        char buf[1100];
        const auto res =
            std::to_chars(buf, buf + sizeof buf, x, std::chars_format::fixed, static_cast<int>(digits));
        double out = 0;
        std::from_chars(buf, res.ptr, out);
        return Value::real(out);
    }
    if (digits < -308) return Value::real(std::copysign(0.0, x));
    const double scale = std::pow(10.0, static_cast<double>(-digits));
    const double y = x / scale;
    double z = std::nearbyint(y); // the default rounding mode rounds half to even
    return Value::real(z * scale);
}

std::string formatDouble(double d, char type, int precision, bool alternate) {
    if (alternate)
        throw Error(ErrorCode::Unsupported, "", "the '#' flag on float conversions is not supported");
    const bool upper = type == 'E' || type == 'F' || type == 'G';
    const char lowerType = static_cast<char>(std::tolower(static_cast<unsigned char>(type)));
    std::string out;
    if (std::isnan(d) || std::isinf(d)) {
        out = std::isnan(d) ? "nan" : "inf";
        if (std::signbit(d) && !std::isnan(d)) out = "-" + out;
    } else {
        const std::chars_format format = lowerType == 'e'   ? std::chars_format::scientific
                                         : lowerType == 'f' ? std::chars_format::fixed
                                                            : std::chars_format::general;
        if (lowerType == 'g' && precision == 0) precision = 1;
        char buf[1100];
        const auto res = std::to_chars(buf, buf + sizeof buf, d, format, precision);
        out.assign(buf, res.ptr);
    }
    if (upper)
        for (char& c : out)
            c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

} // namespace ft::jinja
