#!/usr/bin/env python3
"""Writes jinja_cases.jsonl: small templates rendered by Python Jinja2 in transformers' chat-template
environment, the reference tst_chat_template checks ft::ChatTemplate against.

Run with the goldens' environment (Debian bookworm's Jinja2 3.1.2 and MarkupSafe 2.1.2), outside the
project's venv, e.g.
    python3 -m venv /tmp/jinja-venv && /tmp/jinja-venv/bin/pip install jinja2==3.1.2 markupsafe==2.1.2
    /tmp/jinja-venv/bin/python tests/data/make_jinja_fixtures.py

Each line: {"name", "template", "context"} plus either
    "expected": the rendered string, or
    "expected_error_code": the ft::ErrorCode name the C++ engine must throw, with
        "expected_error_type": the Python exception class the render (or compile) raised, or
        "python": Python's output, for valid Jinja the C++ engine refuses on purpose ("unsupported").
The context holds the render variables; messages/add_generation_prompt/tools/documents are passed as
transformers does (messages defaults to [], the others to false/None), everything else as extra variables.
"""

import json
import os
import re
import sys
from datetime import datetime

import jinja2
from jinja2.exceptions import TemplateError
from jinja2.sandbox import ImmutableSandboxedEnvironment


def raise_exception(message):
    raise TemplateError(message)


def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
    return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)


def strftime_now(format):
    return datetime(2024, 7, 26).strftime(format)


def make_env():
    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=["jinja2.ext.loopcontrols"])
    env.filters["tojson"] = tojson
    env.globals["raise_exception"] = raise_exception
    env.globals["strftime_now"] = strftime_now
    return env


MSGS = [
    {"role": "system", "content": "Be brief."},
    {"role": "user", "content": "  Hi there!  "},
    {"role": "assistant", "content": "Hello.", "tool_calls": [{"function": {"name": "f", "arguments": {"a": 1}}}]},
    {"role": "user", "content": "서울 café 🤖"},
]

# (name, template, context[, flag]); flag "unsupported": the C++ engine refuses it on purpose,
# "transformers": uses transformers' {% generation %} tag, rendered by Python with the tags removed.
CASES = [
    # --- whitespace control and lexing ---
    ("ws_trim_lstrip", "a  \n  {% if true %}\n  x\n  {% endif %}\n  b", {}),
    ("ws_plus_markers", "a  \n  {%+ if true %}\n  x\n  {% endif +%}\n  b", {}),
    ("ws_variable_not_lstripped", "a  \n  {{ 'v' }}\n  b", {}),
    ("ws_minus_markers", "a  \n  {%- if true -%}\n  x\n  {%- endif %}  \n  b", {}),
    ("ws_variable_minus", "a {{- 'v' -}}   \n b", {}),
    ("ws_comments", "a {#- c -#}   \n b {# c #}  c\n d\n  {# own line #}\ne", {}),
    ("ws_for_lines", "x\n{% for i in [1,2] %}\n  {{ i }}\n{% endfor %}\ny\n", {}),
    ("ws_crlf", "x\r\n{% if true %}\r\ny\r\n{% endif %}\r\n", {}),
    ("ws_trailing_newline_once", "a\n\n", {}),
    ("ws_block_after_text", "text {% if true %}\nyes{% endif %}", {}),
    ("ws_indented_after_var", "{{ 1 }}  {% if true %}x{% endif %}", {}),
    ("ws_minus_unicode_space", "a\u3000\u00a0 {%- if true %}b{% endif %}", {}),
    ("ws_raw", "{% raw %}\n  {{ x }} {% if %}\n{% endraw %}\nafter", {}),
    ("ws_raw_lstrip", "  {% raw %}a{% endraw %}  \n  {# c #}\nb", {}),
    ("ws_raw_minus", "x  {%- raw -%}  a  {%- endraw -%}  y", {}),
    ("ws_comment_only_line", "a\n{# note #}\nb", {}),
    ("ws_tab_indent", "a\n\t\t{% if true %}\n\tb\n\t{% endif %}\n", {}),
    ("lex_markers_in_strings", "{{ '}}' }}|{{ \"%}\" }}|{% set x = '%}' %}{{ x }}|{# {{ x }} %} #}|{{ '{#' }}", {}),
    ("lex_minus_number", "{{-1}}|{{ - 1 }}|{{ -1 -}} |{{ 5-2 }}", {}),
    ("lex_unicode_space_in_tag", "{{\u00a0'x'\u3000}}", {}),
    ("lex_lone_braces", "{ a } {{ '{' }} }} %} #}", {}),
    ("lex_raw_with_tags", "{% raw %}{% for %}{{ }}{# #}{% endraw %}", {}),
    ("lex_cr_in_literal", "{{ 'a\r\nb' | length }} {{ 'a\rb' }}", {}),
    ("lex_names", "{% set _x = 1 %}{% set x2 = 2 %}{{ _x }}{{ x2 }}{{ m._p }}[{{ 'a'.__class__ }}]", {"m": {"_p": "priv"}}),
    ("lex_adjacent_strings", "{{ 'a' \"b\" 'c' }}", {}),
    ("lex_escapes", r"""{{ 'tab\tnl\nq\'dq\"bs\\ \x41\u00e9\U0001F600 \101 \q' }}""", {}),
    ("lex_numbers", "{{ 1_000 }} {{ 0x1f }} {{ 0o17 }} {{ 0b101 }} {{ 1.5e3 }} {{ 1E2 }} {{ 2.50 }} {{ 1e-7 }}", {}),
    ("lex_nested_braces", "{{ {'a': {'b': [1, {'c': 2}]}} }}", {}),
    ("lex_dict_in_block", "{% set d = {'k': {'n': 1}} %}{{ d.k.n }}", {}),
    # --- literals and printing (Python str/repr) ---
    ("print_scalars", "{{ none }}|{{ None }}|{{ true }}|{{ False }}|{{ 1.0 }}|{{ -0.0 }}|{{ 3 }}|{{ 0.1 + 0.2 }}", {}),
    ("print_float_forms", "{{ 1e16 }} {{ 1e15 }} {{ 1e-5 }} {{ 0.0001 }} {{ 123456789012345678.0 }} {{ 2.5e-10 }} {{ 1/3 }}", {}),
    ("print_inf_nan", "{{ 1e300 * 1e300 }} {{ -1e300 * 1e300 }} {{ (1e300 * 1e300) - (1e300 * 1e300) }}", {}),
    ("print_list_repr", "{{ [1, 'a', none, true, 1.5, {'k': [1]}, (1,), (1, 2), ()] }}", {}),
    ("print_string_repr", """{{ ["it's", 'a"b', "x'y\\"z", "\\n\\t\\r\\\\", "\\x00\\x7f\\xa0é\\u2028", "😀"] }}""", {}),
    ("print_dict_repr", "{{ {'a': 1, 'b': {'c': none}} }} {{ m }}", {"m": {"role": "user", "n": 1.0}}),
    ("print_message_list", "{{ messages[:2] }}", {"messages": MSGS}),
    ("print_namespace", "{% set ns = namespace(a=1, b='x') %}{{ ns }}", {}),
    ("print_macro", "{% macro m() %}x{% endmacro %}{{ m }}", {}),
    ("print_dict_views", "{% set d = {'b': 1, 'a': 2} %}{{ d.items() }} {{ d.keys() }} {{ d.values() }}", {}),
    ("print_range", "{{ range(3) }} {{ range(1, 10, 3) }} {{ range(10)[8:2:-2] }} {{ range(5)[1:3] }}", {}),
    ("print_loop", "{% for x in [1, 2] %}{{ loop }}{% endfor %}", {}),
    ("print_tuple_output", "{{ 1, 'a' }}", {}),
    ("print_dict_int_keys", "{{ {1: 2, none: 3, true: 4, 1.5: 5} }}", {}),
    # --- operators ---
    ("op_precedence", "{{ 1 + 2 * 3 }} {{ (1 + 2) * 3 }} {{ 2 ** 3 ** 2 }} {{ -2 ** 2 }} {{ (-2) ** 2 }} {{ 2 ** -1 }}", {}),
    ("op_division", "{{ 7 / 2 }} {{ 4 / 2 }} {{ 7 // 2 }} {{ -7 // 2 }} {{ 7 % 3 }} {{ -7 % 3 }} {{ 7 % -3 }} {{ 7.5 // 2 }} {{ -7.5 % 2 }}", {}),
    ("op_int_float_mix", "{{ 1 + 1.0 }} {{ 3 * 0.5 }} {{ true + 1 }} {{ 10 - true }} {{ 2 ** 0.5 }}", {}),
    ("op_string_ops", "{{ 'ab' * 2 }} {{ 3 * 'x' }} {{ 'a' + 'b' }} {{ 'a' ~ 1 ~ none ~ true }} {{ 'ab' * 0 }}|{{ 'ab' * -1 }}|", {}),
    ("op_list_ops", "{{ [1, 2] + [3] }} {{ (1, 2) + (3,) }} {{ [0] * 3 }} {{ [1] ~ 2 }}", {}),
    ("op_compare_chain", "{{ 1 < 2 < 3 }} {{ 3 > 2 > 2 }} {{ 1 <= 1 < 2 }} {{ 'a' < 'b' }} {{ [1, 2] < [1, 3] }} {{ 'B' < 'a' }}", {}),
    ("op_equality", "{{ 1 == 1.0 }} {{ true == 1 }} {{ [1, 2] == (1, 2) }} {{ {'a': 1, 'b': 2} == {'b': 2, 'a': 1} }} {{ none == none }} {{ 'a' != 'a' }}", {}),
    ("op_in", "{{ 'a' in 'cat' }} {{ 1 in [1.0] }} {{ 'k' in {'k': 1} }} {{ 'x' not in u }} {{ 1 in u }} {{ 'role' in m }} {{ 'zz' not in m }}", {"m": {"role": "user"}}),
    ("op_and_or_values", "{{ 0 or 'x' }} {{ 1 and [] }} {{ none or none }} {{ u or 2 }} {{ (u and 1) is defined }} {{ 'a' and 'b' }} {{ '' or 0 }}", {}),
    ("op_not", "{{ not 0 }} {{ not 'a' }} {{ not u }} {{ not x is defined }} {{ not (1 == 2) }}", {}),
    ("op_filter_binds_tighter", "{{ 'a' ~ 'b' | upper }} {{ 'x' + ' y ' | trim }} {{ -3 | abs }}", {}),
    ("op_test_binds_tighter", "{{ 1 + 1 is number }} {{ x is defined and x }} {{ 1 is odd or false }}", {"x": 5}),
    ("op_condexpr", "{{ 'y' if true else 'n' }} {{ 'y' if false else 'n' }} [{{ 'y' if false }}] {{ (1 if false) is defined }} {{ 'a' if 0 else 'b' if 1 else 'c' }}", {}),
    ("op_neg_float_int", "{{ -1.5 }} {{ -(-3) }} {{ +4 }} {{ -true }}", {}),
    # --- attribute and item access ---
    ("access_attr_vs_item", "{{ m.content }}|{{ m['content'] }}|{{ m.get('x', 'dflt') }}|{{ m.get('role') }}|{{ m.get('x') }}", {"m": {"role": "user", "content": "hi"}}),
    ("access_missing", "[{{ m.nope }}][{{ m['nope'] }}][{{ none.x }}][{{ 3.y }}][{{ [1][5] }}][{{ 'ab'[9] }}]", {"m": {}}),
    ("access_method_wins", "{{ m.items is defined }} {{ m['items'] }}", {"m": {"items": "key"}}),
    ("access_key_named_like_method", "{{ m['keys'] }} {{ m.get('values') }}", {"m": {"keys": 1, "values": 2}}),
    ("access_index_forms", "{{ x.0 }} {{ x[0] }} {{ x.1.0 }} {{ x[-1][-1] }} {{ [1, 2, 3][true] }} {{ {1: 'one'}[1.0] }}", {"x": [[5], [6, 7]]}),
    ("access_slices", "{{ 'abcdef'[1:] }} {{ 'abc'[::-1] }} {{ [1, 2, 3][-1] }} {{ [1, 2, 3][1:2] }} {{ [1, 2, 3, 4][::2] }} {{ 'abcdef'[-3:-1] }} {{ [1, 2, 3][5:] }} {{ 'héllo'[1] }} {{ 'héllo'[1:3] }}", {}),
    ("access_slice_messages", "{% for m in messages[1:] %}{{ m.role }} {% endfor %}{{ messages[-1]['content'] }}", {"messages": MSGS}),
    ("access_slice_bad_bounds", "[{{ [1, 2][1:'a'] }}][{{ none[1:] }}]", {}),
    ("access_undefined_attr_error", "{{ nothing.x }}", {}),
    ("access_undefined_item_error", "{{ nothing['x'] }}", {}),
    ("access_nested_missing_error", "{{ m.a.b }}", {"m": {}}),
    ("access_unsafe_method_printed", "[{{ [].append }}]", {}),
    ("access_unsafe_method_called", "{{ [].append(1) }}", {}),
    ("access_dict_update", "{{ {}.update({}) }}", {}),
    # --- undefined ---
    ("undef_print_and_filters", "[{{ u }}][{{ u | default('d') }}][{{ u | length }}][{{ u | list }}][{{ u | join(',') }}][{{ u | trim }}][{{ u | upper }}][{{ u | string }}][{{ u | first }}][{{ u | last }}]", {}),
    ("undef_tests", "{{ u is defined }} {{ u is undefined }} {{ u is none }} {{ u is string }} {{ u is iterable }} {{ u is sequence }} {{ u is callable }} {{ u is mapping }}", {}),
    ("undef_compare", "{{ u == u }} {{ u != none }} {{ u == none }}", {}),
    ("undef_iterate", "{% for x in u %}a{% else %}empty{% endfor %}", {}),
    ("undef_concat", "{{ u ~ 'a' }} {{ 'a' ~ u }}", {}),
    ("undef_arith_error", "{{ u + 1 }}", {}),
    ("undef_compare_error", "{{ u < 1 }}", {}),
    ("undef_call_error", "{{ nothing() }}", {}),
    ("undef_int_filter_error", "{{ u | int }}", {}),
    ("undef_indent_error", "{{ u | indent }}", {}),
    ("undef_tojson_error", "{{ u | tojson }}", {}),
    ("undef_misc_filters", "[{{ u | replace('a', 'b') }}][{{ u | capitalize }}][{{ u | title }}][{{ u | escape }}][{{ u | sum }}][{{ u | count }}][{{ u | unique | list }}][{{ u | sort }}][{{ u | min }}][{{ u | wordcount }}]", {}),
    ("undef_bos_missing", "{{ bos_token }}|{{ bos_token is defined }}", {}),
    ("undef_fixed_vars", "{{ tools }} {{ documents }} {{ add_generation_prompt }} {{ messages }}", {}),
    # --- if/elif/else ---
    ("if_elif_else", "{% for x in [1, 2, 3] %}{% if x == 1 %}one{% elif x == 2 %}two{% else %}many{% endif %} {% endfor %}", {}),
    ("if_tuple_test", "{% if 1, 2 %}t{% endif %}", {}),
    ("if_truthiness", "{% for v in [0, 1, '', 'a', [], [0], {}, {'a': 1}, none, 0.0] %}{{ 'T' if v else 'F' }}{% endfor %}", {}),
    # --- for loops ---
    ("for_loop_vars", "{% for x in ['a', 'b', 'c'] %}{{ loop.index }}{{ loop.index0 }}{{ loop.revindex }}{{ loop.revindex0 }}{{ loop.first }}{{ loop.last }}{{ loop.length }}{{ loop.depth }};{% endfor %}", {}),
    ("for_prev_next", "{% for x in [1, 2, 3] %}{{ loop.previtem }}-{{ loop.nextitem }}-{{ loop.cycle('a', 'b') }},{% endfor %}", {}),
    ("for_changed", "{% for x in [1, 1, 2, 2, 1] %}{{ loop.changed(x) }} {% endfor %}", {}),
    ("for_else", "{% for x in [] %}a{% else %}empty{% endfor %}|{% for x in [1] %}a{% else %}empty{% endfor %}", {}),
    ("for_filter", "{% for x in [1, 2, 3, 4, 5] if x is odd %}{{ loop.index }}/{{ loop.length }}:{{ x }}{{ ',' if not loop.last }}{% endfor %}", {}),
    ("for_filter_all_out", "{% for x in [2, 4] if x is odd %}{{ x }}{% else %}none{% endfor %}", {}),
    ("for_break_continue", "{% for x in range(10) %}{% if x is even %}{% continue %}{% endif %}{% if x > 6 %}{% break %}{% endif %}{{ x }}{% endfor %}", {}),
    ("for_break_else", "{% for x in [1, 2] %}{% break %}{% else %}else{% endfor %}done", {}),
    ("for_continue_else", "{% for x in [1, 2] %}{% if x == 1 %}{% continue %}{% endif %}{{ x }}{% else %}else{% endfor %}|{% for x in [1, 2] %}{% continue %}{% else %}else{% endfor %}", {}),
    ("for_break_after_pass_else", "{% for x in [1, 2] %}{% if x == 2 %}{% break %}{% endif %}{{ x }}{% else %}else{% endfor %}", {}),
    ("for_nested_loop_index", "{% for a in [1, 2] %}{% for b in [3, 4] %}{{ loop.index }}{% endfor %}/{{ loop.index }} {% endfor %}", {}),
    ("for_outer_loop_saved", "{% for a in 'xy' %}{% set outer = loop %}{% for b in [1] %}{{ outer.index }}{{ loop.index }} {% endfor %}{% endfor %}", {}),
    ("for_scope_fresh_each_iteration", "{% set x = 1 %}{% for i in range(2) %}{{ x }}{% set x = 2 %}{{ x }}{% endfor %}{{ x }}", {}),
    ("for_scope_no_carry", "{% for i in range(3) %}{% if i == 0 %}{% set y = 5 %}{% endif %}[{{ y }}]{% endfor %}", {}),
    ("for_unpack", "{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}{% for a, b in [(1, 2), [3, 4], 'xy'] %}{{ a }}{{ b }}{% endfor %}", {"d": {"b": 1, "a": [1, 2]}}),
    ("for_unpack_error", "{% for a, b in [(1, 2, 3)] %}{{ a }}{% endfor %}", {}),
    ("for_dict_and_string", "{% for k in {'x': 1, 'y': 2} %}{{ k }}{% endfor %} {% for c in 'hé😀' %}[{{ c }}]{% endfor %}", {}),
    ("for_none_error", "{% for a in none %}{{ a }}{% endfor %}", {}),
    ("for_int_error", "{% for a in 3 %}{{ a }}{% endfor %}", {}),
    ("for_over_tuple_expr", "{% for x in 1, 2 %}{{ x }}{% endfor %}", {}),
    ("for_loop_outside", "[{{ loop }}]{{ loop is defined }}", {}),
    ("for_messages_roles", "{% for message in messages %}{% if loop.first and message['role'] == 'system' %}[S:{{ message['content'] }}]{% elif message.role == 'user' %}[U:{{ message.content | trim }}]{% else %}[{{ message.role }}]{% endif %}{% endfor %}", {"messages": MSGS}),
    ("for_generator_consumed_once", "{% set g = [1, 2] | select %}{{ g | list }}{{ g | list }}", {}),
    ("for_set_reads_outer", "{% set x = 1 %}{% for i in range(3) %}{% set x = x + i %}{{ x }}{% endfor %}|{{ x }}", {}),
    ("for_dict_loop_length", "{% for k in {'a': 1, 'b': 2} %}{{ loop.length }}{{ k }}{% endfor %}", {}),
    ("for_range_batch", "{{ range(10) | batch(3) | map('sum') | list }}", {}),
    ("for_not_in_precedence", "{{ not 1 in [1] }} {{ 1 not in [1] }} {{ not 'a' == 'b' }}", {}),
    ("for_test_in_condexpr", "{{ 'a' if x is defined else 'b' }} {{ 'c' if y is not none else 'd' }}", {"y": None}),
    # --- set, namespace, with ---
    ("set_simple", "{% set x = 1 %}{% set y = x + 1 %}{{ x }}{{ y }}", {}),
    ("set_tuple", "{% set a, b = 1, 2 %}{{ a }}{{ b }}{% set c, d = 'xy' %}{{ c }}{{ d }}", {}),
    ("set_in_if_leaks", "{% set x = 1 %}{% if true %}{% set x = 2 %}{% endif %}{{ x }}", {}),
    ("set_block", "{% set x %}  hi {{ 1 }}\n{% endset %}[{{ x }}]", {}),
    ("set_block_filter", "{% set x | upper | trim %}  hi  {% endset %}[{{ x }}]", {}),
    ("set_block_scoped", "{% set y %}{% set z = 1 %}in{% endset %}{{ y }}[{{ z }}]", {}),
    ("set_namespace", "{% set ns = namespace(a=1, found=false) %}{% for i in range(3) %}{% set ns.a = ns.a + i %}{% if i == 1 %}{% set ns.found = true %}{% endif %}{% endfor %}{{ ns.a }} {{ ns.found }}", {}),
    ("set_namespace_from_dict", "{% set ns = namespace({'x': 2}, y=3) %}{{ ns.x }}{{ ns.y }}{{ ns['x'] }}[{{ ns.z }}]", {}),
    ("set_namespace_non_ns_error", "{% set d = {} %}{% set d.x = 1 %}", {}),
    ("set_override_context", "{% set messages = messages[1:] %}{{ messages | length }}", {"messages": MSGS}),
    ("set_top_level_in_macro", "{% set x = 1 %}{% macro m() %}{{ x }}{% endmacro %}{% set x = 2 %}{{ m() }}", {}),
    ("with_block", "{% with a = 1, b = 2 %}{{ a }}{{ b }}{% set c = 3 %}{% endwith %}[{{ a }}{{ c }}]", {}),
    ("with_outer_values", "{% set a = 5 %}{% with a = 1, b = a %}{{ a }}{{ b }}{% endwith %}", {}),
    ("filter_block", "{% filter upper %}abc{{ 'd' }}{% endfilter %}|{% filter replace('a', 'b') | title %}a cat{% endfilter %}", {}),
    # --- macros ---
    ("macro_defaults", "{% macro m(a, b=2, c='x') %}{{ a }}{{ b }}{{ c }}{% endmacro %}{{ m(1) }}|{{ m(1, 3) }}|{{ m(1, c='y') }}|{{ m(a=0) }}", {}),
    ("macro_missing_arg", "{% macro m(a, b) %}[{{ a }}][{{ b }}][{{ b is defined }}]{% endmacro %}{{ m(1) }}", {}),
    ("macro_varargs_kwargs", "{% macro m(a) %}{{ a }}{{ varargs }}{{ kwargs }}{% endmacro %}{{ m(1) }}|{{ m(1, 3, 4) }}|{{ m(1, c=5) }}", {}),
    ("macro_too_many_args", "{% macro m(a) %}{{ a }}{% endmacro %}{{ m(1, 2) }}", {}),
    ("macro_unknown_kwarg", "{% macro m(a) %}{{ a }}{% endmacro %}{{ m(1, b=2) }}", {}),
    ("macro_caller", "{% macro m(a) %}[{{ caller() }}|{{ a }}]{% endmacro %}{% call m(1) %}body{% endcall %}", {}),
    ("macro_caller_args", "{% macro m() %}[{{ caller(5, 'x') }}]{% endmacro %}{% call(v, w) m() %}body{{ v }}{{ w }}{% endcall %}", {}),
    ("macro_call_without_caller_use", "{% macro m() %}x{% endmacro %}{% call m() %}y{% endcall %}", {}),
    ("macro_closure_in_loop", "{% for i in [1] %}{% set x = 3 %}{% macro m() %}{{ x }}{% endmacro %}{% set x = 4 %}{{ m() }}{% endfor %}", {}),
    ("macro_local_shadow", "{% set x = 1 %}{% macro m() %}{{ x }}{% set x = 2 %}{{ x }}{% endmacro %}{{ m() }}{{ x }}", {}),
    ("macro_recursion", "{% macro fact(n) %}{% if n <= 1 %}1{% else %}{{ n * (fact(n - 1) | int) }}{% endif %}{% endmacro %}{{ fact(5) }}", {}),
    ("macro_render_content", "{% macro render(m) %}<{{ m.role }}>{{ m.content | trim }}{% endmacro %}{% for m in messages %}{{ render(m) }}{% endfor %}", {"messages": MSGS}),
    ("macro_default_uses_param", "{% macro m(a, b=a * 2) %}{{ a }}{{ b }}{% endmacro %}{{ m(2) }}{{ m(2, 1) }}", {}),
    ("macro_before_definition", "{{ m() }}{% macro m() %}x{% endmacro %}", {}),
    ("macro_kwarg_for_positional", "{% macro m(a, b) %}{{ a }}{{ b }}{% endmacro %}{{ m(b=1, a=2) }}", {}),
    ("macro_nested_call_block", "{% macro wrap(t) %}<{{ t }}>{{ caller() }}</{{ t }}>{% endmacro %}{% call wrap('a') %}{% call wrap('b') %}x{% endcall %}{% endcall %}", {}),
    ("macro_returns_string", "{% macro m() %}12{% endmacro %}{{ m() ~ 'x' }} {{ m() | int + 1 }} {{ m() is string }}", {}),
    # --- filters ---
    ("f_trim", "[{{ '  a b \\n' | trim }}][{{ 'xxaxx' | trim('x') }}][{{ '\\u3000a\\u00a0' | trim }}][{{ 5 | trim }}]", {}),
    ("f_case", "{{ 'hello World' | upper }} {{ 'HeLLo' | lower }} {{ 'hELLO wOrld' | capitalize }} {{ 'hello world-foo(bar x{y' | title }} {{ 'ÉCOLE café ß' | lower }} {{ 'straße' | upper }}", {}),
    ("f_title_apostrophe", "{{ \"they're bill's\" | title }} {{ \"they're\".title() }} {{ 'a1b c_d' | title }}", {}),
    ("f_length", "{{ 'héllo' | length }} {{ [1, 2] | length }} {{ {'a': 1} | count }} {{ messages | length }} {{ range(4) | length }} {{ {'a': 1}.items() | length }}", {"messages": MSGS}),
    ("f_length_none_error", "{{ none | length }}", {}),
    ("f_length_generator_error", "{{ [1] | select | length }}", {}),
    ("f_default", "{{ u | default('d') }} {{ '' | default('d') }} {{ '' | default('d', true) }} {{ none | default('d') }} {{ u | d('z') }} {{ 0 | d(5, boolean=true) }}", {}),
    ("f_join", "{{ [1, 2, 3] | join }} {{ ['a', 'b'] | join(', ') }} {{ messages | join(',', attribute='role') }} {{ [none, u, 1.0] | join('|') }}", {"messages": MSGS}),
    ("f_first_last", "{{ [1, 2, 3] | first }} {{ [1, 2, 3] | last }} [{{ [] | first }}] {{ 'abc' | first }} {{ 'abc' | last }} {{ {'a': 1, 'b': 2} | first }} {{ {'a': 1, 'b': 2} | last }}", {}),
    ("f_last_generator_error", "{{ [1, 2] | map('string') | last }}", {}),
    ("f_list", "{{ 'abc' | list }} {{ {'a': 1} | list }} {{ range(3) | list }} {{ (1, 2) | list }}", {}),
    ("f_list_none_error", "{{ none | list }}", {}),
    ("f_string", "{{ 1 | string }} {{ none | string }} {{ [1, 'a'] | string }} {{ (1 | string) ~ 2 }}", {}),
    ("f_int", "{{ '3' | int }} {{ 'x' | int }} {{ '3.7' | int }} {{ 3.7 | int }} {{ -3.7 | int }} {{ ' 1_0 ' | int }} {{ '0x1A' | int(base=16) }} {{ '0x1A' | int(0, 0) }} {{ true | int }} {{ none | int }} {{ [1] | int }} {{ 'nan' | int }} {{ '1e3' | int }} {{ 'x' | int(7) }} {{ '010' | int }}", {}),
    ("f_int_inf_error", "{{ 'inf' | int }}", {}),
    ("f_float", "{{ ' 1.5e3 ' | float }} {{ '1_0.5' | float }} {{ 'inf' | float }} {{ '-Infinity' | float }} {{ 'x' | float(1) }} {{ 3 | float }} {{ '.5' | float }} {{ '5.' | float }} {{ none | float }} {{ 'nan' | float }}", {}),
    ("f_abs_round", "{{ -2 | abs }} {{ -2.5 | abs }} {{ 2.5 | round }} {{ 3.5 | round }} {{ 2.675 | round(2) }} {{ 3 | round }} {{ 2.1 | round(0, 'ceil') }} {{ 2.9 | round(1, 'floor') }} {{ -0.5 | round }} {{ 1234.5678 | round(-2) }} {{ 1250 | round(-2) }}", {}),
    ("f_abs_error", "{{ 'a' | abs }}", {}),
    ("f_replace", "{{ 'aXbX' | replace('X', '-') }} {{ 'aXbX' | replace('X', '-', 1) }} {{ 'ab' | replace('', '-') }} {{ 1212 | replace(1, 3) }}", {}),
    ("f_sort", "{{ [3, 1, 2] | sort }} {{ ['b', 'A', 'a', 'B'] | sort }} {{ ['b', 'A', 'a'] | sort(case_sensitive=true) }} {{ [3, 1, 2] | sort(reverse=true) }} {{ messages | sort(attribute='role') | map(attribute='role') | join(',') }}", {"messages": MSGS}),
    ("f_sort_multi_attr", "{{ items | sort(attribute='a,b') | map(attribute='n') | join }}", {"items": [{"a": 2, "b": 1, "n": "x"}, {"a": 1, "b": 2, "n": "y"}, {"a": 1, "b": 1, "n": "z"}]}),
    ("f_sort_mixed_error", "{{ [3, 'a'] | sort }}", {}),
    ("f_unique", "{{ ['a', 'A', 'b', 'a'] | unique | list }} {{ ['a', 'A'] | unique(case_sensitive=true) | list }} {{ messages | unique(attribute='role') | map(attribute='role') | list }}", {"messages": MSGS}),
    ("f_reverse", "{{ 'abc' | reverse }} {{ [1, 2] | reverse | list }} {{ [1, 2] | select | reverse }}", {}),
    ("f_selectattr", "{{ messages | selectattr('role', 'equalto', 'user') | map(attribute='content') | list }} {{ messages | rejectattr('role', '==', 'user') | map(attribute='role') | join(',') }} {{ messages | selectattr('tool_calls', 'defined') | list | length }} {{ messages | rejectattr('tool_calls') | list | length }}", {"messages": MSGS}),
    ("f_select_reject", "{{ [0, 1, 2, none, '', 'a'] | select | list }} {{ [1, 2, 3, 4] | reject('odd') | list }} {{ [1, 2, 3] | select('gt', 1) | list }} {{ ['a', 1, none] | select('string') | list }} {{ [1, 2, 3] | select('in', [2, 3]) | list }}", {}),
    ("f_selectattr_none_test", "{{ items | selectattr('x', 'none') | list | length }} {{ items | selectattr('x', 'undefined') | list | length }}", {"items": [{"x": None}, {}, {"x": 1}]}),
    ("f_map", "{{ [1, 2, 3] | map('string') | join('-') }} {{ ['a', 'b'] | map('upper') | list }} {{ [' a '] | map('trim') | first }} {{ messages | map(attribute='role') | list }} {{ messages | map(attribute='nope', default='q') | list }} {{ [[1, 2], [3]] | map('length') | list }} {{ ['a,b'] | map('replace', ',', ';') | list }}", {"messages": MSGS}),
    ("f_map_nested_attr", "{{ messages | selectattr('tool_calls', 'defined') | map(attribute='tool_calls.0.function.name') | list }}", {"messages": MSGS}),
    ("f_items_dictsort", "{{ {'b': 1, 'a': 2} | items | list }} {{ {'b': 1, 'a': 2, 'C': 0} | dictsort }} {{ {'b': 1, 'a': 2} | dictsort(by='value', reverse=true) }} {{ {'b': 1, 'B': 2, 'a': 3} | dictsort(true) }}", {}),
    ("f_items_error", "{{ none | items | list }}", {}),
    ("f_indent", "[{{ 'a\\nb\\n\\nc' | indent }}][{{ 'a\\nb' | indent(2, true) }}][{{ 'a\\n\\nb' | indent(2, blank=true) }}][{{ 'a\\nb' | indent('>> ') }}][{{ 'a\\r\\nb\\u2028c' | indent(1) }}][{{ '' | indent }}]", {}),
    ("f_format", "{{ '%s-%d' | format('a', 3) }} {{ '%s' % 'x' }} {{ '%s and %s' % (1, 2) }} {{ '%(a)s!' % {'a': 1} }} {{ '%5.2f|%-3d|%r|%x|%03d|%+d|%e|%g|%%' % (3.14159, 7, 'a', 255, 5, 4, 12345.678, 0.0001) }} {{ '%s' | format(none) }} {{ '%.2s' % 'abc' }} {{ '%c' % 65 }}", {}),
    ("f_format_error", "{{ '%s %s' % 'a' }}", {}),
    ("f_tojson_basic", "{{ m | tojson }} {{ [1, 2.0, 'é', none, true] | tojson }} {{ 'a\"b\\\\c\\n\\t\\u0001\\x7f' | tojson }} {{ (1, 2) | tojson }} {{ {1: 2, none: 3, true: 4, 1.5: 5} | tojson }}", {"m": {"z": 1, "a": {"b": [1, {}], "c": []}}}),
    ("f_tojson_indent", "{{ m | tojson(indent=2) }}|{{ [] | tojson(indent=4) }}|{{ {'a': []} | tojson(indent='\\t') }}|{{ [1] | tojson(indent=0) }}", {"m": {"z": 1, "a": {"b": [1, {}], "c": []}}}),
    ("f_tojson_options", "{{ m | tojson(sort_keys=true) }} {{ 'é😀' | tojson(ensure_ascii=true) }} {{ m | tojson(separators=(',', ':')) }}", {"m": {"z": 1, "a": [1, 2]}}),
    ("f_tojson_floats", "{{ [1.0, 0.5, 1e16, 1e-7, 100.0, 3.14, 2.5e-10] | tojson }} {{ m | tojson }}", {"m": {"x": 1.0, "y": 12345678.9, "z": 0.1}}),
    ("f_tojson_tools", "{% for t in tools %}{{ t | tojson }}\n{{ t.function.parameters | tojson(indent=4) }}{% endfor %}", {"tools": [{"type": "function", "function": {"name": "get_weather", "description": "Weather.", "parameters": {"type": "object", "properties": {"location": {"type": "string"}, "unit": {"type": "string", "enum": ["c", "f"]}}, "required": ["location"]}}}]}),
    ("f_tojson_generator_error", "{{ [1] | select | tojson }}", {}),
    ("f_tojson_macro_error", "{% macro m() %}{% endmacro %}{{ m | tojson }}", {}),
    ("f_safe_escape", "{{ '<a>&\"\\'' | e }} {{ '<b>' | safe }} {{ '<b>' | escape | escape }} {{ ('<' | safe) + '<' }} {{ '<' + ('<' | e) }} {{ ('<' | e) ~ '<' }} {{ ('%s' | safe) % '<' }} {{ ('<' | safe) | upper + '<' }} {{ ('<' | safe) | replace('x', 'y') + '<' }} {{ 'a' | e is escaped }}", {}),
    ("f_markup_methods", "{{ ('<a>' | safe).upper() + '<' }} {{ ('a<b' | safe).split('<') }} {{ ('<a>' | safe).replace('a', '&') }} {{ ('  <a> ' | safe).strip() ~ '|' }} {{ ('<x>' | e)[1:3] + '&' }} {{ ('x' | safe).center(5, '*') }} {{ ('<' | safe).join(['<', '>' | safe]) }} {{ ('a<b' | safe).startswith('a<') }} {{ ['<' | safe] }}", {}),
    ("f_markup_percent", "{{ ('<%s>' | safe) % '&' }} {{ ('%s|%r' | safe) % ('<', '<') }} {{ ('%(a)s' | safe) % {'a': '\"'} }} {{ ('%s' | safe) % ('<b>' | safe) }} {{ ('%d' | safe) % 3 }}", {}),
    ("f_percent_mapping_like", "[{{ 'x' % [1] }}][{{ 'x' % {'a': 1} }}][{{ '%s' % u }}][{{ 'x' % u }}][{{ 'y' % range(3) }}][{{ '%s' % [1, 2] }}][{{ 'x' % () }}]", {}),
    ("f_percent_extra_error", "{{ 'x' % 5 }}", {}),
    ("f_percent_bad_char_error", "{{ '%S' % 1 }}", {}),
    ("f_wordcount_center", "{{ 'hello big world_1' | wordcount }} [{{ 'ab' | center(7) }}] [{{ 'abc' | center(6) }}]", {}),
    ("f_sum_min_max", "{{ [1, 2] | sum }} {{ [1.5, 2] | sum }} {{ [{'a': 1}, {'a': 2}] | sum(attribute='a') }} {{ [3, 1, 2] | min }} {{ ['b', 'A'] | max }} {{ ['b', 'A'] | max(case_sensitive=true) }} [{{ [] | min }}] {{ [[1], [2]] | sum(start=[]) }}", {}),
    ("f_batch", "{{ [1, 2, 3, 4, 5] | batch(2) | list }} {{ [1, 2, 3] | batch(2, 0) | list }}", {}),
    ("f_attr", "[{{ m | attr('role') }}] {{ ns | attr('x') }} {{ (m | attr('items')) is callable }}", {"m": {"role": "user"}, "ns": None}),
    ("f_chained", "{{ messages | selectattr('role', 'eq', 'user') | map(attribute='content') | map('trim') | map('upper') | join(' / ') }}", {"messages": MSGS}),
    ("f_unknown_runtime_name", "{{ [1] | map('nosuchfilter') | list }}", {}),
    ("f_unknown_compile", "{{ 'x' | nosuchfilter }}", {}),
    ("f_unknown_test_compile", "{{ x is nosuchtest }}", {}),
    # --- tests ---
    ("t_types", "{{ 'a' is string }} {{ 1.0 is float }} {{ 1 is float }} {{ 1 is integer }} {{ true is integer }} {{ true is number }} {{ {} is mapping }} {{ [] is sequence }} {{ 'a' is iterable }} {{ 1 is iterable }} {{ none is mapping }} {{ (1,) is sequence }} {{ {} is sequence }} {{ none is none }} {{ 1 is boolean }} {{ true is boolean }}", {}),
    ("t_truefalse", "{{ false is false }} {{ 0 is false }} {{ true is true }} {{ 1 is true }}", {}),
    ("t_numbers", "{{ 3 is odd }} {{ 4 is even }} {{ 4 is divisibleby 2 }} {{ 4 is divisibleby(3) }} {{ 3.0 is odd }} {{ -3 is odd }}", {}),
    ("t_compare", "{{ 1 is eq 1 }} {{ 1 is ne 2 }} {{ 1 is equalto 1 }} {{ 1 is gt 0 }} {{ 1 is lessthan 2 }} {{ 2 is ge 2 }} {{ 2 is le 1 }} {{ 1 is greaterthan 1 }} {{ 'a' is in 'abc' }} {{ 1 is in [1] }}", {}),
    ("t_string_case", "{{ 'abc' is lower }} {{ 'aBc' is lower }} {{ 'ABC 1' is upper }} {{ '123' is upper }} {{ 'ü' is lower }}", {}),
    ("t_callable_misc", "{{ range is callable }} {{ 'x' is callable }} {{ 'tojson' is filter }} {{ 'nope' is filter }} {{ 'odd' is test }} {{ none is sameas none }} {{ m is sameas m }}", {"m": {}}),
    ("t_negated", "{{ 1 is not string }} {{ none is not none }} {{ u is not defined }}", {}),
    ("t_message_content", "{% for m in ms %}{% if m.content is string %}S{% elif m.content is mapping or m.content is iterable %}{{ m.content | tojson }}{% elif m.content is none %}N{% endif %}{% endfor %}", {"ms": [{"content": "x"}, {"content": [{"type": "text", "text": "t"}]}, {"content": None}, {"content": {"a": 1}}]}),
    # --- methods ---
    ("m_strip_split", "[{{ '  a b  '.strip() }}][{{ 'xxaxx'.lstrip('x') }}][{{ 'xxaxx'.rstrip('x') }}] {{ 'a,b,,c'.split(',') }} {{ ' a  b '.split() }} {{ 'a b c'.split(none, 1) }} {{ 'a,b,c'.rsplit(',', 1) }} {{ 'a b  c '.rsplit(none, 1) }} {{ 'a\\nb\\r\\nc'.splitlines() }}", {}),
    ("m_startswith", "{{ 'abc'.startswith('ab') }} {{ 'abc'.startswith(('x', 'a')) }} {{ 'abc'.endswith('bc') }} {{ 'abc'.endswith('x') }}", {}),
    ("m_case", "{{ 'ab'.upper() }} {{ 'AB'.lower() }} {{ \"hello they're\".title() }} {{ 'hELLO'.capitalize() }} {{ 'ǆ' is defined }}", {}),
    ("m_replace_join", "{{ 'aXbX'.replace('X', '-', 1) }} {{ 'ab'.replace('', '-') }} {{ ', '.join(['a', 'b']) }} {{ ''.join('abc') }}", {}),
    ("m_join_error", "{{ ', '.join([1, 2]) }}", {}),
    ("m_find_count", "{{ 'hello'.find('l') }} {{ 'hello'.rfind('l') }} {{ 'héllo'.find('l') }} {{ 'hello'.find('z') }} {{ 'hello'.count('l') }} {{ 'aaa'.count('aa') }} {{ 'abc'.count('') }} {{ 'hello'.index('e') }}", {}),
    ("m_format", "{{ '{} {}'.format(1, 'a') }} {{ '{a}-{b}'.format(a=1, b=none) }} {{ '{1}{0}'.format('x', 'y') }} {{ '{{}} {!r}'.format('q') }}", {}),
    ("m_format_mixed_error", "{{ 'x{}y{0}'.format(1) }}", {}),
    ("m_misc_str", "{{ 'ab'.zfill(4) }} {{ '-5'.zfill(3) }} [{{ 'ab'.ljust(4, '.') }}] [{{ 'ab'.rjust(4) }}] [{{ 'ab'.center(5, '*') }}] {{ 'a=b=c'.partition('=') }} {{ 'a=b=c'.rpartition('=') }} {{ 'abc'.removeprefix('a') }} {{ 'abc'.removesuffix('c') }} {{ '12'.isdigit() }} {{ ' '.isspace() }} {{ 'ab'.isalpha() }}", {}),
    ("m_dict", "{{ d.get('a') }} {{ d.get('z', 9) }} {{ d.keys() | list }} {{ d.values() | list }} {{ d.items() | list }} {{ d.copy() }} {{ 'a' in d.keys() }}", {"d": {"a": 1, "b": 2}}),
    ("m_list", "{{ [1, 2, 1].count(1) }} {{ [1, 2, 3].index(2) }} {{ (1, 2).index(2) }} {{ [1, 2].copy() }}", {}),
    ("m_list_index_error", "{{ [1, 2].index(5) }}", {}),
    ("m_split_empty_error", "{{ 'abc'.split('') }}", {}),
    ("m_method_on_missing", "{{ m.content.strip() }}", {"m": {}}),
    # --- globals ---
    ("g_range", "{{ range(3) | list }} {{ range(1, 10, 3) | list }} {{ range(5, 0, -2) | list }} {{ range(0) | list }} {{ range(3)[1] }} {{ range(-2) | list }}", {}),
    ("g_range_too_big", "{{ range(100001) | length }}", {}),
    ("g_range_float_error", "{{ range(1.5) }}", {}),
    ("g_dict_namespace", "{{ dict(a=1, b=2) }} {{ dict([('x', 1)]) }} {{ namespace(a=1).a }} {{ dict() }}", {}),
    ("g_raise_exception", "{% if messages | length == 0 %}{{ raise_exception('No messages: ' ~ 0) }}{% endif %}", {}),
    ("g_strftime", "{{ strftime_now('%d %b %Y') }}|{{ strftime_now('%A %a %B %m %y %H:%M:%S %j %p %I %e %U %W %u %w') }}|{{ strftime_now('%c|%x|%X|%D|%F|%T|%%|%f|%z|%Z|%G-%V') }}|{{ strftime_now('') }}", {}),
    ("g_strftime_defined", "{{ strftime_now is defined }} {{ date_string is defined }}", {}),
    # --- errors ---
    ("e_syntax_unclosed_var", "{{ x }", {}),
    ("e_syntax_missing_expr", "line1\n{% if %}", {}),
    ("e_syntax_unclosed_for", "line1\nline2\n{% for x in y %}", {}),
    ("e_syntax_unexpected_endif", "{% endif %}", {}),
    ("e_syntax_unterminated_string", "{{ 'abc }}", {}),
    ("e_syntax_unclosed_comment", "{# abc", {}),
    ("e_syntax_unknown_tag", "{% foo %}", {}),
    ("e_syntax_bad_test", "{{ 1 is > 0 }}", {}),
    ("e_syntax_chained_tests", "{{ 1 is number is true }}", {}),
    ("e_syntax_assign_const", "{% set 1 = 2 %}", {}),
    ("e_syntax_default_order", "{% macro m(a=1, b) %}{% endmacro %}", {}),
    ("e_syntax_bracket_mismatch", "{{ (1] }}", {}),
    ("e_syntax_missing_end_raw", "{% raw %}abc", {}),
    ("e_syntax_kwarg_then_positional", "{{ range(start=1, 2) }}", {}),
    ("e_type_concat", "{{ 'a' + 1 }}", {}),
    ("e_type_concat_none", "{{ 'a' + none }}", {}),
    ("e_zero_division", "{{ 1 / 0 }}", {}),
    ("e_zero_modulo", "{{ 1 % 0 }}", {}),
    ("e_list_times_float", "{{ 'x' * 3.0 }}", {}),
    ("e_float_pow_overflow", "{{ 2.0 ** 10000 }}", {}),
    ("e_slice_step_zero", "{{ [1, 2, 3][::0] }}", {}),
    ("e_raise_in_macro", "{% macro check(m) %}{% if m.role not in ['user', 'assistant'] %}{{ raise_exception('Bad role: ' + m.role) }}{% endif %}{% endmacro %}{% for m in messages %}{{ check(m) }}{% endfor %}", {"messages": MSGS}),
    # --- realistic snippets ---
    ("real_llama3_header", "{{- bos_token }}{% for message in messages %}{{ '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n' + message['content'] | trim + '<|eot_id|>' }}{% endfor %}{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{% endif %}", {"messages": MSGS[:2] + MSGS[3:], "bos_token": "<s>", "add_generation_prompt": True}),
    ("real_system_extract", "{%- if messages[0]['role'] == 'system' -%}\n    {%- set system_message = messages[0]['content'] -%}\n    {%- set loop_messages = messages[1:] -%}\n{%- else -%}\n    {%- set loop_messages = messages -%}\n{%- endif -%}\n{{ system_message | default('none') }}|{% for m in loop_messages %}{{ m.role[0] }}{% endfor %}", {"messages": MSGS}),
    ("real_ns_last_user", "{%- set ns = namespace(last_user=-1) -%}\n{%- for m in messages -%}\n  {%- if m.role == 'user' -%}{%- set ns.last_user = loop.index0 -%}{%- endif -%}\n{%- endfor -%}\n{{ ns.last_user }}", {"messages": MSGS}),
    ("real_tool_call_args", "{%- for m in messages if m.tool_calls is defined -%}{%- for tc in m.tool_calls -%}{%- set f = tc.function if tc.function is defined else tc -%}{\"name\": \"{{ f.name }}\", \"arguments\": {{ f.arguments | tojson if f.arguments is not string else f.arguments }}}{%- endfor -%}{%- endfor -%}", {"messages": MSGS}),
    ("real_generation_tag", "{% for m in messages %}{% if m.role == 'assistant' %}{% generation %}{{ m.content }}{% endgeneration %}{% else %}[{{ m.role }}]{% endif %}{% endfor %}", {"messages": MSGS}, "transformers"),
    ("real_documents", "{% if documents %}{% for d in documents %}{{ loop.index }}. {{ d.title }}: {{ d.text }}\n{% endfor %}{% endif %}", {"documents": [{"title": "A", "text": "x"}, {"title": "B", "text": "y"}]}),
    ("real_multimodal_content", "{% for m in messages %}{% if m.content is string %}{{ m.content }}{% else %}{% for part in m.content %}{% if part.type == 'text' %}{{ part.text }}{% elif part.type == 'image' %}<image>{% endif %}{% endfor %}{% endif %}\n{% endfor %}", {"messages": [{"role": "user", "content": [{"type": "image"}, {"type": "text", "text": "What is this?"}]}, {"role": "assistant", "content": "A cat."}]}),
    # --- features the engine refuses on purpose (valid Jinja; Python's output recorded for reference) ---
    ("u_print_generator", "{{ [1, 2] | select }}", {}, "unsupported"),
    ("u_groupby", "{{ messages | groupby('role') | list }}", {"messages": MSGS}, "unsupported"),
    ("u_truncate", "{{ 'hello world' | truncate(5) }}", {}, "unsupported"),
    ("u_recursive_loop", "{% for x in [[1]] recursive %}{{ loop(x) if x is iterable }}{% endfor %}", {}, "unsupported"),
    ("u_include", "{% include 'other.jinja' %}", {}, "unsupported"),
    ("u_big_int", "{{ 2 ** 64 }}", {}, "unsupported"),
    ("u_big_int_literal", "{{ 99999999999999999999 }}", {}, "unsupported"),
    ("u_format_spec", "{{ '{:>5}'.format('a') }}", {}, "unsupported"),
    ("u_casefold", "{{ 'ABC'.casefold() }}", {}, "unsupported"),
    ("u_lower_sigma", "{{ 'ΟΔΟΣ' | lower }}", {}, "unsupported"),
    ("u_upper_latin_ext_b", "{{ 'ǆ' | upper }}", {}, "unsupported"),
    ("u_print_method", "{{ 'a'.upper }}", {}, "unsupported"),
    ("u_print_function", "{{ raise_exception }}", {}, "unsupported"),
    ("u_star_args", "{{ range(*[3]) | list }}", {}, "unsupported"),
    ("u_markup_strip_special", "{{ ('<a>' | safe).strip('<') }}", {}, "unsupported"),
    ("u_markup_removeprefix", "{{ ('<a>' | safe).removeprefix('<') }}", {}, "unsupported"),
    ("u_percent_ascii", "{{ '%a' % 'é' }}", {}, "unsupported"),
    ("u_joiner", "{% set j = joiner(',') %}{{ j() }}a{{ j() }}b", {}, "unsupported"),
]


# Python exception class -> ft::ErrorCode name (errorCodeName()).
ERROR_CODES = {
    "TemplateSyntaxError": "parse_error",
    "TemplateAssertionError": "unsupported",  # unknown filter or test, found at compile time
    "TemplateError": "template_raised",        # raise_exception()
}
LIMIT_CASES = {"g_range_too_big"}  # the sandbox's MAX_RANGE, reported as a limit


def render_case(env, template, context):
    ctx = dict(context)
    messages = ctx.pop("messages", [])
    agp = ctx.pop("add_generation_prompt", False)
    tools = ctx.pop("tools", None)
    documents = ctx.pop("documents", None)
    return env.from_string(template).render(
        messages=messages, tools=tools, documents=documents, add_generation_prompt=agp, **ctx)


def main():
    if jinja2.__version__ != "3.1.2":
        print(f"warning: Jinja2 {jinja2.__version__}; the fixtures assume 3.1.2", file=sys.stderr)
    env = make_env()
    out_path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "jinja_cases.jsonl")
    names = set()
    with open(out_path, "w", encoding="utf-8", newline="\n") as out:
        for case in CASES:
            name, template, context = case[:3]
            flag = case[3] if len(case) > 3 else None
            unsupported = flag == "unsupported"
            assert name not in names, name
            names.add(name)
            record = {"name": name, "template": template, "context": context}
            try:
                if flag == "transformers":
                    # {% generation %} comes from transformers' AssistantTracker extension: it renders its body
                    python = render_case(env, template.replace("{% generation %}", "").replace(
                        "{% endgeneration %}", ""), context)
                else:
                    python = render_case(env, template, context)
                if unsupported:
                    record["expected_error_code"] = "unsupported"
                    record["python"] = re.sub(r" at 0x[0-9a-f]+", " at 0x...", python)
                else:
                    record["expected"] = python
            except Exception as e:  # the exception type is what the C++ side checks
                if unsupported:
                    record["expected_error_code"] = "unsupported"
                    record["python"] = f"{type(e).__name__}: {e}"
                else:
                    kind = type(e).__name__
                    record["expected_error_code"] = "limit_exceeded" if name in LIMIT_CASES else ERROR_CODES.get(
                        kind, "invalid_value")
                    record["expected_error_type"] = kind
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    print(f"wrote {len(CASES)} cases to {out_path}")


if __name__ == "__main__":
    main()
