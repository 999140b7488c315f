// ft::ChatTemplate against the real chat templates' golden renders (transformers' apply_chat_template),
// against Python Jinja2 renders of small templates (tests/data/jinja_cases.jsonl, made by
// tests/data/make_jinja_fixtures.py), and unit tests for errors and sandbox limits.

#include "core/common/error.h"
#include "core/text/chat_template.h"

#include <QFile>
#include <QtTest/QtTest>

#include <nlohmann/json.hpp>

#include <string>
#include <thread>
#include <vector>

using json = nlohmann::ordered_json;

namespace {

const QString kGoldenDir = QStringLiteral(FT_SHARED_DIR "/fixtures/chat_templates");
const QString kCasesFile = QStringLiteral(FT_TEST_DATA_DIR "/jinja_cases.jsonl");

QList<QByteArray> readLines(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) return {};
    QList<QByteArray> lines;
    for (const QByteArray& line : file.readAll().split('\n'))
        if (!line.trimmed().isEmpty()) lines.append(line);
    return lines;
}

std::string readFile(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) return {};
    return file.readAll().toStdString();
}

// Renders `source` with the variables of `context` the way the Python fixture script does:
// messages, add_generation_prompt, tools and documents are fixed names, the rest are extra variables.
std::string renderWithContext(const std::string& source, const json& context,
                              ft::TemplateLimits limits = {}) {
    const ft::ChatTemplate tmpl = ft::ChatTemplate::compile(source, "case");
    json extra = context;
    const json messages = extra.contains("messages") ? extra["messages"] : json::array();
    ft::ChatTemplateOptions options;
    options.addGenerationPrompt = extra.value("add_generation_prompt", false);
    json tools = extra.contains("tools") ? extra["tools"] : json();
    json documents = extra.contains("documents") ? extra["documents"] : json();
    if (!tools.is_null()) options.tools = &tools;
    if (!documents.is_null()) options.documents = &documents;
    for (const char* fixed : {"messages", "add_generation_prompt", "tools", "documents"})
        extra.erase(fixed);
    options.extra = &extra;
    options.limits = limits;
    return tmpl.render(messages, options);
}

std::string render(const std::string& source, const json& context = json::object(),
                   ft::TemplateLimits limits = {}) {
    return renderWithContext(source, context, limits);
}

// The error a render (or compile) throws; fails the test if none is thrown.
ft::Error renderError(const std::string& source, const json& context = json::object(),
                      ft::TemplateLimits limits = {}) {
    try {
        const std::string out = render(source, context, limits);
        return ft::Error(ft::ErrorCode::Internal, "no error", out);
    } catch (const ft::Error& e) {
        return e;
    }
}

} // namespace

class TstChatTemplate : public QObject {
    Q_OBJECT

  private slots:
    void golden_data();
    void golden();
    void jinjaCases_data();
    void jinjaCases();
    void features_data();
    void features();
    void contextVariables();
    void keyOrderAndJson();
    void syntaxErrorNamesLine();
    void runtimeErrorNamesLine();
    void raiseException();
    void unknownFilterIsUnsupported();
    void unsupportedFeatures();
    void loopLimits();
    void recursionLimit();
    void stringAndListGrowthLimits();
    void outputLimit();
    void nestingLimit();
    void cyclesAndDeepValues();
    void concurrentRenders();
};

void TstChatTemplate::golden_data() {
    const QList<QByteArray> lines = readLines(kGoldenDir + "/golden.jsonl");
    if (lines.isEmpty())
        QSKIP(
            qPrintable("no golden fixtures at " + kGoldenDir + " (the shared fixtures directory is absent)"));
    QTest::addColumn<QByteArray>("record");
    for (const QByteArray& line : lines) {
        const json record = json::parse(line.toStdString());
        const std::string row = record["template"].get<std::string>() + "/" +
                                record["case"].get<std::string>() +
                                (record["add_generation_prompt"].get<bool>() ? "/agp" : "/no-agp");
        QTest::newRow(row.c_str()) << line;
    }
}

void TstChatTemplate::golden() {
    QFETCH(QByteArray, record);
    const json r = json::parse(record.toStdString());
    const std::string source =
        readFile(kGoldenDir + "/" + QString::fromStdString(r["template"].get<std::string>()));
    QVERIFY(!source.empty());
    ft::ChatTemplateOptions options;
    options.addGenerationPrompt = r["add_generation_prompt"].get<bool>();
    if (!r["bos_token"].is_null()) options.bosToken = r["bos_token"].get<std::string>();
    if (!r["eos_token"].is_null()) options.eosToken = r["eos_token"].get<std::string>();
    if (r.contains("tools") && !r["tools"].is_null()) options.tools = &r["tools"];
    const ft::ChatTemplate tmpl = ft::ChatTemplate::compile(source, r["template"].get<std::string>());
    if (!r["expected_error"].is_null()) {
        const std::string expected = r["expected_error"].get<std::string>();
        try {
            const std::string out = tmpl.render(r["messages"], options);
            QFAIL(qPrintable("expected the template to raise '" + QString::fromStdString(expected) +
                             "', it rendered:\n" + QString::fromStdString(out)));
        } catch (const ft::Error& e) {
            QCOMPARE(ft::errorCodeName(e.code()), ft::errorCodeName(ft::ErrorCode::TemplateRaised));
            QVERIFY2(e.detail().find(expected) != std::string::npos, e.what());
        }
        return;
    }
    std::string actual;
    try {
        actual = tmpl.render(r["messages"], options);
    } catch (const ft::Error& e) {
        QFAIL(e.what());
    }
    QCOMPARE(QString::fromStdString(actual), QString::fromStdString(r["expected"].get<std::string>()));
}

void TstChatTemplate::jinjaCases_data() {
    const QList<QByteArray> lines = readLines(kCasesFile);
    if (lines.isEmpty()) QSKIP(qPrintable("no cases at " + kCasesFile));
    QTest::addColumn<QByteArray>("record");
    for (const QByteArray& line : lines) {
        const json record = json::parse(line.toStdString());
        QTest::newRow(record["name"].get<std::string>().c_str()) << line;
    }
}

void TstChatTemplate::jinjaCases() {
    QFETCH(QByteArray, record);
    const json r = json::parse(record.toStdString());
    const std::string source = r["template"].get<std::string>();
    const json context = r.value("context", json::object());
    if (r.contains("expected_error_code")) {
        const ft::Error e = renderError(source, context);
        QVERIFY2(e.where() != "no error",
                 qPrintable("rendered instead of failing: " + QString::fromStdString(e.detail())));
        QCOMPARE(ft::errorCodeName(e.code()), r["expected_error_code"].get<std::string>().c_str());
        return;
    }
    std::string actual;
    try {
        actual = render(source, context);
    } catch (const ft::Error& e) {
        QFAIL(qPrintable(QStringLiteral("%1: %2").arg(ft::errorCodeName(e.code()), e.what())));
    }
    QCOMPARE(QString::fromStdString(actual), QString::fromStdString(r["expected"].get<std::string>()));
}

// Hand-checked expectations for the features chat templates lean on (the JSONL covers far more).
void TstChatTemplate::features_data() {
    QTest::addColumn<QString>("source");
    QTest::addColumn<QString>("expected");
    const auto row = [](const char* name, const char* source, const char* expected) {
        QTest::newRow(name) << QString::fromUtf8(source) << QString::fromUtf8(expected);
    };
    row("trim_blocks", "{% if true %}\nA\n{% endif %}\nB", "A\nB");
    row("lstrip_blocks", "x\n    {% if true %}y{% endif %}", "x\ny");
    row("minus_strips_newlines", "a\n\n  {%- if true -%}\n\n  b  {%- endif %}", "ab");
    row("variable_minus", "a   {{- 'b' -}}   c", "abc");
    row("plus_keeps", "  {%+ if true %}x{% endif %}", "  x");
    row("comment_strip", "a  {#- c -#}  b", "ab");
    row("raw", "{% raw %}{{ not_jinja }}{% endraw %}", "{{ not_jinja }}");
    row("break_continue",
        "{% for i in range(6) %}{% if i == 1 %}{% continue %}{% endif %}{% if i == 4 %}{% break %}{% endif "
        "%}{{ i }}{% endfor %}",
        "023");
    row("loop_vars", "{% for x in 'abc' %}{{ loop.index }}{{ x }}{{ '|' if not loop.last }}{% endfor %}",
        "1a|2b|3c");
    row("loop_filter",
        "{% for x in range(6) if x is even %}{{ loop.index0 }}:{{ x }}/{{ loop.length }} {% endfor %}",
        "0:0/3 1:2/3 2:4/3 ");
    row("loop_scope",
        "{% set found = false %}{% for x in [1] %}{% set found = true %}{% endfor %}{{ found }}", "False");
    row("namespace",
        "{% set ns = namespace(found=false) %}{% for x in [1] %}{% set ns.found = true %}{% endfor %}{{ "
        "ns.found }}",
        "True");
    row("macro_defaults",
        "{% macro tag(name, body='') %}<{{ name }}>{{ body }}{% endmacro %}{{ tag('a') }}{{ tag('b', "
        "body='x') }}",
        "<a><b>x");
    row("macro_caller", "{% macro box() %}[{{ caller() }}]{% endmacro %}{% call box() %}in{% endcall %}",
        "[in]");
    row("block_set", "{% set s %}a{{ 1 + 1 }}{% endset %}{{ s ~ s }}", "a2a2");
    row("slicing", "{{ 'hello'[1:3] }}{{ [1, 2, 3][::-1] }}{{ 'héllo'[-4] }}", "el[3, 2, 1]é");
    row("filter_precedence", "{{ 'a ' + ' b ' | trim }}", "a b");
    row("tojson", "{{ {'b': [1, 2.0, none], 'a': 'é\"'} | tojson }}",
        "{\"b\": [1, 2.0, null], \"a\": \"é\\\"\"}");
    row("selectattr_map",
        "{{ ms | selectattr('role', 'equalto', 'user') | map(attribute='content') | join(',') }}", "1,3");
    row("default_boolean", "{{ '' | default('x') }}|{{ '' | default('x', true) }}", "|x");
    row("python_repr", "{{ [none, true, 1.5, 'it\\'s', {'k': (1,)}] }}",
        "[None, True, 1.5, \"it's\", {'k': (1,)}]");
    row("undefined_prints_empty", "[{{ missing }}][{{ ms[0].missing }}]", "[][]");
    row("string_methods",
        "{{ '  x y '.strip().split(' ') }}{{ 'ab'.startswith('a') }}{{ 'a-b'.replace('-', '+') }}",
        "['x', 'y']Truea+b");
    row("dict_methods",
        "{% for k, v in {'a': 1}.items() %}{{ k }}{{ v }}{% endfor %}{{ {'a': 1}.get('b', 2) }}", "a12");
    row("arithmetic", "{{ 7 // 2 }} {{ -7 // 2 }} {{ 7 % -3 }} {{ 2 ** 10 }} {{ 1 / 4 }}",
        "3 -4 -2 1024 0.25");
    row("strftime_now", "{{ strftime_now('%d %b %Y, %A') }}", "26 Jul 2024, Friday");
}

void TstChatTemplate::features() {
    QFETCH(QString, source);
    QFETCH(QString, expected);
    const json context = {{"ms", json::array({{{"role", "user"}, {"content", "1"}},
                                              {{"role", "assistant"}, {"content", "2"}},
                                              {{"role", "user"}, {"content", "3"}}})}};
    std::string actual;
    try {
        actual = render(source.toStdString(), context);
    } catch (const ft::Error& e) {
        QFAIL(e.what());
    }
    QCOMPARE(QString::fromStdString(actual), expected);
}

void TstChatTemplate::contextVariables() {
    const ft::ChatTemplate tmpl = ft::ChatTemplate::compile(
        "{{ bos_token is defined }}|{{ eos_token }}|{{ tools is none }}|{{ documents is none }}|"
        "{{ add_generation_prompt }}|{{ messages | length }}|{{ custom }}|{{ tools | length if tools }}");
    const json messages = json::array({{{"role", "user"}, {"content", "hi"}}});
    QCOMPARE(tmpl.render(messages), std::string("False||True|True|False|1||"));

    const json tools = json::array({{{"type", "function"}}});
    const json extra = {{"custom", 42}, {"bos_token", "<override>"}};
    ft::ChatTemplateOptions options;
    options.bosToken = "<s>";
    options.eosToken = "</s>";
    options.addGenerationPrompt = true;
    options.tools = &tools;
    options.extra = &extra; // extra kwargs override the special tokens, as in transformers
    QCOMPARE(tmpl.render(messages, options), std::string("True|</s>|False|True|True|1|42|1"));

    const json reserved = {{"messages", json::array()}};
    options.extra = &reserved;
    try {
        (void)tmpl.render(messages, options);
        QFAIL("a reserved name in extra must be refused");
    } catch (const ft::Error& e) {
        QCOMPARE(e.code(), ft::ErrorCode::InvalidValue);
    }
}

void TstChatTemplate::keyOrderAndJson() {
    // Keys keep the input order; json.dumps formatting with ", " and ": " and Python float repr.
    const json messages =
        json::parse(R"([{"z": 1, "a": {"y": [1.0, 2.5, 1e16, -0.0], "b": "é\n\u0001"}, "m": null}])");
    const ft::ChatTemplate tmpl =
        ft::ChatTemplate::compile("{{ messages[0] | tojson }}|{% for k in messages[0] %}{{ k }}{% endfor %}");
    QCOMPARE(QString::fromStdString(tmpl.render(messages)),
             QString::fromUtf8(
                 R"({"z": 1, "a": {"y": [1.0, 2.5, 1e+16, -0.0], "b": "é\n\u0001"}, "m": null}|zam)"));
}

void TstChatTemplate::syntaxErrorNamesLine() {
    try {
        (void)ft::ChatTemplate::compile("line one\n{% if true %}\n{{ 'a' + }}\n{% endif %}", "my_template");
        QFAIL("expected a parse error");
    } catch (const ft::Error& e) {
        QCOMPARE(e.code(), ft::ErrorCode::ParseError);
        QCOMPARE(QString::fromStdString(e.where()), QStringLiteral("my_template:3"));
    }
    try {
        (void)ft::ChatTemplate::compile("a\nb\n{% for x in y %}\nno end", "t");
        QFAIL("expected a parse error");
    } catch (const ft::Error& e) {
        QCOMPARE(e.code(), ft::ErrorCode::ParseError);
        QVERIFY2(e.detail().find("endfor") != std::string::npos, e.what());
    }
}

void TstChatTemplate::runtimeErrorNamesLine() {
    const ft::ChatTemplate tmpl =
        ft::ChatTemplate::compile("a\n{% for m in messages %}\n{{ m.content + 1 }}\n{% endfor %}", "tpl");
    try {
        (void)tmpl.render(json::array({{{"content", "x"}}}));
        QFAIL("expected a type error");
    } catch (const ft::Error& e) {
        QCOMPARE(e.code(), ft::ErrorCode::InvalidValue);
        QCOMPARE(QString::fromStdString(e.where()), QStringLiteral("tpl:3"));
    }
    const ft::Error undefinedUse = renderError("\n\n{{ nothing.attr }}");
    QCOMPARE(undefinedUse.code(), ft::ErrorCode::InvalidValue);
    QCOMPARE(QString::fromStdString(undefinedUse.where()), QStringLiteral("case:3"));
    QVERIFY2(undefinedUse.detail().find("'nothing' is undefined") != std::string::npos, undefinedUse.what());
}

void TstChatTemplate::raiseException() {
    const ft::Error e = renderError("x\n{{ raise_exception('Roles must alternate: ' ~ 2) }}");
    QCOMPARE(e.code(), ft::ErrorCode::TemplateRaised);
    QCOMPARE(e.detail(), std::string("Roles must alternate: 2"));
    QCOMPARE(QString::fromStdString(e.where()), QStringLiteral("case:2"));
}

void TstChatTemplate::unknownFilterIsUnsupported() {
    try {
        (void)ft::ChatTemplate::compile("ok\n{{ x | frobnicate }}", "t");
        QFAIL("an unknown filter must not compile");
    } catch (const ft::Error& e) {
        QCOMPARE(e.code(), ft::ErrorCode::Unsupported);
        QCOMPARE(QString::fromStdString(e.where()), QStringLiteral("t:2"));
    }
    QCOMPARE(renderError("{{ x is frobnicated }}").code(), ft::ErrorCode::Unsupported);
    // Jinja filters this engine lacks compile (the branch may never run) but refuse to run.
    QCOMPARE(render("{% if false %}{{ ms | groupby('role') }}{% endif %}ok"), std::string("ok"));
    QCOMPARE(renderError("{{ 'abc' | truncate(2) }}").code(), ft::ErrorCode::Unsupported);
}

void TstChatTemplate::unsupportedFeatures() {
    for (const char* source : {"{% include 'x.jinja' %}", "{% extends 'base' %}", "{% import 'm' as m %}",
                               "{% for x in y recursive %}{% endfor %}", "{{ f(*args) }}", "{{ 2 ** 64 }}",
                               "{{ [1] | select }}", "{{ 'x'.casefold() }}", "{{ 'ΑΣ' | lower }}",
                               "{{ '{:>3}'.format(1) }}", "{% set j = joiner() %}{{ j() }}"}) {
        const ft::Error e = renderError(source);
        QVERIFY2(e.code() == ft::ErrorCode::Unsupported,
                 qPrintable(QString::fromUtf8(source) + " -> " + e.what()));
    }
}

void TstChatTemplate::loopLimits() {
    // The sandbox refuses huge ranges outright (Jinja's MAX_RANGE)...
    const ft::Error huge = renderError("{% for i in range(10 ** 9) %}{{ i }}{% endfor %}");
    QCOMPARE(huge.code(), ft::ErrorCode::LimitExceeded);
    // ...and counts iterations across all loops.
    ft::TemplateLimits limits;
    QCOMPARE(limits.maxLoopIterations, 1'000'000LL);
    limits.maxLoopIterations = 20'000;
    const ft::Error nested =
        renderError("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
                    json::object(), limits);
    QCOMPARE(nested.code(), ft::ErrorCode::LimitExceeded);
    QVERIFY2(nested.detail().find("loop iterations") != std::string::npos, nested.what());
    limits.maxLoopIterations = 10;
    QCOMPARE(render("{% for i in range(10) %}{% endfor %}ok", json::object(), limits), std::string("ok"));
    QCOMPARE(renderError("{% for i in range(11) %}{% endfor %}", json::object(), limits).code(),
             ft::ErrorCode::LimitExceeded);
}

void TstChatTemplate::recursionLimit() {
    const ft::Error e = renderError("{% macro r(n) %}{{ r(n + 1) }}{% endmacro %}{{ r(0) }}");
    QCOMPARE(e.code(), ft::ErrorCode::LimitExceeded);
    ft::TemplateLimits limits;
    limits.maxCallDepth = 3;
    const char* countdown = "{% macro c(n) %}{{ n }}{% if n > 0 %}{{ c(n - 1) }}{% endif %}{% endmacro %}";
    QCOMPARE(render(std::string(countdown) + "{{ c(2) }}", json::object(), limits), std::string("210"));
    QCOMPARE(renderError(std::string(countdown) + "{{ c(3) }}", json::object(), limits).code(),
             ft::ErrorCode::LimitExceeded);
}

void TstChatTemplate::stringAndListGrowthLimits() {
    // Refused before allocating, under the default limits.
    QCOMPARE(renderError("{% set s = 'abc' * 10 ** 9 %}").code(), ft::ErrorCode::LimitExceeded);
    QCOMPARE(renderError("{% set l = [0] * 10 ** 8 %}").code(), ft::ErrorCode::LimitExceeded);
    // Growth by doubling inside a loop, under small limits to keep the test light.
    ft::TemplateLimits limits;
    limits.maxOutputBytes = 1 << 20;
    limits.maxListItems = 10'000;
    const char* doubling =
        "{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}";
    QCOMPARE(renderError(doubling, json::object(), limits).code(), ft::ErrorCode::LimitExceeded);
    const char* listDoubling =
        "{% set ns = namespace(l=[0]) %}{% for i in range(40) %}{% set ns.l = ns.l + ns.l %}{% endfor %}";
    QCOMPARE(renderError(listDoubling, json::object(), limits).code(), ft::ErrorCode::LimitExceeded);
    for (const char* source :
         {"{{ 'x' | center(10 ** 9) }}", "{{ 'a\nb' | indent(10 ** 9) }}", "{{ '%*d' % (10 ** 9, 1) }}",
          "{{ ('a' * 1000).replace('a', 'b' * 10000) }}", "{{ '{0}{0}{0}{0}'.format('x' * 400000) }}",
          "{{ [1] | batch(10 ** 9, 0) | list }}", "{{ [[[[1]]]] | tojson(indent=10 ** 6) }}",
          "{{ 'ab'.ljust(10 ** 9) }}"}) {
        const ft::Error e = renderError(source, json::object(), limits);
        QVERIFY2(e.code() == ft::ErrorCode::LimitExceeded,
                 qPrintable(QString::fromUtf8(source) + " -> " + e.what()));
    }
    const char* joinGrowth = "{% set ns = namespace(l=['x' * 1000]) %}{% for i in range(20) %}{% set ns.l = "
                             "ns.l + ns.l %}{% endfor %}{{ ns.l | join }}";
    QCOMPARE(renderError(joinGrowth, json::object(), limits).code(), ft::ErrorCode::LimitExceeded);
}

void TstChatTemplate::outputLimit() {
    ft::TemplateLimits limits;
    limits.maxOutputBytes = 100;
    QCOMPARE(render("{{ 'x' * 100 }}", json::object(), limits).size(), size_t(100));
    const ft::Error e = renderError("{% for i in range(101) %}x{% endfor %}", json::object(), limits);
    QCOMPARE(e.code(), ft::ErrorCode::LimitExceeded);
}

void TstChatTemplate::nestingLimit() {
    const std::string deep = "{{ " + std::string(1000, '(') + "1" + std::string(1000, ')') + " }}";
    try {
        (void)ft::ChatTemplate::compile(deep);
        QFAIL("expected the nesting limit");
    } catch (const ft::Error& e) {
        QCOMPARE(e.code(), ft::ErrorCode::LimitExceeded);
    }
    const std::string deepJson = std::string(600, '[') + std::string(600, ']');
    const json nested = json::parse(deepJson);
    const ft::ChatTemplate tmpl = ft::ChatTemplate::compile("{{ messages | length }}");
    try {
        (void)tmpl.render(nested);
        QFAIL("expected the input nesting limit");
    } catch (const ft::Error& e) {
        QCOMPARE(e.code(), ft::ErrorCode::LimitExceeded);
    }
}

void TstChatTemplate::cyclesAndDeepValues() {
    // Python prints a namespace holding itself with "{...}"; it must not recurse forever here.
    QCOMPARE(
        render(
            "{% set ns = namespace(a=1) %}{% set ns.me = ns %}{% set l = [ns] %}{% set ns.l = l %}{{ ns }}"),
        std::string("<Namespace {'a': 1, 'me': <Namespace {...}>, 'l': [<Namespace {...}>]}>"));
    // Nesting built up in a loop is capped before it can exhaust the stack.
    for (const char* source :
         {"{% set ns = namespace(l=[]) %}{% for i in range(2000) %}{% set ns.l = [ns.l] %}{% endfor %}",
          "{% set h = namespace(p=none) %}{% for i in range(2000) %}{% set h.p = namespace(p=h.p) %}{% "
          "endfor %}",
          "{% set ns = namespace(d={}) %}{% for i in range(2000) %}{% set ns.d = {'k': ns.d} %}{% endfor "
          "%}"}) {
        const ft::Error e = renderError(source);
        QVERIFY2(e.code() == ft::ErrorCode::LimitExceeded, e.what());
    }
}

void TstChatTemplate::concurrentRenders() {
    // A compiled template is immutable: one instance may render on several threads at once.
    const ft::ChatTemplate tmpl =
        ft::ChatTemplate::compile("{% for m in messages %}{{ m.role }}:{{ m.content | upper }}{% if not "
                                  "loop.last %},{% endif %}{% endfor %}");
    json messages = json::array();
    for (int i = 0; i < 200; ++i)
        messages.push_back({{"role", i % 2 ? "assistant" : "user"}, {"content", "m" + std::to_string(i)}});
    const std::string expected = tmpl.render(messages);
    std::vector<std::string> results(4);
    std::vector<std::thread> threads;
    for (size_t t = 0; t < results.size(); ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < 20; ++i)
                results[t] = tmpl.render(messages);
        });
    for (auto& thread : threads)
        thread.join();
    for (const auto& r : results)
        QCOMPARE(r, expected);
}

QTEST_APPLESS_MAIN(TstChatTemplate)
#include "tst_chat_template.moc"
