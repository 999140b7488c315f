// Python's string formatting: printf-style `format % args` and str.format() with plain fields.

#include "core/common/error.h"
#include "core/text/jinja/filters.h"
#include "core/text/jinja/interpreter.h"
#include "core/text/jinja/numbers.h"
#include "core/text/jinja/support.h"
#include "core/text/jinja/unicode.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace ft::jinja {

std::string percentFormat(Interpreter& interp, const std::string& format, const Value& args,
                          bool escapeArgs) {
    const bool tuple = args.isList() && args.list().kind == ListKind::Tuple;
    const std::vector<Value> single = {args};
    const std::vector<Value>& values = tuple ? args.list().items : single;
    size_t next = 0;
    std::string out;
    for (size_t i = 0; i < format.size(); ++i) {
        if (format[i] != '%') {
            out += format[i];
            continue;
        }
        if (++i >= format.size()) typeError("incomplete format");
        const Value* value = nullptr;
        if (format[i] == '(') { // %(name)s
            size_t depth = 1;
            const size_t start = ++i;
            while (i < format.size() && depth) {
                depth += format[i] == '(' ? 1 : format[i] == ')' ? -1 : 0;
                ++i;
            }
            if (depth) typeError("incomplete format key");
            if (!args.isDict()) typeError("format requires a mapping");
            value = args.dict().find(format.substr(start, i - 1 - start));
            if (!value) typeError("KeyError: '" + format.substr(start, i - 1 - start) + "'");
        }
        bool left = false, zero = false, plus = false, space = false, alternate = false;
        for (; i < format.size() && std::string_view("-+ #0").find(format[i]) != std::string_view::npos;
             ++i) {
            left |= format[i] == '-';
            plus |= format[i] == '+';
            space |= format[i] == ' ';
            alternate |= format[i] == '#';
            zero |= format[i] == '0';
        }
        // Python refuses widths and precisions past INT_MAX ("width too big"); so do we, before they overflow.
        constexpr int64_t kMaxNumber = 2147483647;
        const auto takeNumber = [&](int64_t& target, const char* what) {
            if (i < format.size() && format[i] == '*') {
                ++i;
                if (next >= values.size() || !isInteger(values[next])) typeError("* wants int");
                target = values[next++].asInt();
                if (target > kMaxNumber || target < -kMaxNumber) typeError(std::string(what) + " too big");
                return;
            }
            for (; i < format.size() && format[i] >= '0' && format[i] <= '9'; ++i) {
                target = target * 10 + (format[i] - '0');
                if (target > kMaxNumber) typeError(std::string(what) + " too big");
            }
        };
        int64_t width = 0;
        takeNumber(width, "width");
        if (width < 0) {
            left = true;
            width = -width;
        }
        int64_t precision = -1;
        if (i < format.size() && format[i] == '.') {
            ++i;
            precision = 0;
            takeNumber(precision, "precision");
            if (precision > 0) interp.checkStringSize(out.size() + static_cast<size_t>(precision));  // zeros, digits
        }
        while (i < format.size() && (format[i] == 'h' || format[i] == 'l' || format[i] == 'L'))
            ++i;
        if (i >= format.size()) typeError("incomplete format");
        const char type = format[i];
        if (type == '%') {
            out += '%';
            continue;
        }
        if (!value) {
            if (next >= values.size()) typeError("not enough arguments for format string");
            value = &values[next++];
        }
        std::string body;
        std::string sign;
        bool numeric = true;
        switch (type) {
        case 's':
        case 'r': {
            numeric = false;
            body = type == 's' ? toStr(*value) : repr(*value);
            if (escapeArgs && (type == 'r' || !value->isMarkup())) // Markup % args escapes each argument
                body = htmlEscape(body);
            if (precision >= 0) {
                const std::u32string text = unicode::decode(body);
                body = unicode::encode(std::u32string_view(text).substr(0, static_cast<size_t>(precision)));
            }
            break;
        }
        case 'c': {
            numeric = false;
            if (value->isString() && unicode::length(value->str()) == 1)
                body = value->str();
            else if (isInteger(*value) && value->asInt() >= 0 && value->asInt() <= 0x10FFFF)
                unicode::append(body, static_cast<char32_t>(value->asInt()));
            else
                typeError("%c requires int or char");
            break;
        }
        case 'd':
        case 'i':
        case 'u':
        case 'o':
        case 'x':
        case 'X': {
            requireDefined(*value);
            if (!value->isNumber() || (value->isFloat() && (type == 'o' || type == 'x' || type == 'X')))
                typeError(std::string("%") + type + " format: " +
                          (type == 'd' || type == 'i' || type == 'u' ? "a real number" : "an integer") +
                          " is required, not " + typeName(*value));
            const int64_t n = value->isFloat() ? truncateToInt(value->asDouble()) : value->asInt();
            const uint64_t magnitude = n < 0 ? 0 - static_cast<uint64_t>(n) : static_cast<uint64_t>(n);
            char buf[32];
            const int base = type == 'o' ? 8 : (type == 'x' || type == 'X') ? 16 : 10;
            body.assign(buf, std::to_chars(buf, buf + sizeof buf, magnitude, base).ptr);
            if (type == 'X') std::transform(body.begin(), body.end(), body.begin(), ::toupper);
            if (alternate && base != 10) sign = base == 8 ? "0o" : type == 'X' ? "0X" : "0x";
            if (n < 0)
                sign = "-" + sign;
            else if (plus || space)
                sign = (plus ? "+" : " ") + sign;
            if (precision > static_cast<int64_t>(body.size()))
                body = std::string(static_cast<size_t>(precision) - body.size(), '0') + body;
            break;
        }
        case 'e':
        case 'E':
        case 'f':
        case 'F':
        case 'g':
        case 'G': {
            requireDefined(*value);
            if (!value->isNumber()) typeError(std::string("must be real number, not ") + typeName(*value));
            const double d = value->asDouble();
            body =
                formatDouble(std::fabs(d), type, precision < 0 ? 6 : static_cast<int>(precision), alternate);
            if (std::signbit(d) && !std::isnan(d))
                sign = "-";
            else if (plus || space)
                sign = plus ? "+" : " ";
            break;
        }
        case 'a':
            unsupported("the %a conversion is not supported");
        default:
            typeError(std::string("unsupported format character '") + type + "'");
        }
        const auto len = static_cast<int64_t>(unicode::length(sign) + unicode::length(body));
        if (width > len) {
            const auto fill = static_cast<size_t>(width - len);
            interp.checkStringSize(out.size() + body.size() + fill);
            if (left)
                body = sign + body + std::string(fill, ' ');
            else if (zero && numeric)
                body = sign + std::string(fill, '0') + body;
            else
                body = std::string(fill, ' ') + sign + body;
        } else {
            body = sign + body;
        }
        out += body;
        interp.checkStringSize(out.size());
    }
    // Python skips this check for arguments it sees as mappings: anything with __getitem__ but str.
    const bool mappingLike =
        args.isDict() || args.isUndefined() ||
        (args.isList() && (args.list().kind == ListKind::List || args.list().kind == ListKind::Range));
    if (next < values.size() && !mappingLike)
        typeError("not all arguments converted during string formatting");
    return out;
}

// str.format with plain fields: {} {0} {name} and !r/!s; format specs and nested fields are not supported.
std::string strFormat(Interpreter& interp, const std::string& format, const CallArgs& args) {
    std::string out;
    size_t autoIndex = 0;
    int numbering = 0; // 1 automatic, 2 manual
    for (size_t i = 0; i < format.size(); ++i) {
        const char c = format[i];
        if (c == '}') {
            if (i + 1 < format.size() && format[i + 1] == '}') {
                out += '}';
                ++i;
                continue;
            }
            typeError("Single '}' encountered in format string");
        }
        if (c != '{') {
            out += c;
            continue;
        }
        if (i + 1 < format.size() && format[i + 1] == '{') {
            out += '{';
            ++i;
            continue;
        }
        const size_t close = format.find('}', i + 1);
        if (close == std::string::npos) typeError("Single '{' encountered in format string");
        std::string field = format.substr(i + 1, close - i - 1);
        i = close;
        if (field.find_first_of("{:[.") != std::string::npos)
            unsupported("str.format() with format specs, indexing or nested fields is not supported");
        char conversion = 0;
        if (const size_t bang = field.find('!'); bang != std::string::npos) {
            if (bang + 2 != field.size() || (field[bang + 1] != 'r' && field[bang + 1] != 's'))
                unsupported("str.format() conversion '" + field.substr(bang) + "' is not supported");
            conversion = field[bang + 1];
            field.resize(bang);
        }
        const Value* value = nullptr;
        if (field.empty() ||
            std::all_of(field.begin(), field.end(), [](char d) { return d >= '0' && d <= '9'; })) {
            const bool automatic = field.empty();
            if (numbering && numbering != (automatic ? 1 : 2))
                typeError("cannot switch between automatic and manual field numbering");
            numbering = automatic ? 1 : 2;
            const size_t index = automatic ? autoIndex++ : std::stoul(field);
            if (index >= args.positional.size())
                typeError("Replacement index " + std::to_string(index) +
                          " out of range for positional args tuple");
            value = &args.positional[index];
        } else {
            for (const auto& [name, v] : args.keyword)
                if (name == field) value = &v;
            if (!value) typeError("KeyError: '" + field + "'");
        }
        out += conversion == 'r' ? repr(*value) : toStr(*value);
        interp.checkStringSize(out.size());
    }
    return out;
}

} // namespace ft::jinja
