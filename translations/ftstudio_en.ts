<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>AdapterPanel</name>
    <message>
        <source>Bottleneck width:</source>
        <translation>Bottleneck width:</translation>
    </message>
    <message>
        <source>Activation:</source>
        <translation>Activation:</translation>
    </message>
</context>
<context>
    <name>ChatTemplatePreview</name>
    <message>
        <source>Add the generation prompt</source>
        <translation>Add the generation prompt</translation>
    </message>
    <message>
        <source>The model&apos;s own template</source>
        <translation>The model&apos;s own template</translation>
    </message>
    <message>
        <source>Custom</source>
        <translation>Custom</translation>
    </message>
    <message>
        <source>Jinja chat template</source>
        <translation>Jinja chat template</translation>
    </message>
    <message>
        <source>Example </source>
        <translation>Example </translation>
    </message>
    <message>
        <source>Template:</source>
        <translation>Template:</translation>
    </message>
    <message>
        <source>Line %1: %2</source>
        <translation>Line %1: %2</translation>
    </message>
    <message>
        <source>The model has no chat template. Choose a preset or write one, or use Base FT.</source>
        <translation>The model has no chat template. Choose a preset or write one, or use Base FT.</translation>
    </message>
    <message>
        <source>The model has no chat template of its own: training will use this one. Ship it with the tuned model, or prompts will be formatted differently than in training.</source>
        <translation>The model has no chat template of its own: training will use this one. Ship it with the tuned model, or prompts will be formatted differently than in training.</translation>
    </message>
    <message>
        <source>Training will use this template, not the model&apos;s own. Prompt the tuned model with the same template: tools that apply the model&apos;s template will format prompts differently than in training.</source>
        <translation>Training will use this template, not the model&apos;s own. Prompt the tuned model with the same template: tools that apply the model&apos;s template will format prompts differently than in training.</translation>
    </message>
    <message numerus="yes">
        <source>%1 becomes %n pieces</source>
        <translation>
            <numerusform>%1 becomes %n pieces</numerusform>
            <numerusform>%1 becomes %n pieces</numerusform>
        </translation>
    </message>
    <message>
        <source>This template&apos;s special tokens are not tokens of the model&apos;s tokenizer: %1. Training would learn them as plain text, piece by piece, not as the markers the model knows. Choose the model&apos;s own template or one written for its tokenizer.</source>
        <translation>This template&apos;s special tokens are not tokens of the model&apos;s tokenizer: %1. Training would learn them as plain text, piece by piece, not as the markers the model knows. Choose the model&apos;s own template or one written for its tokenizer.</translation>
    </message>
</context>
<context>
    <name>CsvFile</name>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>Cannot write %1: %2</translation>
    </message>
</context>
<context>
    <name>DatasetAutosave</name>
    <message>
        <source>Cannot write the autosave %1: %2. Your edits are kept in memory; save soon.</source>
        <translation>Cannot write the autosave %1: %2. Your edits are kept in memory; save soon.</translation>
    </message>
    <message>
        <source>Cannot read the autosave %1: %2.</source>
        <translation>Cannot read the autosave %1: %2.</translation>
    </message>
    <message>
        <source>%1 is not an autosave this version can read; it was left as it is.</source>
        <translation>%1 is not an autosave this version can read; it was left as it is.</translation>
    </message>
    <message>
        <source>The dataset changed on disk after the autosave was made, so its edits no longer fit. The autosave was left at %1.</source>
        <translation>The dataset changed on disk after the autosave was made, so its edits no longer fit. The autosave was left at %1.</translation>
    </message>
    <message>
        <source>The autosave %1 is damaged; it was left as it is.</source>
        <translation>The autosave %1 is damaged; it was left as it is.</translation>
    </message>
    <message>
        <source>Restore autosaved edits</source>
        <translation>Restore autosaved edits</translation>
    </message>
</context>
<context>
    <name>DatasetEditor</name>
    <message>
        <source>Invalid rows only</source>
        <translation>Invalid rows only</translation>
    </message>
    <message>
        <source>Add row</source>
        <translation>Add row</translation>
    </message>
    <message>
        <source>Duplicate</source>
        <translation>Duplicate</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Delete</translation>
    </message>
    <message>
        <source>Move up</source>
        <translation>Move up</translation>
    </message>
    <message>
        <source>Move down</source>
        <translation>Move down</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>Undo</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>Redo</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>Search…</source>
        <translation>Search…</translation>
    </message>
    <message>
        <source>Restore edits</source>
        <translation>Restore edits</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>Discard</translation>
    </message>
    <message>
        <source>Reading %1…</source>
        <translation>Reading %1…</translation>
    </message>
    <message>
        <source>%1 has edits that were not saved (autosaved before the editor closed). Restore them?</source>
        <translation>%1 has edits that were not saved (autosaved before the editor closed). Restore them?</translation>
    </message>
    <message>
        <source>No dataset is open.</source>
        <translation>No dataset is open.</translation>
    </message>
    <message>
        <source>No dataset open</source>
        <translation>No dataset open</translation>
    </message>
    <message numerus="yes">
        <source>%n row(s)</source>
        <translation>
            <numerusform>%n row</numerusform>
            <numerusform>%n rows</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n invalid</source>
        <translation>
            <numerusform>%n invalid</numerusform>
            <numerusform>%n invalid</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n shown</source>
        <translation>
            <numerusform>%n shown</numerusform>
            <numerusform>%n shown</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The quality report reads every row into memory, so it is off for a file this large (%n row(s)). Invalid rows are still found: tick “Invalid rows only”. For the whole report, split the file.</source>
        <translation>
            <numerusform>The quality report reads every row into memory, so it is off for a file this large (%n row). Invalid rows are still found: tick “Invalid rows only”. For the whole report, split the file.</numerusform>
            <numerusform>The quality report reads every row into memory, so it is off for a file this large (%n rows). Invalid rows are still found: tick “Invalid rows only”. For the whole report, split the file.</numerusform>
        </translation>
    </message>
    <message>
        <source>Available once every row is checked</source>
        <translation>Available once every row is checked</translation>
    </message>
    <message>
        <source>checking rows… %1 %</source>
        <translation>checking rows… %1 %</translation>
    </message>
    <message>
        <source>searching… %1 %</source>
        <translation>searching… %1 %</translation>
    </message>
    <message>
        <source>%1 was saved as it was when you pressed Save; edits were undone or redone since. Save again.</source>
        <translation>%1 was saved as it was when you pressed Save; edits were undone or redone since. Save again.</translation>
    </message>
    <message>
        <source>saving… %1 %</source>
        <translation>saving… %1 %</translation>
    </message>
</context>
<context>
    <name>DatasetLoader</name>
    <message>
        <source>Cannot read %1: %2. Check that the file exists and that you may read it.</source>
        <translation>Cannot read %1: %2. Check that the file exists and that you may read it.</translation>
    </message>
    <message>
        <source>%1 is one JSON list; the editor works on JSON Lines. Save it as .jsonl with one record a line.</source>
        <translation>%1 is one JSON list; the editor works on JSON Lines. Save it as .jsonl with one record a line.</translation>
    </message>
    <message>
        <source>Line %1: %2. Close the quote (a quote inside a quoted field is written twice) and open the file again.</source>
        <translation>Line %1: %2. Close the quote (a quote inside a quoted field is written twice) and open the file again.</translation>
    </message>
    <message>
        <source>The file is empty: a CSV dataset needs a header row, e.g. prompt,response.</source>
        <translation>The file is empty: a CSV dataset needs a header row, e.g. prompt,response.</translation>
    </message>
</context>
<context>
    <name>DatasetPage</name>
    <message>
        <source>Choose the training data</source>
        <translation>Choose the training data</translation>
    </message>
    <message>
        <source>JSONL, JSON, CSV/TSV or plain text. Bad rows are left out and listed below; nothing stops at the first one.</source>
        <translation>JSONL, JSON, CSV/TSV or plain text. Bad rows are left out and listed below; nothing stops at the first one.</translation>
    </message>
    <message>
        <source>Detect automatically</source>
        <translation>Detect automatically</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>Field</translation>
    </message>
    <message>
        <source>Column in the file</source>
        <translation>Column in the file</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>Where</translation>
    </message>
    <message>
        <source>Why it was left out</source>
        <translation>Why it was left out</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>&amp;Browse…</translation>
    </message>
    <message>
        <source>&amp;Reload</source>
        <translation>&amp;Reload</translation>
    </message>
    <message>
        <source>File:</source>
        <translation>File:</translation>
    </message>
    <message>
        <source>Record format:</source>
        <translation>Record format:</translation>
    </message>
    <message>
        <source>Column mapping:</source>
        <translation>Column mapping:</translation>
    </message>
    <message>
        <source>Training data</source>
        <translation>Training data</translation>
    </message>
    <message>
        <source>Datasets (*.jsonl *.json *.csv *.tsv *.txt);;All files (*)</source>
        <translation>Datasets (*.jsonl *.json *.csv *.tsv *.txt);;All files (*)</translation>
    </message>
    <message>
        <source>Choose a file.</source>
        <translation>Choose a file.</translation>
    </message>
    <message>
        <source>Reading %1 …</source>
        <translation>Reading %1 …</translation>
    </message>
    <message numerus="yes">
        <source>Format: %1%2 — %n usable example(s), %3 row(s) left out.</source>
        <translation>
            <numerusform>Format: %1%2 — %n usable example, %3 row(s) left out.</numerusform>
            <numerusform>Format: %1%2 — %n usable examples, %3 row(s) left out.</numerusform>
        </translation>
    </message>
    <message>
        <source> (detected)</source>
        <translation> (detected)</translation>
    </message>
    <message>
        <source>line %1</source>
        <translation>line %1</translation>
    </message>
</context>
<context>
    <name>DatasetQualityReport</name>
    <message>
        <source>unrecognized</source>
        <translation>unrecognized</translation>
    </message>
    <message numerus="yes">
        <source>%n row(s) that training would leave out</source>
        <translation>
            <numerusform>%n row that training would leave out</numerusform>
            <numerusform>%n rows that training would leave out</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n rows with the prompt “%1”</source>
        <translation>
            <numerusform>%n row with the prompt “%1”</numerusform>
            <numerusform>%n rows with the prompt “%1”</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n different answers to the prompt “%1”</source>
        <translation>
            <numerusform>%n different answer to the prompt “%1”</numerusform>
            <numerusform>%n different answers to the prompt “%1”</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n rows with nearly the same prompt as “%1”</source>
        <translation>
            <numerusform>%n row with nearly the same prompt as “%1”</numerusform>
            <numerusform>%n rows with nearly the same prompt as “%1”</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n row(s) with an empty answer</source>
        <translation>
            <numerusform>%n row with an empty answer</numerusform>
            <numerusform>%n rows with an empty answer</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n row(s) with an answer under %1 characters</source>
        <translation>
            <numerusform>%n row with an answer under %1 characters</numerusform>
            <numerusform>%n rows with an answer under %1 characters</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n row(s) longer than %1 characters (mean %2 + %3σ)</source>
        <translation>
            <numerusform>%n row longer than %1 characters (mean %2 + %3σ)</numerusform>
            <numerusform>%n rows longer than %1 characters (mean %2 + %3σ)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n row(s) longer than %1 tokens would be truncated</source>
        <translation>
            <numerusform>%n row longer than %1 tokens would be truncated</numerusform>
            <numerusform>%n rows longer than %1 tokens would be truncated</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n row(s) longer than %1 tokens would be truncated (estimated at 4 characters a token)</source>
        <translation>
            <numerusform>%n row longer than %1 tokens would be truncated (estimated at 4 characters a token)</numerusform>
            <numerusform>%n rows longer than %1 tokens would be truncated (estimated at 4 characters a token)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n row(s) not in the main format (%1): %2</source>
        <translation>
            <numerusform>%n row not in the main format (%1): %2</numerusform>
            <numerusform>%n rows not in the main format (%1): %2</numerusform>
        </translation>
    </message>
    <message>
        <source>Invalid rows</source>
        <translation>Invalid rows</translation>
    </message>
    <message>
        <source>Duplicate prompts</source>
        <translation>Duplicate prompts</translation>
    </message>
    <message>
        <source>Near-duplicate prompts</source>
        <translation>Near-duplicate prompts</translation>
    </message>
    <message>
        <source>Conflicting answers</source>
        <translation>Conflicting answers</translation>
    </message>
    <message>
        <source>Empty answers</source>
        <translation>Empty answers</translation>
    </message>
    <message>
        <source>Very short answers</source>
        <translation>Very short answers</translation>
    </message>
    <message>
        <source>Length outliers</source>
        <translation>Length outliers</translation>
    </message>
    <message>
        <source>Truncated at the max length</source>
        <translation>Truncated at the max length</translation>
    </message>
    <message>
        <source>Mixed formats</source>
        <translation>Mixed formats</translation>
    </message>
</context>
<context>
    <name>DatasetQualityWidget</name>
    <message>
        <source>Analyze</source>
        <translation>Analyze</translation>
    </message>
    <message>
        <source>Rows longer than this many tokens are reported as truncated.</source>
        <translation>Rows longer than this many tokens are reported as truncated.</translation>
    </message>
    <message>
        <source>Finding</source>
        <translation>Finding</translation>
    </message>
    <message>
        <source>Rows</source>
        <translation>Rows</translation>
    </message>
    <message>
        <source>Max length (tokens):</source>
        <translation>Max length (tokens):</translation>
    </message>
    <message>
        <source>Analyzing…</source>
        <translation>Analyzing…</translation>
    </message>
    <message numerus="yes">
        <source>No problems found in %n row(s).</source>
        <translation>
            <numerusform>No problems found in %n row.</numerusform>
            <numerusform>No problems found in %n rows.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n finding(s).</source>
        <translation>
            <numerusform>%n finding.</numerusform>
            <numerusform>%n findings.</numerusform>
        </translation>
    </message>
    <message>
        <source>Token counts are estimates (4 characters a token); open a model for exact counts.</source>
        <translation>Token counts are estimates (4 characters a token); open a model for exact counts.</translation>
    </message>
    <message>
        <source>The dataset changed since; analyze again.</source>
        <translation>The dataset changed since; analyze again.</translation>
    </message>
    <message>
        <source>Row %1</source>
        <translation>Row %1</translation>
    </message>
    <message numerus="yes">
        <source>…and %n more</source>
        <translation>
            <numerusform>…and %n more</numerusform>
            <numerusform>…and %n more</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>…and %n more finding(s)</source>
        <translation>
            <numerusform>…and %n more finding</numerusform>
            <numerusform>…and %n more findings</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DatasetSchema</name>
    <message>
        <source>expected a value (a string in double quotes, a number, true/false/null, an object or a list) but found “%1”</source>
        <translation>expected a value (a string in double quotes, a number, true/false/null, an object or a list) but found “%1”</translation>
    </message>
    <message>
        <source>an object is not closed with } (or a comma is missing)</source>
        <translation>an object is not closed with } (or a comma is missing)</translation>
    </message>
    <message>
        <source>expected a colon after the key</source>
        <translation>expected a colon after the key</translation>
    </message>
    <message>
        <source>a list is not closed with ] (or a comma is missing)</source>
        <translation>a list is not closed with ] (or a comma is missing)</translation>
    </message>
    <message>
        <source>expected a comma between two items</source>
        <translation>expected a comma between two items</translation>
    </message>
    <message>
        <source>expected a value (a string in double quotes, a number, true/false/null, an object or a list)</source>
        <translation>expected a value (a string in double quotes, a number, true/false/null, an object or a list)</translation>
    </message>
    <message>
        <source>the text ends inside a number</source>
        <translation>the text ends inside a number</translation>
    </message>
    <message>
        <source>a number is not written correctly</source>
        <translation>a number is not written correctly</translation>
    </message>
    <message>
        <source>a backslash in a string starts an escape that does not exist (write \\ for a backslash)</source>
        <translation>a backslash in a string starts an escape that does not exist (write \\ for a backslash)</translation>
    </message>
    <message>
        <source>a string holds bytes that are not valid UTF-8</source>
        <translation>a string holds bytes that are not valid UTF-8</translation>
    </message>
    <message>
        <source>a string is missing its closing quote</source>
        <translation>a string is missing its closing quote</translation>
    </message>
    <message>
        <source>expected an object in braces { }</source>
        <translation>expected an object in braces { }</translation>
    </message>
    <message>
        <source>the objects and lists are nested too deeply</source>
        <translation>the objects and lists are nested too deeply</translation>
    </message>
    <message>
        <source>the record is too large</source>
        <translation>the record is too large</translation>
    </message>
    <message>
        <source>there is more text after the end of the record</source>
        <translation>there is more text after the end of the record</translation>
    </message>
</context>
<context>
    <name>DatasetTableModel</name>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>System</source>
        <translation>System</translation>
    </message>
    <message>
        <source>User</source>
        <translation>User</translation>
    </message>
    <message>
        <source>Assistant</source>
        <translation>Assistant</translation>
    </message>
    <message>
        <source>Conversation (JSON)</source>
        <translation>Conversation (JSON)</translation>
    </message>
    <message>
        <source>Conversations (JSON)</source>
        <translation>Conversations (JSON)</translation>
    </message>
    <message>
        <source>Record (JSON)</source>
        <translation>Record (JSON)</translation>
    </message>
    <message>
        <source>Edit cell</source>
        <translation>Edit cell</translation>
    </message>
    <message>
        <source>Add row</source>
        <translation>Add row</translation>
    </message>
    <message numerus="yes">
        <source>Duplicate %n row(s)</source>
        <translation>
            <numerusform>Duplicate %n row</numerusform>
            <numerusform>Duplicate %n rows</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Delete %n row(s)</source>
        <translation>
            <numerusform>Delete %n row</numerusform>
            <numerusform>Delete %n rows</numerusform>
        </translation>
    </message>
    <message>
        <source>Move row up</source>
        <translation>Move row up</translation>
    </message>
    <message>
        <source>Move row down</source>
        <translation>Move row down</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>Not valid JSON</source>
        <translation>Not valid JSON</translation>
    </message>
    <message>
        <source>Not a JSON object</source>
        <translation>Not a JSON object</translation>
    </message>
    <message>
        <source>No known fields (messages, conversations, instruction/output, prompt/response, text)</source>
        <translation>No known fields (messages, conversations, instruction/output, prompt/response, text)</translation>
    </message>
    <message>
        <source>Wrong number of fields for the header</source>
        <translation>Wrong number of fields for the header</translation>
    </message>
    <message>
        <source>No “%1” message</source>
        <translation>No “%1” message</translation>
    </message>
    <message>
        <source>Missing field “%1”</source>
        <translation>Missing field “%1”</translation>
    </message>
    <message>
        <source>Field “%1” is not text</source>
        <translation>Field “%1” is not text</translation>
    </message>
    <message>
        <source>Not a non-empty list of messages with a role and content</source>
        <translation>Not a non-empty list of messages with a role and content</translation>
    </message>
    <message>
        <source>Unknown role (use system, user, assistant or tool)</source>
        <translation>Unknown role (use system, user, assistant or tool)</translation>
    </message>
    <message>
        <source>The last message is not from the assistant</source>
        <translation>The last message is not from the assistant</translation>
    </message>
    <message>
        <source>Empty prompt</source>
        <translation>Empty prompt</translation>
    </message>
    <message>
        <source>Empty answer</source>
        <translation>Empty answer</translation>
    </message>
    <message>
        <source>Empty text</source>
        <translation>Empty text</translation>
    </message>
    <message>
        <source>Cannot save %1: %2. Check the free space and that the folder is writable.</source>
        <translation>Cannot save %1: %2. Check the free space and that the folder is writable.</translation>
    </message>
    <message>
        <source>Line %1 of the file</source>
        <translation>Line %1 of the file</translation>
    </message>
    <message>
        <source>Added here; written to the file when you save</source>
        <translation>Added here; written to the file when you save</translation>
    </message>
    <message>
        <source>Not valid JSON at line %1, column %2: %3</source>
        <translation>Not valid JSON at line %1, column %2: %3</translation>
    </message>
    <message>
        <source>Not valid JSON at column %1: %2</source>
        <translation>Not valid JSON at column %1: %2</translation>
    </message>
    <message>
        <source>No known fields</source>
        <translation>No known fields</translation>
    </message>
    <message>
        <source>Wrong field count</source>
        <translation>Wrong field count</translation>
    </message>
    <message>
        <source>Missing “%1”</source>
        <translation>Missing “%1”</translation>
    </message>
    <message>
        <source>“%1” is not text</source>
        <translation>“%1” is not text</translation>
    </message>
    <message>
        <source>Bad message list</source>
        <translation>Bad message list</translation>
    </message>
    <message>
        <source>Unknown role</source>
        <translation>Unknown role</translation>
    </message>
    <message>
        <source>No answer at the end</source>
        <translation>No answer at the end</translation>
    </message>
    <message>
        <source>Cannot save %1: %2 could not be read back while saving (it was changed or removed outside the editor). Nothing was overwritten; save under another name.</source>
        <translation>Cannot save %1: %2 could not be read back while saving (it was changed or removed outside the editor). Nothing was overwritten; save under another name.</translation>
    </message>
    <message>
        <source>Rows were added or deleted while %1 was being written; save again.</source>
        <translation>Rows were added or deleted while %1 was being written; save again.</translation>
    </message>
</context>
<context>
    <name>ErrorText</name>
    <message>
        <source>File not found. Check the path.</source>
        <translation>File not found. Check the path.</translation>
    </message>
    <message>
        <source>The file cannot be read. Check its permissions.</source>
        <translation>The file cannot be read. Check its permissions.</translation>
    </message>
    <message>
        <source>Cannot write here. Check free space and permissions, or choose another folder.</source>
        <translation>Cannot write here. Check free space and permissions, or choose another folder.</translation>
    </message>
    <message>
        <source>The file is malformed at the place shown. Fix it there and try again.</source>
        <translation>The file is malformed at the place shown. Fix it there and try again.</translation>
    </message>
    <message>
        <source>A value cannot be used. Correct the field shown.</source>
        <translation>A value cannot be used. Correct the field shown.</translation>
    </message>
    <message>
        <source>A required field is missing. Add the field shown.</source>
        <translation>A required field is missing. Add the field shown.</translation>
    </message>
    <message>
        <source>This is not supported yet.</source>
        <translation>This is not supported yet.</translation>
    </message>
    <message>
        <source>The chat template rejected these messages.</source>
        <translation>The chat template rejected these messages.</translation>
    </message>
    <message>
        <source>A safety limit was reached: the input is too large or loops.</source>
        <translation>A safety limit was reached: the input is too large or loops.</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>Cancelled.</translation>
    </message>
    <message>
        <source>Out of memory. Lower the batch size or sequence length, or switch to QLoRA.</source>
        <translation>Out of memory. Lower the batch size or sequence length, or switch to QLoRA.</translation>
    </message>
    <message>
        <source>The loss became NaN or infinite. Lower the learning rate.</source>
        <translation>The loss became NaN or infinite. Lower the learning rate.</translation>
    </message>
    <message>
        <source>Internal error. Please report it.</source>
        <translation>Internal error. Please report it.</translation>
    </message>
</context>
<context>
    <name>EvalTableModel</name>
    <message>
        <source>base</source>
        <translation>base</translation>
    </message>
    <message>
        <source>Line</source>
        <translation>Line</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>Prompt</translation>
    </message>
    <message>
        <source>Reference</source>
        <translation>Reference</translation>
    </message>
    <message>
        <source>%1 answer</source>
        <translation>%1 answer</translation>
    </message>
    <message>
        <source>%1 loss</source>
        <translation>%1 loss</translation>
    </message>
    <message>
        <source>Δ loss %1</source>
        <translation>Δ loss %1</translation>
    </message>
    <message>
        <source>%1 F1</source>
        <translation>%1 F1</translation>
    </message>
    <message>
        <source>%1 ROUGE-L</source>
        <translation>%1 ROUGE-L</translation>
    </message>
</context>
<context>
    <name>EvalView</name>
    <message>
        <source>Evaluation cancelled.</source>
        <translation>Evaluation cancelled.</translation>
    </message>
    <message>
        <source>Evaluation failed: %1</source>
        <translation>Evaluation failed: %1</translation>
    </message>
    <message>
        <source>The tuned models to compare with the base model: the project&apos;s runs (their newest checkpoint) and folders you add. Space checks or unchecks one.</source>
        <translation>The tuned models to compare with the base model: the project&apos;s runs (their newest checkpoint) and folders you add. Space checks or unchecks one.</translation>
    </message>
    <message>
        <source>Add fol&amp;der…</source>
        <translation>Add fol&amp;der…</translation>
    </message>
    <message>
        <source>An exported adapter or a merged model folder</source>
        <translation>An exported adapter or a merged model folder</translation>
    </message>
    <message>
        <source>The project&apos;s held-out rows</source>
        <translation>The project&apos;s held-out rows</translation>
    </message>
    <message>
        <source>Every row of a file…</source>
        <translation>Every row of a file…</translation>
    </message>
    <message>
        <source>Rows to evaluate on</source>
        <translation>Rows to evaluate on</translation>
    </message>
    <message>
        <source>Datasets (*.jsonl *.json *.csv *.tsv *.txt)</source>
        <translation>Datasets (*.jsonl *.json *.csv *.tsv *.txt)</translation>
    </message>
    <message>
        <source>Longest answer generated per row (greedy decoding)</source>
        <translation>Longest answer generated per row (greedy decoding)</translation>
    </message>
    <message>
        <source>Eval&amp;uate</source>
        <translation>Eval&amp;uate</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Choose the models to compare, then Evaluate.</source>
        <translation>Choose the models to compare, then Evaluate.</translation>
    </message>
    <message>
        <source>Tuned &amp;models:</source>
        <translation>Tuned &amp;models:</translation>
    </message>
    <message>
        <source>Max new to&amp;kens:</source>
        <translation>Max new to&amp;kens:</translation>
    </message>
    <message>
        <source>Ro&amp;ws to use:</source>
        <translation>Ro&amp;ws to use:</translation>
    </message>
    <message>
        <source>Base loss</source>
        <translation>Base loss</translation>
    </message>
    <message>
        <source>Tuned loss</source>
        <translation>Tuned loss</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>Step</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>Loss</translation>
    </message>
    <message>
        <source>Per-example loss</source>
        <translation>Per-example loss</translation>
    </message>
    <message>
        <source>Answer metrics</source>
        <translation>Answer metrics</translation>
    </message>
    <message>
        <source>Loss curves</source>
        <translation>Loss curves</translation>
    </message>
    <message>
        <source>Filter rows (prompt, answers, reference)…</source>
        <translation>Filter rows (prompt, answers, reference)…</translation>
    </message>
    <message>
        <source>&amp;Improvements first</source>
        <translation>&amp;Improvements first</translation>
    </message>
    <message>
        <source>Re&amp;gressions first</source>
        <translation>Re&amp;gressions first</translation>
    </message>
    <message>
        <source>Save re&amp;port…</source>
        <translation>Save re&amp;port…</translation>
    </message>
    <message>
        <source>Save evaluation report</source>
        <translation>Save evaluation report</translation>
    </message>
    <message>
        <source>HTML report (*.html)</source>
        <translation>HTML report (*.html)</translation>
    </message>
    <message>
        <source>Save &amp;JSONL…</source>
        <translation>Save &amp;JSONL…</translation>
    </message>
    <message>
        <source>Save evaluation rows</source>
        <translation>Save evaluation rows</translation>
    </message>
    <message>
        <source>JSON lines (*.jsonl)</source>
        <translation>JSON lines (*.jsonl)</translation>
    </message>
    <message>
        <source>&amp;Open results…</source>
        <translation>&amp;Open results…</translation>
    </message>
    <message>
        <source>Open evaluation rows</source>
        <translation>Open evaluation rows</translation>
    </message>
    <message>
        <source>Double-click or press Enter on a row to open it in the dataset editor.</source>
        <translation>Double-click or press Enter on a row to open it in the dataset editor.</translation>
    </message>
    <message>
        <source>No run of this project has a checkpoint yet: train first, or add an exported folder.</source>
        <translation>No run of this project has a checkpoint yet: train first, or add an exported folder.</translation>
    </message>
    <message>
        <source>Every row of %1</source>
        <translation>Every row of %1</translation>
    </message>
    <message>
        <source>An exported adapter or merged model</source>
        <translation>An exported adapter or merged model</translation>
    </message>
    <message>
        <source>Check at least one tuned model to compare with the base.</source>
        <translation>Check at least one tuned model to compare with the base.</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Cancelling…</translation>
    </message>
    <message>
        <source>base model</source>
        <translation>base model</translation>
    </message>
    <message>
        <source>tuned model %1 of %2</source>
        <translation>tuned model %1 of %2</translation>
    </message>
    <message>
        <source>loading</source>
        <translation>loading</translation>
    </message>
    <message>
        <source>scoring losses</source>
        <translation>scoring losses</translation>
    </message>
    <message>
        <source>generating answers</source>
        <translation>generating answers</translation>
    </message>
    <message>
        <source>Evaluating the %1: %2…</source>
        <translation>Evaluating the %1: %2…</translation>
    </message>
    <message numerus="yes">
        <source>%n example(s) from %1, evaluated in %2 s.</source>
        <translation>
            <numerusform>%n example from %1, evaluated in %2 s.</numerusform>
            <numerusform>%n examples from %1, evaluated in %2 s.</numerusform>
        </translation>
    </message>
    <message>
        <source>the held-out rows</source>
        <translation>the held-out rows</translation>
    </message>
    <message numerus="yes">
        <source>%n bad row(s) left out; the first: %1</source>
        <translation>
            <numerusform>%n bad row left out: %1</numerusform>
            <numerusform>%n bad rows left out; the first: %1</numerusform>
        </translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Model</translation>
    </message>
    <message>
        <source>Perplexity</source>
        <translation>Perplexity</translation>
    </message>
    <message>
        <source>Exact match</source>
        <translation>Exact match</translation>
    </message>
    <message>
        <source>Token F1</source>
        <translation>Token F1</translation>
    </message>
    <message>
        <source>ROUGE-L</source>
        <translation>ROUGE-L</translation>
    </message>
    <message>
        <source>ROUGE-L (Unicode words)</source>
        <translation>ROUGE-L (Unicode words)</translation>
    </message>
    <message>
        <source>Reward accuracy</source>
        <translation>Reward accuracy</translation>
    </message>
    <message>
        <source>Reward margin</source>
        <translation>Reward margin</translation>
    </message>
    <message>
        <source>base</source>
        <translation>base</translation>
    </message>
    <message>
        <source>ROUGE-L as rouge-score computes it keeps only a–z and 0–9, so Korean answers score 0 there; the Unicode column counts words of any script.</source>
        <translation>ROUGE-L as rouge-score computes it keeps only a–z and 0–9, so Korean answers score 0 there; the Unicode column counts words of any script.</translation>
    </message>
    <message>
        <source>no change</source>
        <translation>no change</translation>
    </message>
    <message>
        <source>ROUGE-L (Unicode)</source>
        <translation>ROUGE-L (Unicode)</translation>
    </message>
    <message>
        <source>Mean over rows</source>
        <translation>Mean over rows</translation>
    </message>
    <message>
        <source>%1 (validation)</source>
        <translation>%1 (validation)</translation>
    </message>
</context>
<context>
    <name>EvaluatePage</name>
    <message>
        <source>Evaluate</source>
        <translation>Evaluate</translation>
    </message>
    <message>
        <source>Compare the base model and the tuned one on the rows training held out: loss per example, their answers side by side, and how close each answer is to the reference. The examples whose loss stays high after training are where bad data hides: Enter on a row opens it in the dataset editor.</source>
        <translation>Compare the base model and the tuned one on the rows training held out: loss per example, their answers side by side, and how close each answer is to the reference. The examples whose loss stays high after training are where bad data hides: Enter on a row opens it in the dataset editor.</translation>
    </message>
</context>
<context>
    <name>ExportPage</name>
    <message>
        <source>&amp;Export</source>
        <translation>&amp;Export</translation>
    </message>
    <message>
        <source>Export and try</source>
        <translation>Export and try</translation>
    </message>
    <message>
        <source>Export as</source>
        <translation>Export as</translation>
    </message>
    <message>
        <source>PEFT adapter folder (small; load it over the base model with peft or this app)</source>
        <translation>PEFT adapter folder (small; load it over the base model with peft or this app)</translation>
    </message>
    <message>
        <source>Merged model (the adapter folded into a full copy of the base weights)</source>
        <translation>Merged model (the adapter folded into a full copy of the base weights)</translation>
    </message>
    <message>
        <source>GGUF LoRA adapter for llama.cpp</source>
        <translation>GGUF LoRA adapter for llama.cpp</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>&amp;Browse…</translation>
    </message>
    <message>
        <source>Try it: base and tuned model side by side</source>
        <translation>Try it: base and tuned model side by side</translation>
    </message>
    <message>
        <source>GGUF file</source>
        <translation>GGUF file</translation>
    </message>
    <message>
        <source>GGUF (*.gguf)</source>
        <translation>GGUF (*.gguf)</translation>
    </message>
    <message>
        <source>Export into</source>
        <translation>Export into</translation>
    </message>
    <message>
        <source>Train first: there is no finished run to export.</source>
        <translation>Train first: there is no finished run to export.</translation>
    </message>
    <message>
        <source>Exporting to %1 …</source>
        <translation>Exporting to %1 …</translation>
    </message>
    <message>
        <source>Exported to %1</source>
        <translation>Exported to %1</translation>
    </message>
    <message>
        <source>A full fine-tune is exported as a merged model; open that folder to chat with it.</source>
        <translation>A full fine-tune is exported as a merged model; open that folder to chat with it.</translation>
    </message>
    <message>
        <source>Run %1 stopped at step %2 of %3: its last checkpoint is what gets exported.</source>
        <translation>Run %1 stopped at step %2 of %3: its last checkpoint is what gets exported.</translation>
    </message>
</context>
<context>
    <name>FineTuneWizard</name>
    <message>
        <source>Fine-tuning Wizard</source>
        <translation>Fine-tuning Wizard</translation>
    </message>
</context>
<context>
    <name>FormattingPage</name>
    <message>
        <source>Also take the loss on the prompt</source>
        <translation>Also take the loss on the prompt</translation>
    </message>
    <message>
        <source>Formatting</source>
        <translation>Formatting</translation>
    </message>
    <message>
        <source> tokens</source>
        <translation> tokens</translation>
    </message>
    <message>
        <source>Maximum sequence length:</source>
        <translation>Maximum sequence length:</translation>
    </message>
    <message>
        <source>Documents are tokenized with BOS/EOS as the model&apos;s tokenizer says, joined, and cut into blocks of this many tokens; the remainder shorter than a block is dropped.</source>
        <translation>Documents are tokenized with BOS/EOS as the model&apos;s tokenizer says, joined, and cut into blocks of this many tokens; the remainder shorter than a block is dropped.</translation>
    </message>
    <message>
        <source>Block size:</source>
        <translation>Block size:</translation>
    </message>
    <message>
        <source>The chat template turns each conversation into text; only the assistant&apos;s tokens are trained (green).</source>
        <translation>The chat template turns each conversation into text; only the assistant&apos;s tokens are trained (green).</translation>
    </message>
    <message>
        <source>Base FT trains on every token of fixed-length blocks.</source>
        <translation>Base FT trains on every token of fixed-length blocks.</translation>
    </message>
    <message>
        <source>Pack several examples into each row</source>
        <translation>Pack several examples into each row</translation>
    </message>
    <message>
        <source>Short examples share a row up to the maximum length, so no padding is computed: training runs faster. Each example keeps its own positions and sees only itself, so its loss is the same as alone. Prompt tuning and P-tuning do not pack.</source>
        <translation>Short examples share a row up to the maximum length, so no padding is computed: training runs faster. Each example keeps its own positions and sees only itself, so its loss is the same as alone. Prompt tuning and P-tuning do not pack.</translation>
    </message>
    <message>
        <source>The chat template renders each prompt and both answers; the loss compares the answers&apos; tokens (green), summed, between chosen and rejected.</source>
        <translation>The chat template renders each prompt and both answers; the loss compares the answers&apos; tokens (green), summed, between chosen and rejected.</translation>
    </message>
</context>
<context>
    <name>FullPanel</name>
    <message>
        <source>Every weight of the model is trained. This gives the most capacity and needs the most memory: weights, gradients and two optimizer moments per parameter. The result is a whole new model, exported merged.</source>
        <translation>Every weight of the model is trained. This gives the most capacity and needs the most memory: weights, gradients and two optimizer moments per parameter. The result is a whole new model, exported merged.</translation>
    </message>
</context>
<context>
    <name>GoalPage</name>
    <message>
        <source>&amp;Instruct fine-tuning</source>
        <translation>&amp;Instruct fine-tuning</translation>
    </message>
    <message>
        <source>&amp;Base fine-tuning (continued pre-training)</source>
        <translation>&amp;Base fine-tuning (continued pre-training)</translation>
    </message>
    <message>
        <source>What do you want the model to learn?</source>
        <translation>What do you want the model to learn?</translation>
    </message>
    <message>
        <source>Teaches a model to answer in a certain way: a format, a tone, a task, a language. The data is conversations (instruction and answer); the loss is taken only on the answers. Use it when the model knows enough but does not respond the way you want.</source>
        <translation>Teaches a model to answer in a certain way: a format, a tone, a task, a language. The data is conversations (instruction and answer); the loss is taken only on the answers. Use it when the model knows enough but does not respond the way you want.</translation>
    </message>
    <message>
        <source>Continues pre-training on plain text: documents are joined and cut into blocks, and the model learns to predict every token. Use it to adapt a model to a domain&apos;s vocabulary and style (legal, medical, code, another language) before or instead of instruction tuning.</source>
        <translation>Continues pre-training on plain text: documents are joined and cut into blocks, and the model learns to predict every token. Use it to adapt a model to a domain&apos;s vocabulary and style (legal, medical, code, another language) before or instead of instruction tuning.</translation>
    </message>
    <message>
        <source>&lt;b&gt;Note:&lt;/b&gt; if the model lacks facts it needs at answer time (your documents, recent events, product data), that is usually a retrieval problem first: give it the documents in the prompt (RAG). Fine-tuning shapes behaviour; it is a poor and costly way to store facts that change.</source>
        <translation>&lt;b&gt;Note:&lt;/b&gt; if the model lacks facts it needs at answer time (your documents, recent events, product data), that is usually a retrieval problem first: give it the documents in the prompt (RAG). Fine-tuning shapes behaviour; it is a poor and costly way to store facts that change.</translation>
    </message>
    <message>
        <source>&amp;Preference tuning (DPO, ORPO, KTO)</source>
        <translation>&amp;Preference tuning (DPO, ORPO, KTO)</translation>
    </message>
    <message>
        <source>Preference loss</source>
        <translation>Preference loss</translation>
    </message>
    <message>
        <source>Aligns a model that already follows instructions (usually after instruct fine-tuning), from pairs of a better and a worse answer to the same prompt, or from answers labelled good or bad (KTO). The model learns to make the chosen answers more likely than the rejected ones, relative to where it started. Use it when you can tell which answer is better more easily than you can write the best one. The starting model serves as the reference without a second copy in memory.</source>
        <translation>Aligns a model that already follows instructions (usually after instruct fine-tuning), from pairs of a better and a worse answer to the same prompt, or from answers labelled good or bad (KTO). The model learns to make the chosen answers more likely than the rejected ones, relative to where it started. Use it when you can tell which answer is better more easily than you can write the best one. The starting model serves as the reference without a second copy in memory.</translation>
    </message>
    <message>
        <source>DPO — the standard (sigmoid)</source>
        <translation>DPO — the standard (sigmoid)</translation>
    </message>
    <message>
        <source>IPO — DPO that does not overfit the pairs</source>
        <translation>IPO — DPO that does not overfit the pairs</translation>
    </message>
    <message>
        <source>Hinge (SLiC)</source>
        <translation>Hinge (SLiC)</translation>
    </message>
    <message>
        <source>Robust DPO — some pairs may be the wrong way round</source>
        <translation>Robust DPO — some pairs may be the wrong way round</translation>
    </message>
    <message>
        <source>ORPO — no reference; adds the answers&apos; likelihood</source>
        <translation>ORPO — no reference; adds the answers&apos; likelihood</translation>
    </message>
    <message>
        <source>KTO — answers labelled good or bad</source>
        <translation>KTO — answers labelled good or bad</translation>
    </message>
    <message>
        <source>&amp;Loss:</source>
        <translation>&amp;Loss:</translation>
    </message>
    <message>
        <source>Be&amp;ta:</source>
        <translation>Be&amp;ta:</translation>
    </message>
    <message>
        <source>Label &amp;smoothing:</source>
        <translation>Label &amp;smoothing:</translation>
    </message>
    <message>
        <source>&amp;Desirable weight:</source>
        <translation>&amp;Desirable weight:</translation>
    </message>
    <message>
        <source>&amp;Undesirable weight:</source>
        <translation>&amp;Undesirable weight:</translation>
    </message>
    <message>
        <source>Beta is ORPO&apos;s λ, the weight of the odds-ratio term beside the chosen answers&apos; likelihood (0.1 in TRL). No reference model is used.</source>
        <translation>Beta is ORPO&apos;s λ, the weight of the odds-ratio term beside the chosen answers&apos; likelihood (0.1 in TRL). No reference model is used.</translation>
    </message>
    <message>
        <source>Rows are answers labelled desirable or not (pairs are split into one of each). Beta (0.1 in TRL) sets how far the model may move from the reference; the weights balance desirable against undesirable answers. Needs a batch size of 2 or more.</source>
        <translation>Rows are answers labelled desirable or not (pairs are split into one of each). Beta (0.1 in TRL) sets how far the model may move from the reference; the weights balance desirable against undesirable answers. Needs a batch size of 2 or more.</translation>
    </message>
    <message>
        <source>Beta sets the margin IPO aims for (1 / 2β in average log-probability per token); smaller beta, larger margin.</source>
        <translation>Beta sets the margin IPO aims for (1 / 2β in average log-probability per token); smaller beta, larger margin.</translation>
    </message>
    <message>
        <source>Beta (0.1 in TRL) sets how far the model may move from the reference: lower lets it drift further from where it started.</source>
        <translation>Beta (0.1 in TRL) sets how far the model may move from the reference: lower lets it drift further from where it started.</translation>
    </message>
</context>
<context>
    <name>HubDownloadDialog</name>
    <message>
        <source>%1 is gated or private. Accept its terms on its Hub page while logged in, then set HF_TOKEN to a token of that account (or run `huggingface-cli login`) and restart Finetune Studio.</source>
        <translation>%1 is gated or private. Accept its terms on its Hub page while logged in, then set HF_TOKEN to a token of that account (or run `huggingface-cli login`) and restart Finetune Studio.</translation>
    </message>
    <message>
        <source>%1 was not found on the Hub (or is private). Check the spelling: ORG/NAME as in the address of its Hub page, and the revision after @.</source>
        <translation>%1 was not found on the Hub (or is private). Check the spelling: ORG/NAME as in the address of its Hub page, and the revision after @.</translation>
    </message>
    <message>
        <source>Could not reach %1. Check the network connection; with HF_HUB_OFFLINE=1 the models already in the cache are used.</source>
        <translation>Could not reach %1. Check the network connection; with HF_HUB_OFFLINE=1 the models already in the cache are used.</translation>
    </message>
    <message>
        <source>The download was interrupted. What arrived is kept: click Download to resume.</source>
        <translation>The download was interrupted. What arrived is kept: click Download to resume.</translation>
    </message>
    <message>
        <source>%1 arrived corrupted and was discarded. Click Download to fetch it again.</source>
        <translation>%1 arrived corrupted and was discarded. Click Download to fetch it again.</translation>
    </message>
    <message>
        <source>HF_HUB_OFFLINE is set and %1 is not in the Hub cache. Unset HF_HUB_OFFLINE to download it.</source>
        <translation>HF_HUB_OFFLINE is set and %1 is not in the Hub cache. Unset HF_HUB_OFFLINE to download it.</translation>
    </message>
    <message>
        <source>%1 has no safetensors weights, and Finetune Studio reads only those. Choose another repo.</source>
        <translation>%1 has no safetensors weights, and Finetune Studio reads only those. Choose another repo.</translation>
    </message>
    <message>
        <source>Cancelled. The files already complete are kept in the Hub cache; click Download to resume.</source>
        <translation>Cancelled. The files already complete are kept in the Hub cache; click Download to resume.</translation>
    </message>
    <message>
        <source>estimating</source>
        <translation>estimating</translation>
    </message>
    <message numerus="yes">
        <source>%n s left</source>
        <translation>
            <numerusform>%n s left</numerusform>
            <numerusform>%n s left</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 min %2 s left</source>
        <translation>%1 min %2 s left</translation>
    </message>
    <message>
        <source>%1 h %2 min left</source>
        <translation>%1 h %2 min left</translation>
    </message>
    <message>
        <source>Download a model</source>
        <translation>Download a model</translation>
    </message>
    <message>
        <source>The model&apos;s name on the Hugging Face Hub, as ORG/NAME or ORG/NAME@REVISION. Only what training needs is downloaded, into the Hub cache (%1), where transformers finds it too.</source>
        <translation>The model&apos;s name on the Hugging Face Hub, as ORG/NAME or ORG/NAME@REVISION. Only what training needs is downloaded, into the Hub cache (%1), where transformers finds it too.</translation>
    </message>
    <message>
        <source>&amp;Download</source>
        <translation>&amp;Download</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>&amp;Cancel</translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation>&amp;Close</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not a Hub model name. Write ORG/NAME, or ORG/NAME@REVISION for a branch, tag or commit.</source>
        <translation>&apos;%1&apos; is not a Hub model name. Write ORG/NAME, or ORG/NAME@REVISION for a branch, tag or commit.</translation>
    </message>
    <message>
        <source>Asking the Hub for %1 …</source>
        <translation>Asking the Hub for %1 …</translation>
    </message>
    <message>
        <source>%1 (file %2 of %3): %4 of %5</source>
        <translation>%1 (file %2 of %3): %4 of %5</translation>
    </message>
    <message>
        <source>%1 of %2 · %3/s · %4</source>
        <translation>%1 of %2 · %3/s · %4</translation>
    </message>
    <message>
        <source>Cancelling …</source>
        <translation>Cancelling …</translation>
    </message>
</context>
<context>
    <name>LoraPanel</name>
    <message>
        <source>rsLoRA: scale by alpha / √r instead of alpha / r</source>
        <translation>rsLoRA: scale by alpha / √r instead of alpha / r</translation>
    </message>
    <message>
        <source>none</source>
        <translation>none</translation>
    </message>
    <message>
        <source>all</source>
        <translation>all</translation>
    </message>
    <message>
        <source>LoRA layers only</source>
        <translation>LoRA layers only</translation>
    </message>
    <message>
        <source>Target modules</source>
        <translation>Target modules</translation>
    </message>
    <message>
        <source>Rank r:</source>
        <translation>Rank r:</translation>
    </message>
    <message>
        <source>Alpha:</source>
        <translation>Alpha:</translation>
    </message>
    <message>
        <source>Dropout:</source>
        <translation>Dropout:</translation>
    </message>
    <message>
        <source>Bias:</source>
        <translation>Bias:</translation>
    </message>
</context>
<context>
    <name>LossPlot</name>
    <message>
        <source>Training loss</source>
        <translation>Training loss</translation>
    </message>
    <message>
        <source>Validation loss</source>
        <translation>Validation loss</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>Step</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>Loss</translation>
    </message>
    <message>
        <source>Training loss (smoothed)</source>
        <translation>Training loss (smoothed)</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>Learning rate</translation>
    </message>
    <message>
        <source>Tokens/s</source>
        <translation>Tokens/s</translation>
    </message>
    <message>
        <source>Reset &amp;Zoom</source>
        <translation>Reset &amp;Zoom</translation>
    </message>
    <message>
        <source>Show &amp;Tokens/s</source>
        <translation>Show &amp;Tokens/s</translation>
    </message>
    <message>
        <source>&amp;Smoothing</source>
        <translation>&amp;Smoothing</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>Off</translation>
    </message>
    <message>
        <source>Export &amp;PNG…</source>
        <translation>Export &amp;PNG…</translation>
    </message>
    <message>
        <source>Export &amp;CSV…</source>
        <translation>Export &amp;CSV…</translation>
    </message>
    <message>
        <source>Export Plot as PNG</source>
        <translation>Export Plot as PNG</translation>
    </message>
    <message>
        <source>PNG image (*.png)</source>
        <translation>PNG image (*.png)</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>Export failed</translation>
    </message>
    <message>
        <source>Cannot write %1.</source>
        <translation>Cannot write %1.</translation>
    </message>
    <message>
        <source>Export Curves as CSV</source>
        <translation>Export Curves as CSV</translation>
    </message>
    <message>
        <source>CSV file (*.csv)</source>
        <translation>CSV file (*.csv)</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Finetune Studio</source>
        <translation>Finetune Studio</translation>
    </message>
    <message>
        <source>Training finished</source>
        <translation>Training finished</translation>
    </message>
    <message>
        <source>Training stopped</source>
        <translation>Training stopped</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>Export failed</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <source>&amp;Open Project…</source>
        <translation>&amp;Open Project…</translation>
    </message>
    <message>
        <source>Open Project</source>
        <translation>Open Project</translation>
    </message>
    <message>
        <source>Finetune Studio project (*.json)</source>
        <translation>Finetune Studio project (*.json)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Quit</translation>
    </message>
    <message>
        <source>&amp;Start Training</source>
        <translation>&amp;Start Training</translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation>&amp;Pause</translation>
    </message>
    <message>
        <source>Resumed</source>
        <translation>Resumed</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>Paused</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>&amp;Cancel</translation>
    </message>
    <message>
        <source>E&amp;xport</source>
        <translation>E&amp;xport</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;View</translation>
    </message>
    <message>
        <source>Reset &amp;Zoom</source>
        <translation>Reset &amp;Zoom</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <source>&amp;About Finetune Studio</source>
        <translation>&amp;About Finetune Studio</translation>
    </message>
    <message>
        <source>About Finetune Studio</source>
        <translation>About Finetune Studio</translation>
    </message>
    <message>
        <source>Finetune Studio %1
Fine-tune language models on your own machine.</source>
        <translation>Finetune Studio %1
Fine-tune language models on your own machine.</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>Training</translation>
    </message>
    <message>
        <source>&amp;Resume</source>
        <translation>&amp;Resume</translation>
    </message>
    <message>
        <source>Project: %1 — model %2, data %3</source>
        <translation>Project: %1 — model %2, data %3</translation>
    </message>
    <message>
        <source>Opened %1</source>
        <translation>Opened %1</translation>
    </message>
    <message>
        <source>Cannot open project</source>
        <translation>Cannot open project</translation>
    </message>
    <message>
        <source>Preparing the built-in demo in %1 …</source>
        <translation>Preparing the built-in demo in %1 …</translation>
    </message>
    <message>
        <source>Training…</source>
        <translation>Training…</translation>
    </message>
    <message>
        <source>&amp;Tools</source>
        <translation>&amp;Tools</translation>
    </message>
    <message>
        <source>Quantization</source>
        <translation>Quantization</translation>
    </message>
    <message>
        <source>Dataset</source>
        <translation>Dataset</translation>
    </message>
    <message>
        <source>Cannot open dataset</source>
        <translation>Cannot open dataset</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>Tokens</translation>
    </message>
    <message>
        <source>Chat Template</source>
        <translation>Chat Template</translation>
    </message>
    <message>
        <source>&amp;New Fine-tune…</source>
        <translation>&amp;New Fine-tune…</translation>
    </message>
    <message>
        <source>New Fine-tune Project</source>
        <translation>New Fine-tune Project</translation>
    </message>
    <message>
        <source>Open in &amp;Wizard</source>
        <translation>Open in &amp;Wizard</translation>
    </message>
    <message>
        <source>&amp;Save Project</source>
        <translation>&amp;Save Project</translation>
    </message>
    <message>
        <source>Save Project &amp;As…</source>
        <translation>Save Project &amp;As…</translation>
    </message>
    <message>
        <source>Save Project As</source>
        <translation>Save Project As</translation>
    </message>
    <message>
        <source>Open &amp;Model…</source>
        <translation>Open &amp;Model…</translation>
    </message>
    <message>
        <source>Open Model Folder</source>
        <translation>Open Model Folder</translation>
    </message>
    <message>
        <source>Open &amp;Dataset…</source>
        <translation>Open &amp;Dataset…</translation>
    </message>
    <message>
        <source>Open Dataset</source>
        <translation>Open Dataset</translation>
    </message>
    <message>
        <source>Datasets (*.jsonl *.json *.csv *.tsv *.txt);;All files (*)</source>
        <translation>Datasets (*.jsonl *.json *.csv *.tsv *.txt);;All files (*)</translation>
    </message>
    <message>
        <source>Se&amp;ttings…</source>
        <translation>Se&amp;ttings…</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Edit</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>&amp;Undo</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>&amp;Redo</translation>
    </message>
    <message>
        <source>T&amp;rain</source>
        <translation>T&amp;rain</translation>
    </message>
    <message>
        <source>&amp;PEFT Adapter…</source>
        <translation>&amp;PEFT Adapter…</translation>
    </message>
    <message>
        <source>Export PEFT Adapter into</source>
        <translation>Export PEFT Adapter into</translation>
    </message>
    <message>
        <source>&amp;Merged Model…</source>
        <translation>&amp;Merged Model…</translation>
    </message>
    <message>
        <source>Export Merged Model into</source>
        <translation>Export Merged Model into</translation>
    </message>
    <message>
        <source>&amp;GGUF Adapter (llama.cpp)…</source>
        <translation>&amp;GGUF Adapter (llama.cpp)…</translation>
    </message>
    <message>
        <source>Export GGUF Adapter</source>
        <translation>Export GGUF Adapter</translation>
    </message>
    <message>
        <source>GGUF file (*.gguf)</source>
        <translation>GGUF file (*.gguf)</translation>
    </message>
    <message>
        <source>Show Tokens/s Plot</source>
        <translation>Show Tokens/s Plot</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Language</translation>
    </message>
    <message>
        <source>System Default</source>
        <translation>System Default</translation>
    </message>
    <message>
        <source>The language changes when Finetune Studio starts again.</source>
        <translation>The language changes when Finetune Studio starts again.</translation>
    </message>
    <message>
        <source>&amp;User Guide</source>
        <translation>&amp;User Guide</translation>
    </message>
    <message>
        <source>Cannot save project</source>
        <translation>Cannot save project</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>Saved %1</translation>
    </message>
    <message>
        <source>Cannot create project</source>
        <translation>Cannot create project</translation>
    </message>
    <message>
        <source>Opened model %1</source>
        <translation>Opened model %1</translation>
    </message>
    <message>
        <source>Opened dataset %1</source>
        <translation>Opened dataset %1</translation>
    </message>
    <message>
        <source>Exporting to %1 …</source>
        <translation>Exporting to %1 …</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Train a model first: there is no finished adapter to export.</source>
        <translation>Train a model first: there is no finished adapter to export.</translation>
    </message>
    <message>
        <source>PEFT adapter</source>
        <translation>PEFT adapter</translation>
    </message>
    <message>
        <source>Merged model</source>
        <translation>Merged model</translation>
    </message>
    <message>
        <source>GGUF adapter</source>
        <translation>GGUF adapter</translation>
    </message>
    <message>
        <source>%1 exported to %2</source>
        <translation>%1 exported to %2</translation>
    </message>
    <message>
        <source>%1 exported</source>
        <translation>%1 exported</translation>
    </message>
    <message>
        <source>Export finished</source>
        <translation>Export finished</translation>
    </message>
    <message>
        <source>%1 written to
%2</source>
        <translation>%1 written to
%2</translation>
    </message>
    <message>
        <source>User Guide</source>
        <translation>User Guide</translation>
    </message>
    <message>
        <source>Guided &amp;Tour</source>
        <translation>Guided &amp;Tour</translation>
    </message>
    <message>
        <source>Cannot open</source>
        <translation>Cannot open</translation>
    </message>
    <message>
        <source>%1 is not something Finetune Studio opens: choose a model folder (with config.json), a project (.json) or a dataset (.jsonl, .json, .csv, .tsv, .txt).</source>
        <translation>%1 is not something Finetune Studio opens: choose a model folder (with config.json), a project (.json) or a dataset (.jsonl, .json, .csv, .tsv, .txt).</translation>
    </message>
    <message>
        <source>user-guide.md</source>
        <extracomment>The user guide&apos;s file name in this language (docs/user-guide.ko.md is the Korean one).</extracomment>
        <translation>user-guide.md</translation>
    </message>
    <message>
        <source>Resume from &amp;Checkpoint</source>
        <translation>Resume from &amp;Checkpoint</translation>
    </message>
    <message>
        <source>The user guide (docs/user-guide.md) was not found next to the application.</source>
        <translation>The user guide (docs/user-guide.md) was not found next to the application.</translation>
    </message>
    <message>
        <source>No unfinished run with a checkpoint</source>
        <translation>No unfinished run with a checkpoint</translation>
    </message>
    <message>
        <source>Training started in %1</source>
        <translation>Training started in %1</translation>
    </message>
    <message>
        <source>Training finished. The run is in %1</source>
        <translation>Training finished. The run is in %1</translation>
    </message>
    <message>
        <source>Training will use the model&apos;s own chat template.</source>
        <translation>Training will use the model&apos;s own chat template.</translation>
    </message>
    <message>
        <source>Training will use the template chosen in the Chat Template tab.</source>
        <translation>Training will use the template chosen in the Chat Template tab.</translation>
    </message>
    <message>
        <source>Export from &amp;Run</source>
        <translation>Export from &amp;Run</translation>
    </message>
    <message>
        <source>%1 — finished, %2 steps</source>
        <translation>%1 — finished, %2 steps</translation>
    </message>
    <message>
        <source>%1 — training, step %2 of %3</source>
        <translation>%1 — training, step %2 of %3</translation>
    </message>
    <message>
        <source>%1 — stopped at step %2 of %3</source>
        <translation>%1 — stopped at step %2 of %3</translation>
    </message>
    <message>
        <source>%1 — failed at step %2 of %3</source>
        <translation>%1 — failed at step %2 of %3</translation>
    </message>
    <message>
        <source>The Newest Run</source>
        <translation>The Newest Run</translation>
    </message>
    <message>
        <source>Continue run %1 from step %2 of %3</source>
        <translation>Continue run %1 from step %2 of %3</translation>
    </message>
    <message>
        <source>From run %1</source>
        <translation>From run %1</translation>
    </message>
    <message>
        <source>No run to export yet</source>
        <translation>No run to export yet</translation>
    </message>
    <message>
        <source>(not chosen yet)</source>
        <translation>(not chosen yet)</translation>
    </message>
    <message>
        <source>%1[*] — Finetune Studio</source>
        <translation>%1[*] — Finetune Studio</translation>
    </message>
    <message>
        <source>Last run: %1</source>
        <translation>Last run: %1</translation>
    </message>
    <message>
        <source>Not a Model Folder</source>
        <translation>Not a Model Folder</translation>
    </message>
    <message>
        <source>Cannot resume</source>
        <translation>Cannot resume</translation>
    </message>
    <message>
        <source>Resuming run %1 from %2</source>
        <translation>Resuming run %1 from %2</translation>
    </message>
    <message>
        <source>The run is still training: export it when it has finished or stopped.</source>
        <translation>The run is still training: export it when it has finished or stopped.</translation>
    </message>
    <message>
        <source>Exporting run %1</source>
        <translation>Exporting run %1</translation>
    </message>
    <message>
        <source>Evaluation</source>
        <translation>Evaluation</translation>
    </message>
    <message>
        <source>Line %1 of %2 is no longer a row of the dataset.</source>
        <translation>Line %1 of %2 is no longer a row of the dataset.</translation>
    </message>
    <message>
        <source>Unsaved Dataset Edits</source>
        <translation>Unsaved Dataset Edits</translation>
    </message>
    <message>
        <source>The dataset editor holds unsaved edits to %1. Save or undo them, then open the row again.</source>
        <translation>The dataset editor holds unsaved edits to %1. Save or undo them, then open the row again.</translation>
    </message>
</context>
<context>
    <name>MethodPage</name>
    <message>
        <source>Method</source>
        <translation>Method</translation>
    </message>
    <message>
        <source>LoRA trains small low-rank matrices beside frozen weights; QLoRA does the same over a 4-bit base and needs the least memory.</source>
        <translation>LoRA trains small low-rank matrices beside frozen weights; QLoRA does the same over a 4-bit base and needs the least memory.</translation>
    </message>
    <message>
        <source>Full fine-tuning</source>
        <translation>Full fine-tuning</translation>
    </message>
    <message>
        <source>LoRA</source>
        <translation>LoRA</translation>
    </message>
    <message>
        <source>QLoRA (4-bit base)</source>
        <translation>QLoRA (4-bit base)</translation>
    </message>
    <message>
        <source>Bottleneck adapter</source>
        <translation>Bottleneck adapter</translation>
    </message>
    <message>
        <source>Prompt tuning</source>
        <translation>Prompt tuning</translation>
    </message>
    <message>
        <source>P-tuning</source>
        <translation>P-tuning</translation>
    </message>
    <message>
        <source>Prefix tuning</source>
        <translation>Prefix tuning</translation>
    </message>
    <message>
        <source>Method:</source>
        <translation>Method:</translation>
    </message>
    <message>
        <source>Trainable parameters: %1 of %2 (%3%). Estimated memory: %4 — weights %5, gradients %6, optimizer %7, activations %8, runtime %9.</source>
        <translation>Trainable parameters: %1 of %2 (%3%). Estimated memory: %4 — weights %5, gradients %6, optimizer %7, activations %8, runtime %9.</translation>
    </message>
    <message>
        <source> Free on %1: %2.</source>
        <translation> Free on %1: %2.</translation>
    </message>
    <message>
        <source>This will not fit: it needs about %1 but %2 has %3 free. Lower the batch size or the sequence length, turn on gradient checkpointing, or use QLoRA.</source>
        <translation>This will not fit: it needs about %1 but %2 has %3 free. Lower the batch size or the sequence length, turn on gradient checkpointing, or use QLoRA.</translation>
    </message>
    <message>
        <source> Activations counted for %1 rows a batch: each pair&apos;s chosen and rejected answers go through together. The reference model takes no second copy (adapters off, or for full fine-tuning its log-probabilities taken once before training).</source>
        <translation> Activations counted for %1 rows a batch: each pair&apos;s chosen and rejected answers go through together. The reference model takes no second copy (adapters off, or for full fine-tuning its log-probabilities taken once before training).</translation>
    </message>
</context>
<context>
    <name>ModelExporter</name>
    <message>
        <source>Another export is still running.</source>
        <translation>Another export is still running.</translation>
    </message>
</context>
<context>
    <name>ModelFolderProblem</name>
    <message>
        <source>%1 is not a folder.</source>
        <translation>%1 is not a folder.</translation>
    </message>
    <message>
        <source>the weights</source>
        <translation>the weights</translation>
    </message>
    <message>
        <source>the tokenizer</source>
        <translation>the tokenizer</translation>
    </message>
    <message>
        <source>%1 is not a model folder. Missing: %2.</source>
        <translation>%1 is not a model folder. Missing: %2.</translation>
    </message>
    <message>
        <source>A model folder (a Hugging Face model, as downloaded) holds config.json; the weights as model.safetensors, or sharded as model-*.safetensors with model.safetensors.index.json; and the tokenizer as tokenizer.model or tokenizer.json.</source>
        <translation>A model folder (a Hugging Face model, as downloaded) holds config.json; the weights as model.safetensors, or sharded as model-*.safetensors with model.safetensors.index.json; and the tokenizer as tokenizer.model or tokenizer.json.</translation>
    </message>
    <message>
        <source>The folder is empty.</source>
        <translation>The folder is empty.</translation>
    </message>
    <message numerus="yes">
        <source>It holds: %1 and %n more.</source>
        <translation>
            <numerusform>It holds: %1 and %n more.</numerusform>
            <numerusform>It holds: %1 and %n more.</numerusform>
        </translation>
    </message>
    <message>
        <source>It holds: %1.</source>
        <translation>It holds: %1.</translation>
    </message>
    <message>
        <source>This is a Hugging Face hub cache folder with no snapshot yet: download the model again.</source>
        <translation>This is a Hugging Face hub cache folder with no snapshot yet: download the model again.</translation>
    </message>
    <message>
        <source>This is a Hugging Face hub cache folder; the model itself is in a snapshot: open %1 instead.</source>
        <translation>This is a Hugging Face hub cache folder; the model itself is in a snapshot: open %1 instead.</translation>
    </message>
    <message>
        <source>This is a PEFT adapter (adapter_config.json), trained over a base model: open the base model&apos;s folder instead.</source>
        <translation>This is a PEFT adapter (adapter_config.json), trained over a base model: open the base model&apos;s folder instead.</translation>
    </message>
    <message>
        <source>The weights are sharded but model.safetensors.index.json, which names the shards, is missing.</source>
        <translation>The weights are sharded but model.safetensors.index.json, which names the shards, is missing.</translation>
    </message>
    <message>
        <source>%1 holds weights only: a model also needs the config.json and the tokenizer files published with it. Download the whole model folder.</source>
        <translation>%1 holds weights only: a model also needs the config.json and the tokenizer files published with it. Download the whole model folder.</translation>
    </message>
    <message>
        <source>%1 is a GGUF file (llama.cpp&apos;s format): open the file itself, not its folder. It is imported once as a model to fine-tune, its weights dequantized, so the quality is that of the file.</source>
        <translation>%1 is a GGUF file (llama.cpp&apos;s format): open the file itself, not its folder. It is imported once as a model to fine-tune, its weights dequantized, so the quality is that of the file.</translation>
    </message>
</context>
<context>
    <name>ModelListModel</name>
    <message>
        <source>the file cannot be read: %1</source>
        <translation>the file cannot be read: %1</translation>
    </message>
    <message>
        <source>%1 is missing (an unfinished download or a broken link)</source>
        <translation>%1 is missing (an unfinished download or a broken link)</translation>
    </message>
    <message>
        <source>no config.json</source>
        <translation>no config.json</translation>
    </message>
    <message>
        <source>no tokenizer files</source>
        <translation>no tokenizer files</translation>
    </message>
    <message>
        <source>no safetensors weights</source>
        <translation>no safetensors weights</translation>
    </message>
    <message>
        <source>weights are .bin (pickle), not safetensors</source>
        <translation>weights are .bin (pickle), not safetensors</translation>
    </message>
    <message>
        <source>the architecture is not named</source>
        <translation>the architecture is not named</translation>
    </message>
    <message>
        <source>architecture &apos;%1&apos; is not a decoder this app trains</source>
        <translation>architecture &apos;%1&apos; is not a decoder this app trains</translation>
    </message>
    <message>
        <source>quantized with %1, which cannot be trained here</source>
        <translation>quantized with %1, which cannot be trained here</translation>
    </message>
    <message>
        <source>tensor type %1 cannot be dequantized here</source>
        <translation>tensor type %1 cannot be dequantized here</translation>
    </message>
    <message>
        <source>a vision projector (mmproj), not a language model</source>
        <translation>a vision projector (mmproj), not a language model</translation>
    </message>
    <message>
        <source>a PEFT adapter, not a base model</source>
        <translation>a PEFT adapter, not a base model</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>yes</translation>
    </message>
    <message>
        <source>no — %1</source>
        <translation>no — %1</translation>
    </message>
    <message>
        <source>%1B</source>
        <translation>%1B</translation>
    </message>
    <message>
        <source>%1M</source>
        <translation>%1M</translation>
    </message>
    <message>
        <source>Stored as %1: the weights are dequantized for training; the quality is that of the quantized file.</source>
        <translation>Stored as %1: the weights are dequantized for training; the quality is that of the quantized file.</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Source</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>Format</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Size</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>Parameters</translation>
    </message>
    <message>
        <source>Quantization</source>
        <translation>Quantization</translation>
    </message>
    <message>
        <source>Can be trained</source>
        <translation>Can be trained</translation>
    </message>
</context>
<context>
    <name>ModelPage</name>
    <message>
        <source>Choose the model</source>
        <translation>Choose the model</translation>
    </message>
    <message>
        <source>Model folder</source>
        <translation>Model folder</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>&amp;Browse…</translation>
    </message>
    <message>
        <source>Architecture:</source>
        <translation>Architecture:</translation>
    </message>
    <message>
        <source>Parameters:</source>
        <translation>Parameters:</translation>
    </message>
    <message>
        <source>Stored as:</source>
        <translation>Stored as:</translation>
    </message>
    <message>
        <source>Chat template:</source>
        <translation>Chat template:</translation>
    </message>
    <message>
        <source>Weights in memory:</source>
        <translation>Weights in memory:</translation>
    </message>
    <message>
        <source>Opening %1 …</source>
        <translation>Opening %1 …</translation>
    </message>
    <message>
        <source>%1 (%2): %3 layers, hidden size %4, %5 attention heads (%6 key/value), vocabulary %7</source>
        <translation>%1 (%2): %3 layers, hidden size %4, %5 attention heads (%6 key/value), vocabulary %7</translation>
    </message>
    <message>
        <source>found, but it does not compile: %1</source>
        <translation>found, but it does not compile: %1</translation>
    </message>
    <message>
        <source>none — Instruct FT needs one: pick a preset on the formatting page</source>
        <translation>none — Instruct FT needs one: pick a preset on the formatting page</translation>
    </message>
    <message numerus="yes">
        <source>found (%n character(s))</source>
        <translation>
            <numerusform>found (%n character)</numerusform>
            <numerusform>found (%n characters)</numerusform>
        </translation>
    </message>
    <message>
        <source>fp32 %1 · bf16 %2 · int8 %3 · nf4 %4</source>
        <translation>fp32 %1 · bf16 %2 · int8 %3 · nf4 %4</translation>
    </message>
    <message>
        <source>A model found on this computer, or a Hugging Face model folder: config.json, safetensors weights and the tokenizer files.</source>
        <translation>A model found on this computer, or a Hugging Face model folder: config.json, safetensors weights and the tokenizer files.</translation>
    </message>
    <message>
        <source>Search by name, source or architecture</source>
        <translation>Search by name, source or architecture</translation>
    </message>
    <message>
        <source>Add &amp;folder…</source>
        <translation>Add &amp;folder…</translation>
    </message>
    <message>
        <source>Also look for models in a folder of your own</source>
        <translation>Also look for models in a folder of your own</translation>
    </message>
    <message>
        <source>Do&amp;wnload…</source>
        <translation>Do&amp;wnload…</translation>
    </message>
    <message>
        <source>Download a model from the Hugging Face Hub by its name</source>
        <translation>Download a model from the Hugging Face Hub by its name</translation>
    </message>
    <message>
        <source>A folder with models</source>
        <translation>A folder with models</translation>
    </message>
    <message>
        <source>Looking for models…</source>
        <translation>Looking for models…</translation>
    </message>
    <message>
        <source>%1 cannot be trained here: %2</source>
        <translation>%1 cannot be trained here: %2</translation>
    </message>
    <message numerus="yes">
        <source>%n model(s) on this computer</source>
        <translation>
            <numerusform>%n model on this computer</numerusform>
            <numerusform>%n models on this computer</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 of %n model(s) on this computer</source>
        <translation>
            <numerusform>%1 of %n model on this computer</numerusform>
            <numerusform>%1 of %n models on this computer</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 in the GGUF file (%2 bits per weight), dequantized to %3 for training: the model starts from the quantized weights, so its answers are as good as that file&apos;s, not the original model&apos;s</source>
        <translation>%1 in the GGUF file (%2 bits per weight), dequantized to %3 for training: the model starts from the quantized weights, so its answers are as good as that file&apos;s, not the original model&apos;s</translation>
    </message>
    <message>
        <source>Importing %1 as a model to fine-tune: its weights are dequantized once (a few seconds per 100 M parameters), then reused …</source>
        <translation>Importing %1 as a model to fine-tune: its weights are dequantized once (a few seconds per 100 M parameters), then reused …</translation>
    </message>
</context>
<context>
    <name>PreferencePairView</name>
    <message>
        <source>&lt;b&gt;Chosen&lt;/b&gt;</source>
        <translation>&lt;b&gt;Chosen&lt;/b&gt;</translation>
    </message>
    <message>
        <source>&lt;b&gt;Rejected&lt;/b&gt;</source>
        <translation>&lt;b&gt;Rejected&lt;/b&gt;</translation>
    </message>
    <message>
        <source>&lt;i&gt;No prompt column: the turns both answers share are the prompt.&lt;/i&gt;</source>
        <translation>&lt;i&gt;No prompt column: the turns both answers share are the prompt.&lt;/i&gt;</translation>
    </message>
    <message>
        <source>&lt;b&gt;Prompt:&lt;/b&gt; %1</source>
        <translation>&lt;b&gt;Prompt:&lt;/b&gt; %1</translation>
    </message>
    <message>
        <source>&lt;b&gt;Completion&lt;/b&gt; (label: %1)</source>
        <translation>&lt;b&gt;Completion&lt;/b&gt; (label: %1)</translation>
    </message>
    <message>
        <source>&lt;b&gt;Chosen&lt;/b&gt; &lt;span style=&quot;background:#c8f0d0&quot;&gt;&amp;nbsp;only here&amp;nbsp;&lt;/span&gt;</source>
        <translation>&lt;b&gt;Chosen&lt;/b&gt; &lt;span style=&quot;background:#c8f0d0&quot;&gt;&amp;nbsp;only here&amp;nbsp;&lt;/span&gt;</translation>
    </message>
    <message>
        <source>&lt;b&gt;Rejected&lt;/b&gt; &lt;span style=&quot;background:#f8d0d0&quot;&gt;&amp;nbsp;only here&amp;nbsp;&lt;/span&gt;</source>
        <translation>&lt;b&gt;Rejected&lt;/b&gt; &lt;span style=&quot;background:#f8d0d0&quot;&gt;&amp;nbsp;only here&amp;nbsp;&lt;/span&gt;</translation>
    </message>
    <message>
        <source>Select a row to compare its answers.</source>
        <translation>Select a row to compare its answers.</translation>
    </message>
</context>
<context>
    <name>PreferencePlot</name>
    <message>
        <source>Reward margin</source>
        <translation>Reward margin</translation>
    </message>
    <message>
        <source>Reward accuracy</source>
        <translation>Reward accuracy</translation>
    </message>
    <message>
        <source>Validation margin</source>
        <translation>Validation margin</translation>
    </message>
    <message>
        <source>Validation accuracy</source>
        <translation>Validation accuracy</translation>
    </message>
    <message>
        <source>KL estimate</source>
        <translation>KL estimate</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>Step</translation>
    </message>
    <message>
        <source>Margin (chosen − rejected reward)</source>
        <translation>Margin (chosen − rejected reward)</translation>
    </message>
    <message>
        <source>Accuracy</source>
        <translation>Accuracy</translation>
    </message>
</context>
<context>
    <name>ProjectDocument</name>
    <message>
        <source>The project has no file yet: choose where to save it.</source>
        <translation>The project has no file yet: choose where to save it.</translation>
    </message>
</context>
<context>
    <name>PromptLearningPanel</name>
    <message>
        <source>Virtual tokens:</source>
        <translation>Virtual tokens:</translation>
    </message>
    <message>
        <source>Random</source>
        <translation>Random</translation>
    </message>
    <message>
        <source>From text</source>
        <translation>From text</translation>
    </message>
    <message>
        <source>e.g. Classify the sentiment of this review:</source>
        <translation>e.g. Classify the sentiment of this review:</translation>
    </message>
    <message>
        <source>Initialization:</source>
        <translation>Initialization:</translation>
    </message>
    <message>
        <source>Initial text:</source>
        <translation>Initial text:</translation>
    </message>
    <message>
        <source>the model&apos;s hidden size</source>
        <translation>the model&apos;s hidden size</translation>
    </message>
    <message>
        <source>MLP</source>
        <translation>MLP</translation>
    </message>
    <message>
        <source>LSTM</source>
        <translation>LSTM</translation>
    </message>
    <message>
        <source>Prompt encoder:</source>
        <translation>Prompt encoder:</translation>
    </message>
    <message>
        <source>Train the prefix through an MLP (prefix projection)</source>
        <translation>Train the prefix through an MLP (prefix projection)</translation>
    </message>
    <message>
        <source>Encoder hidden size:</source>
        <translation>Encoder hidden size:</translation>
    </message>
</context>
<context>
    <name>QloraPanel</name>
    <message>
        <source>Double quantization (quantize the block scales too)</source>
        <translation>Double quantization (quantize the block scales too)</translation>
    </message>
    <message>
        <source>NF4 (normal float, for normally distributed weights)</source>
        <translation>NF4 (normal float, for normally distributed weights)</translation>
    </message>
    <message>
        <source>FP4</source>
        <translation>FP4</translation>
    </message>
    <message>
        <source>4-bit base</source>
        <translation>4-bit base</translation>
    </message>
    <message>
        <source>4-bit type:</source>
        <translation>4-bit type:</translation>
    </message>
    <message>
        <source>Block size:</source>
        <translation>Block size:</translation>
    </message>
    <message>
        <source>Compute dtype:</source>
        <translation>Compute dtype:</translation>
    </message>
</context>
<context>
    <name>QuantResultModel</name>
    <message>
        <source>NF4 (block %1)</source>
        <translation>NF4 (block %1)</translation>
    </message>
    <message>
        <source>FP4 (block %1)</source>
        <translation>FP4 (block %1)</translation>
    </message>
    <message>
        <source>int8 symmetric (per tensor)</source>
        <translation>int8 symmetric (per tensor)</translation>
    </message>
    <message>
        <source>int8 asymmetric (per tensor)</source>
        <translation>int8 asymmetric (per tensor)</translation>
    </message>
    <message>
        <source>NF4</source>
        <translation>NF4</translation>
    </message>
    <message>
        <source>FP4</source>
        <translation>FP4</translation>
    </message>
    <message>
        <source>int8 sym.</source>
        <translation>int8 sym.</translation>
    </message>
    <message>
        <source>int8 asym.</source>
        <translation>int8 asym.</translation>
    </message>
    <message>
        <source>exact</source>
        <translation>exact</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>Method</translation>
    </message>
    <message>
        <source>MSE</source>
        <translation>MSE</translation>
    </message>
    <message>
        <source>Max error</source>
        <translation>Max error</translation>
    </message>
    <message>
        <source>SNR (dB)</source>
        <translation>SNR (dB)</translation>
    </message>
    <message>
        <source>Bytes</source>
        <translation>Bytes</translation>
    </message>
    <message>
        <source>Bits / value</source>
        <translation>Bits / value</translation>
    </message>
</context>
<context>
    <name>QuantizationInspector</name>
    <message numerus="yes">
        <source>%1 — %n tensor(s)</source>
        <translation>
            <numerusform>%1 — %n tensor</numerusform>
            <numerusform>%1 — %n tensors</numerusform>
        </translation>
    </message>
    <message>
        <source>Open &amp;Model Folder…</source>
        <translation>Open &amp;Model Folder…</translation>
    </message>
    <message>
        <source>Open .&amp;safetensors…</source>
        <translation>Open .&amp;safetensors…</translation>
    </message>
    <message>
        <source>Open Model Folder</source>
        <translation>Open Model Folder</translation>
    </message>
    <message>
        <source>Open Tensors</source>
        <translation>Open Tensors</translation>
    </message>
    <message>
        <source>safetensors (*.safetensors)</source>
        <translation>safetensors (*.safetensors)</translation>
    </message>
    <message>
        <source>Open a model folder or a .safetensors file.</source>
        <translation>Open a model folder or a .safetensors file.</translation>
    </message>
    <message>
        <source>Scan &amp;All Layers</source>
        <translation>Scan &amp;All Layers</translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation>&amp;Export…</translation>
    </message>
    <message>
        <source>Tensor:</source>
        <translation>Tensor:</translation>
    </message>
    <message>
        <source>Block size:</source>
        <translation>Block size:</translation>
    </message>
    <message>
        <source>Method:</source>
        <translation>Method:</translation>
    </message>
    <message>
        <source>Value / absmax</source>
        <translation>Value / absmax</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>Count</translation>
    </message>
    <message>
        <source>Dequantized − original</source>
        <translation>Dequantized − original</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>Layer</translation>
    </message>
    <message>
        <source>MSE</source>
        <translation>MSE</translation>
    </message>
    <message>
        <source>Max error</source>
        <translation>Max error</translation>
    </message>
    <message>
        <source>SNR (dB)</source>
        <translation>SNR (dB)</translation>
    </message>
    <message>
        <source>Error across the model:</source>
        <translation>Error across the model:</translation>
    </message>
    <message>
        <source>Reading %1 …</source>
        <translation>Reading %1 …</translation>
    </message>
    <message>
        <source>No tensor named %1.</source>
        <translation>No tensor named %1.</translation>
    </message>
    <message>
        <source>Quantizing %1 with every method …</source>
        <translation>Quantizing %1 with every method …</translation>
    </message>
    <message>
        <source>Quantizing every layer with %1 …</source>
        <translation>Quantizing every layer with %1 …</translation>
    </message>
    <message>
        <source>%1: %2 [%3], absmax %4</source>
        <translation>%1: %2 [%3], absmax %4</translation>
    </message>
    <message>
        <source> — histograms of the first %L1 of %L2 values</source>
        <translation> — histograms of the first %L1 of %L2 values</translation>
    </message>
    <message numerus="yes">
        <source>%1 on %n tensor(s): %L2 bytes instead of %L3.</source>
        <translation>
            <numerusform>%1 on %n tensor: %L2 bytes instead of %L3.</numerusform>
            <numerusform>%1 on %n tensors: %L2 bytes instead of %L3.</numerusform>
        </translation>
    </message>
    <message>
        <source>Values / block absmax</source>
        <translation>Values / block absmax</translation>
    </message>
    <message>
        <source>Values / tensor absmax</source>
        <translation>Values / tensor absmax</translation>
    </message>
    <message>
        <source>Levels</source>
        <translation>Levels</translation>
    </message>
    <message>
        <source>Value / block absmax</source>
        <translation>Value / block absmax</translation>
    </message>
    <message>
        <source>Value / tensor absmax</source>
        <translation>Value / tensor absmax</translation>
    </message>
    <message>
        <source>Tensor (layer.projection), %1</source>
        <translation>Tensor (layer.projection), %1</translation>
    </message>
    <message>
        <source>Cannot create %1.</source>
        <translation>Cannot create %1.</translation>
    </message>
    <message>
        <source>Cannot write %1.</source>
        <translation>Cannot write %1.</translation>
    </message>
    <message>
        <source>Export Figures and Tables into</source>
        <translation>Export Figures and Tables into</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>Export failed</translation>
    </message>
    <message>
        <source>Export &amp;PNG…</source>
        <translation>Export &amp;PNG…</translation>
    </message>
    <message>
        <source>Export Figure as PNG</source>
        <translation>Export Figure as PNG</translation>
    </message>
    <message>
        <source>PNG image (*.png)</source>
        <translation>PNG image (*.png)</translation>
    </message>
    <message>
        <source>Export &amp;CSV…</source>
        <translation>Export &amp;CSV…</translation>
    </message>
    <message>
        <source>Export Data as CSV</source>
        <translation>Export Data as CSV</translation>
    </message>
    <message>
        <source>CSV file (*.csv)</source>
        <translation>CSV file (*.csv)</translation>
    </message>
    <message>
        <source>Reset &amp;Zoom</source>
        <translation>Reset &amp;Zoom</translation>
    </message>
</context>
<context>
    <name>RecentFilesMenu</name>
    <message>
        <source>Open &amp;Recent</source>
        <translation>Open &amp;Recent</translation>
    </message>
    <message>
        <source>No recent files</source>
        <translation>No recent files</translation>
    </message>
    <message>
        <source>&amp;Clear List</source>
        <translation>&amp;Clear List</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>Settings</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>System default</translation>
    </message>
    <message>
        <source>Automatic (GPU when available)</source>
        <translation>Automatic (GPU when available)</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>CUDA GPU</source>
        <translation>CUDA GPU</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>&amp;Language:</translation>
    </message>
    <message>
        <source>A new language applies when the app starts again.</source>
        <translation>A new language applies when the app starts again.</translation>
    </message>
    <message>
        <source>Default &amp;device:</source>
        <translation>Default &amp;device:</translation>
    </message>
    <message>
        <source>Projects folder:</source>
        <translation>Projects folder:</translation>
    </message>
    <message>
        <source>Models folder:</source>
        <translation>Models folder:</translation>
    </message>
    <message>
        <source>Datasets folder:</source>
        <translation>Datasets folder:</translation>
    </message>
    <message>
        <source>Exports folder:</source>
        <translation>Exports folder:</translation>
    </message>
    <message>
        <source>Choose a folder</source>
        <translation>Choose a folder</translation>
    </message>
    <message>
        <source>Choose a Folder</source>
        <translation>Choose a Folder</translation>
    </message>
</context>
<context>
    <name>SideBySideChat</name>
    <message>
        <source>&amp;Ask both</source>
        <translation>&amp;Ask both</translation>
    </message>
    <message>
        <source>Ask something from your data…</source>
        <translation>Ask something from your data…</translation>
    </message>
    <message>
        <source>Base model</source>
        <translation>Base model</translation>
    </message>
    <message>
        <source>Tuned model</source>
        <translation>Tuned model</translation>
    </message>
    <message>
        <source>Generating… (the models load on the first question)</source>
        <translation>Generating… (the models load on the first question)</translation>
    </message>
</context>
<context>
    <name>TokenChipView</name>
    <message>
        <source>Token %1: id %2, %3, attention %4</source>
        <translation>Token %1: id %2, %3, attention %4</translation>
    </message>
    <message>
        <source>trained</source>
        <translation>trained</translation>
    </message>
    <message>
        <source>masked (label -100)</source>
        <translation>masked (label -100)</translation>
    </message>
    <message>
        <source>
Loss %1</source>
        <translation>
Loss %1</translation>
    </message>
</context>
<context>
    <name>TokenInspector</name>
    <message>
        <source>Show padding to the length limit (attention mask 0)</source>
        <translation>Show padding to the length limit (attention mask 0)</translation>
    </message>
    <message>
        <source>No example shown yet.</source>
        <translation>No example shown yet.</translation>
    </message>
    <message>
        <source>&lt;span style=&quot;background:#c8f0d0&quot;&gt;&amp;nbsp;trained&amp;nbsp;&lt;/span&gt; &lt;span style=&quot;background:#e5e7e9&quot;&gt;&amp;nbsp;masked (label -100)&amp;nbsp;&lt;/span&gt; dashed: attention mask 0 (padding) · hover a token for details</source>
        <translation>&lt;span style=&quot;background:#c8f0d0&quot;&gt;&amp;nbsp;trained&amp;nbsp;&lt;/span&gt; &lt;span style=&quot;background:#e5e7e9&quot;&gt;&amp;nbsp;masked (label -100)&amp;nbsp;&lt;/span&gt; dashed: attention mask 0 (padding) · hover a token for details</translation>
    </message>
    <message>
        <source>Opening %1 …</source>
        <translation>Opening %1 …</translation>
    </message>
    <message numerus="yes">
        <source>%n block(s) of %1 tokens; every token is trained. The first %2 are shown.</source>
        <translation>
            <numerusform>%n block of %1 tokens; every token is trained. The first %2 are shown.</numerusform>
            <numerusform>%n blocks of %1 tokens; every token is trained. The first %2 are shown.</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 tokens: %2 trained, %3 masked (label -100). Attention mask: 1 on all %1 (a batch pads shorter rows with 0).%4</source>
        <translation>%1 tokens: %2 trained, %3 masked (label -100). Attention mask: 1 on all %1 (a batch pads shorter rows with 0).%4</translation>
    </message>
    <message>
        <source> Cut at the limit of %1 tokens.</source>
        <translation> Cut at the limit of %1 tokens.</translation>
    </message>
    <message>
        <source>%1 / %2 tokens</source>
        <translation>%1 / %2 tokens</translation>
    </message>
    <message>
        <source>pad</source>
        <translation>pad</translation>
    </message>
    <message>
        <source>Block %1</source>
        <translation>Block %1</translation>
    </message>
    <message>
        <source>Example %1</source>
        <translation>Example %1</translation>
    </message>
    <message>
        <source>Show loss with the trained adapter…</source>
        <translation>Show loss with the trained adapter…</translation>
    </message>
    <message>
        <source>Example </source>
        <translation>Example </translation>
    </message>
    <message>
        <source>Colour the trained tokens by the loss of the model with the trained adapter: how surprised it still is by each token it was trained on.</source>
        <translation>Colour the trained tokens by the loss of the model with the trained adapter: how surprised it still is by each token it was trained on.</translation>
    </message>
    <message>
        <source>Choose the Trained Adapter Folder</source>
        <translation>Choose the Trained Adapter Folder</translation>
    </message>
    <message>
        <source> of %1</source>
        <translation> of %1</translation>
    </message>
    <message>
        <source>Open the model first.</source>
        <translation>Open the model first.</translation>
    </message>
    <message>
        <source>Loading the model with the adapter %1 …</source>
        <translation>Loading the model with the adapter %1 …</translation>
    </message>
    <message numerus="yes">
        <source>Loss with the trained adapter: &lt;span style=&quot;background:%1&quot;&gt;&amp;nbsp;0&amp;nbsp;&lt;/span&gt;&lt;span style=&quot;background:%2&quot;&gt;&amp;nbsp;%4&amp;nbsp;&lt;/span&gt;&lt;span style=&quot;background:%3&quot;&gt;&amp;nbsp;%5&amp;nbsp;&lt;/span&gt; · mean %6 over %n trained token(s) (perplexity %7) · hover a token for its loss</source>
        <translation>
            <numerusform>Loss with the trained adapter: &lt;span style=&quot;background:%1&quot;&gt;&amp;nbsp;0&amp;nbsp;&lt;/span&gt;&lt;span style=&quot;background:%2&quot;&gt;&amp;nbsp;%4&amp;nbsp;&lt;/span&gt;&lt;span style=&quot;background:%3&quot;&gt;&amp;nbsp;%5&amp;nbsp;&lt;/span&gt; · mean %6 over %n trained token (perplexity %7) · hover a token for its loss</numerusform>
            <numerusform>Loss with the trained adapter: &lt;span style=&quot;background:%1&quot;&gt;&amp;nbsp;0&amp;nbsp;&lt;/span&gt;&lt;span style=&quot;background:%2&quot;&gt;&amp;nbsp;%4&amp;nbsp;&lt;/span&gt;&lt;span style=&quot;background:%3&quot;&gt;&amp;nbsp;%5&amp;nbsp;&lt;/span&gt; · mean %6 over %n trained tokens (perplexity %7) · hover a token for its loss</numerusform>
        </translation>
    </message>
    <message>
        <source>Computing the losses with the adapter …</source>
        <translation>Computing the losses with the adapter …</translation>
    </message>
    <message>
        <source>Completion (desirable)</source>
        <translation>Completion (desirable)</translation>
    </message>
    <message>
        <source>Completion (undesirable)</source>
        <translation>Completion (undesirable)</translation>
    </message>
    <message>
        <source>Prompt + chosen</source>
        <translation>Prompt + chosen</translation>
    </message>
    <message>
        <source>Prompt + rejected</source>
        <translation>Prompt + rejected</translation>
    </message>
    <message>
        <source>%1: %2 tokens, %3 of the answer trained%4</source>
        <translation>%1: %2 tokens, %3 of the answer trained%4</translation>
    </message>
    <message>
        <source> (cut at %1)</source>
        <translation> (cut at %1)</translation>
    </message>
    <message>
        <source>. The prompt is masked (label -100); the loss compares the answers&apos; summed log-probabilities.</source>
        <translation>. The prompt is masked (label -100); the loss compares the answers&apos; summed log-probabilities.</translation>
    </message>
</context>
<context>
    <name>TrainPage</name>
    <message>
        <source>&amp;Start training</source>
        <translation>&amp;Start training</translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation>&amp;Pause</translation>
    </message>
    <message>
        <source>Train</source>
        <translation>Train</translation>
    </message>
    <message>
        <source>all</source>
        <translation>all</translation>
    </message>
    <message>
        <source>Stop after this many steps for a quick trial; the project is not changed.</source>
        <translation>Stop after this many steps for a quick trial; the project is not changed.</translation>
    </message>
    <message>
        <source>%v / %m steps</source>
        <translation>%v / %m steps</translation>
    </message>
    <message>
        <source>Steps:</source>
        <translation>Steps:</translation>
    </message>
    <message>
        <source>%1 training and %2 validation examples; %3 of %4 parameters trainable; %5 steps on %6.</source>
        <translation>%1 training and %2 validation examples; %3 of %4 parameters trainable; %5 steps on %6.</translation>
    </message>
    <message>
        <source>Step %1 / %2 · epoch %3 · loss %4 · %5 tokens/s · %6 s left · %7 MiB</source>
        <translation>Step %1 / %2 · epoch %3 · loss %4 · %5 tokens/s · %6 s left · %7 MiB</translation>
    </message>
    <message>
        <source>Preparing: loading the model and tokenizing the data …</source>
        <translation>Preparing: loading the model and tokenizing the data …</translation>
    </message>
    <message>
        <source>&amp;Resume</source>
        <translation>&amp;Resume</translation>
    </message>
    <message>
        <source>The loss should fall; the validation loss (red) rising while the training loss falls means over-fitting: stop, or train fewer epochs.</source>
        <translation>The loss should fall; the validation loss (red) rising while the training loss falls means over-fitting: stop, or train fewer epochs.</translation>
    </message>
    <message>
        <source>S&amp;top</source>
        <translation>S&amp;top</translation>
    </message>
    <message>
        <source>Stop the run; its checkpoints are kept, so it can be exported or resumed.</source>
        <translation>Stop the run; its checkpoints are kept, so it can be exported or resumed.</translation>
    </message>
    <message>
        <source>Full fine-tuning</source>
        <translation>Full fine-tuning</translation>
    </message>
    <message>
        <source>LoRA</source>
        <translation>LoRA</translation>
    </message>
    <message>
        <source>QLoRA</source>
        <translation>QLoRA</translation>
    </message>
    <message>
        <source>Bottleneck adapters</source>
        <translation>Bottleneck adapters</translation>
    </message>
    <message>
        <source>Prompt tuning</source>
        <translation>Prompt tuning</translation>
    </message>
    <message>
        <source>P-tuning</source>
        <translation>P-tuning</translation>
    </message>
    <message>
        <source>Prefix tuning</source>
        <translation>Prefix tuning</translation>
    </message>
    <message>
        <source>Run %1 finished (%2 steps); it is in %3.</source>
        <translation>Run %1 finished (%2 steps); it is in %3.</translation>
    </message>
    <message>
        <source>Run %1 is training in another window or process (step %2 of %3).</source>
        <translation>Run %1 is training in another window or process (step %2 of %3).</translation>
    </message>
    <message>
        <source>Run %1 stopped at step %2 of %3 before its first checkpoint; train again.</source>
        <translation>Run %1 stopped at step %2 of %3 before its first checkpoint; train again.</translation>
    </message>
    <message>
        <source>Run %1 stopped at step %2 of %3; its last checkpoint can be exported or resumed (Train ▸ Resume).</source>
        <translation>Run %1 stopped at step %2 of %3; its last checkpoint can be exported or resumed (Train ▸ Resume).</translation>
    </message>
    <message>
        <source>Not trained yet</source>
        <translation>Not trained yet</translation>
    </message>
    <message>
        <source>%1 (packed in %2 rows)</source>
        <translation>%1 (packed in %2 rows)</translation>
    </message>
    <message>
        <source>The loss should fall and the reward margin (chosen minus rejected) grow; a validation margin that stops growing while the training one climbs means over-fitting: stop, or train fewer epochs.</source>
        <translation>The loss should fall and the reward margin (chosen minus rejected) grow; a validation margin that stops growing while the training one climbs means over-fitting: stop, or train fewer epochs.</translation>
    </message>
    <message>
        <source>%1 processes, global batch %2</source>
        <translation>%1 processes, global batch %2</translation>
    </message>
    <message>
        <source>batch %1</source>
        <translation>batch %1</translation>
    </message>
    <message numerus="yes">
        <source>%1 on the model in %2 with the data in %3: %n epoch(s), %4, learning rate %5.</source>
        <translation>
            <numerusform>%1 on the model in %2 with the data in %3: %n epoch, %4, learning rate %5.</numerusform>
            <numerusform>%1 on the model in %2 with the data in %3: %n epochs, %4, learning rate %5.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TrainingController</name>
    <message>
        <source>Training cancelled.</source>
        <translation>Training cancelled.</translation>
    </message>
</context>
<context>
    <name>TrainingSettingsBox</name>
    <message>
        <source>Training</source>
        <translation>Training</translation>
    </message>
    <message>
        <source>Gradient checkpointing (less memory, about a third slower)</source>
        <translation>Gradient checkpointing (less memory, about a third slower)</translation>
    </message>
    <message>
        <source>Automatic (GPU when there is one)</source>
        <translation>Automatic (GPU when there is one)</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>GPU (CUDA)</source>
        <translation>GPU (CUDA)</translation>
    </message>
    <message>
        <source>Device:</source>
        <translation>Device:</translation>
    </message>
    <message>
        <source>Weights dtype:</source>
        <translation>Weights dtype:</translation>
    </message>
    <message>
        <source>Batch size:</source>
        <translation>Batch size:</translation>
    </message>
    <message>
        <source>Gradient accumulation:</source>
        <translation>Gradient accumulation:</translation>
    </message>
    <message>
        <source>Epochs:</source>
        <translation>Epochs:</translation>
    </message>
    <message>
        <source>Learning rate:</source>
        <translation>Learning rate:</translation>
    </message>
    <message>
        <source>Several GPUs or CPU processes train data-parallel: each process takes its own batch of the size below, and their gradients are summed every step.</source>
        <translation>Several GPUs or CPU processes train data-parallel: each process takes its own batch of the size below, and their gradients are summed every step.</translation>
    </message>
    <message numerus="yes">
        <source>%n GPUs (data-parallel)</source>
        <translation>
            <numerusform>%n GPU (data-parallel)</numerusform>
            <numerusform>%n GPUs (data-parallel)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n CPU processes (data-parallel)</source>
        <translation>
            <numerusform>%n CPU process (data-parallel)</numerusform>
            <numerusform>%n CPU processes (data-parallel)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n processes (GPUs when there are, else CPU)</source>
        <translation>
            <numerusform>%n process (GPU when there is one, else CPU)</numerusform>
            <numerusform>%n processes (GPUs when there are, else CPU)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TrainingView</name>
    <message>
        <source>No project open</source>
        <translation>No project open</translation>
    </message>
    <message>
        <source>%v / %m steps</source>
        <translation>%v / %m steps</translation>
    </message>
    <message>
        <source>Prepared: %1 training and %2 validation examples; %3 of %4 parameters trainable (%5%); %6 steps on %7.</source>
        <translation>Prepared: %1 training and %2 validation examples; %3 of %4 parameters trainable (%5%); %6 steps on %7.</translation>
    </message>
    <message>
        <source>Validation at step %1: loss %2, perplexity %3</source>
        <translation>Validation at step %1: loss %2, perplexity %3</translation>
    </message>
    <message>
        <source>Step %1 / %2 (epoch %3)</source>
        <translation>Step %1 / %2 (epoch %3)</translation>
    </message>
    <message>
        <source>Loss %1</source>
        <translation>Loss %1</translation>
    </message>
    <message>
        <source>LR %1</source>
        <translation>LR %1</translation>
    </message>
    <message>
        <source>%1 tokens/s</source>
        <translation>%1 tokens/s</translation>
    </message>
    <message>
        <source>ETA %1</source>
        <translation>ETA %1</translation>
    </message>
    <message>
        <source>Memory %1 MiB</source>
        <translation>Memory %1 MiB</translation>
    </message>
    <message>
        <source>Continuing from the checkpoint of step %1</source>
        <translation>Continuing from the checkpoint of step %1</translation>
    </message>
    <message>
        <source>Step %1 / %2</source>
        <translation>Step %1 / %2</translation>
    </message>
    <message>
        <source>Packing: %1 training examples in %2 rows.</source>
        <translation>Packing: %1 training examples in %2 rows.</translation>
    </message>
    <message>
        <source>Validation at step %1: reward accuracy %2, margin %3</source>
        <translation>Validation at step %1: reward accuracy %2, margin %3</translation>
    </message>
    <message>
        <source>No checkpoint yet: the run starts again from step 0</source>
        <translation>No checkpoint yet: the run starts again from step 0</translation>
    </message>
</context>
<context>
    <name>WizardTour</name>
    <message>
        <source>What the model should learn</source>
        <translation>What the model should learn</translation>
    </message>
    <message>
        <source>The model</source>
        <translation>The model</translation>
    </message>
    <message>
        <source>Any Hugging Face model folder: config.json, safetensors weights and the tokenizer. Choose it here, or drop the folder on the main window. The demo&apos;s tiny Llama is already chosen.</source>
        <translation>Any Hugging Face model folder: config.json, safetensors weights and the tokenizer. Choose it here, or drop the folder on the main window. The demo&apos;s tiny Llama is already chosen.</translation>
    </message>
    <message>
        <source>What it is and what it needs</source>
        <translation>What it is and what it needs</translation>
    </message>
    <message>
        <source>Read from the folder: architecture, parameter count, stored dtype, chat template, and the memory its weights take.</source>
        <translation>Read from the folder: architecture, parameter count, stored dtype, chat template, and the memory its weights take.</translation>
    </message>
    <message>
        <source>The data</source>
        <translation>The data</translation>
    </message>
    <message>
        <source>JSONL, JSON, CSV/TSV or plain text; the record format (messages, ShareGPT, Alpaca, prompt/response, text) is detected. Rows that cannot be used are listed below with their line and the reason; the rest still trains.</source>
        <translation>JSONL, JSON, CSV/TSV or plain text; the record format (messages, ShareGPT, Alpaca, prompt/response, text) is detected. Rows that cannot be used are listed below with their line and the reason; the rest still trains.</translation>
    </message>
    <message>
        <source>The chat template</source>
        <translation>The chat template</translation>
    </message>
    <message>
        <source>Each example rendered with the model&apos;s own chat template, as transformers&apos; apply_chat_template renders it. A template error stops here, with its line, not in the middle of a run.</source>
        <translation>Each example rendered with the model&apos;s own chat template, as transformers&apos; apply_chat_template renders it. A template error stops here, with its line, not in the middle of a run.</translation>
    </message>
    <message>
        <source>What the model learns from</source>
        <translation>What the model learns from</translation>
    </message>
    <message>
        <source>The tokens of the example: ids, pieces, attention mask and loss mask. Only the marked tokens (the assistant&apos;s answer) carry loss; if an answer is not marked, the model learns nothing from it.</source>
        <translation>The tokens of the example: ids, pieces, attention mask and loss mask. Only the marked tokens (the assistant&apos;s answer) carry loss; if an answer is not marked, the model learns nothing from it.</translation>
    </message>
    <message>
        <source>The method</source>
        <translation>The method</translation>
    </message>
    <message>
        <source>Full fine-tuning changes every weight. LoRA trains small matrices beside frozen weights; QLoRA does the same over a 4-bit base to save memory. Adapter, prompt, P- and prefix tuning train fewer parameters still. Each method&apos;s settings appear below it.</source>
        <translation>Full fine-tuning changes every weight. LoRA trains small matrices beside frozen weights; QLoRA does the same over a 4-bit base to save memory. Adapter, prompt, P- and prefix tuning train fewer parameters still. Each method&apos;s settings appear below it.</translation>
    </message>
    <message>
        <source>Will it fit?</source>
        <translation>Will it fit?</translation>
    </message>
    <message>
        <source>The peak memory of the run, estimated for the model, method, batch and sequence length you chose, updated with every change.</source>
        <translation>The peak memory of the run, estimated for the model, method, batch and sequence length you chose, updated with every change.</translation>
    </message>
    <message>
        <source>Train</source>
        <translation>Train</translation>
    </message>
    <message>
        <source>Start the run and watch the loss fall. The validation loss (red) rising while the training loss falls means over-fitting. Pause, resume or cancel at any time. Next becomes available when the run has finished.</source>
        <translation>Start the run and watch the loss fall. The validation loss (red) rising while the training loss falls means over-fitting. Pause, resume or cancel at any time. Next becomes available when the run has finished.</translation>
    </message>
    <message>
        <source>Export and try</source>
        <translation>Export and try</translation>
    </message>
    <message>
        <source>Save a PEFT adapter (for transformers and peft), a merged model, or a GGUF adapter (for llama.cpp and Ollama). Then ask the base and the tuned model the same question side by side.</source>
        <translation>Save a PEFT adapter (for transformers and peft), a merged model, or a GGUF adapter (for llama.cpp and Ollama). Then ask the base and the tuned model the same question side by side.</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Back</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>Next</translation>
    </message>
    <message>
        <source>End tour</source>
        <translation>End tour</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 of %2</translation>
    </message>
    <message>
        <source>Finish</source>
        <translation>Finish</translation>
    </message>
    <message>
        <source>The tour goes on when this page is ready.</source>
        <translation>The tour goes on when this page is ready.</translation>
    </message>
    <message>
        <source>&lt;b&gt;Instruct fine-tuning&lt;/b&gt; teaches a model to answer your way, from conversations; the loss is taken only on the answers. &lt;b&gt;Base fine-tuning&lt;/b&gt; continues pre-training on plain text, for a domain&apos;s vocabulary and style. &lt;b&gt;Preference tuning&lt;/b&gt; then aligns a tuned model from pairs of better and worse answers. The demo is an instruct run.</source>
        <translation>&lt;b&gt;Instruct fine-tuning&lt;/b&gt; teaches a model to answer your way, from conversations; the loss is taken only on the answers. &lt;b&gt;Base fine-tuning&lt;/b&gt; continues pre-training on plain text, for a domain&apos;s vocabulary and style. &lt;b&gt;Preference tuning&lt;/b&gt; then aligns a tuned model from pairs of better and worse answers. The demo is an instruct run.</translation>
    </message>
    <message>
        <source>Did it help?</source>
        <translation>Did it help?</translation>
    </message>
    <message>
        <source>Evaluate runs the rows training held out through the base model and the tuned one: loss per example, both answers side by side, exact match, token F1 and ROUGE-L against the reference. Sort by the change in loss to see what improved and what got worse; Enter on a row opens it in the dataset editor.</source>
        <translation>Evaluate runs the rows training held out through the base model and the tuned one: loss per example, both answers side by side, exact match, token F1 and ROUGE-L against the reference. Sort by the change in loss to see what improved and what got worse; Enter on a row opens it in the dataset editor.</translation>
    </message>
</context>
</TS>
