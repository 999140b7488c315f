<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko_KR">
<context>
    <name>AdapterPanel</name>
    <message>
        <source>Bottleneck width:</source>
        <translation>병목 차원:</translation>
    </message>
    <message>
        <source>Activation:</source>
        <translation>활성화 함수:</translation>
    </message>
</context>
<context>
    <name>ChatTemplatePreview</name>
    <message>
        <source>Add the generation prompt</source>
        <translation>생성 프롬프트 추가</translation>
    </message>
    <message>
        <source>The model&apos;s own template</source>
        <translation>모델 자체 템플릿</translation>
    </message>
    <message>
        <source>Custom</source>
        <translation>사용자 지정</translation>
    </message>
    <message>
        <source>Jinja chat template</source>
        <translation>Jinja 채팅 템플릿</translation>
    </message>
    <message>
        <source>Example </source>
        <translation>예제 </translation>
    </message>
    <message>
        <source>Template:</source>
        <translation>템플릿:</translation>
    </message>
    <message>
        <source>Line %1: %2</source>
        <translation>%1행: %2</translation>
    </message>
    <message>
        <source>The model has no chat template. Choose a preset or write one, or use Base FT.</source>
        <translation>모델에 채팅 템플릿이 없습니다. 프리셋을 고르거나 직접 작성하거나, Base FT를 사용하세요.</translation>
    </message>
    <message>
        <source>The model has no chat template of its own: training will use this one. Ship it with the tuned model, or prompts will be formatted differently than in training.</source>
        <translation>모델에 자체 채팅 템플릿이 없으므로 학습에는 이 템플릿을 사용합니다. 미세 조정된 모델과 함께 배포하세요. 그렇지 않으면 프롬프트가 학습 때와 다르게 구성됩니다.</translation>
    </message>
    <message>
        <source>Training will use this template, not the model&apos;s own. Prompt the tuned model with the same template: tools that apply the model&apos;s template will format prompts differently than in training.</source>
        <translation>학습에는 모델 자체 템플릿이 아닌 이 템플릿을 사용합니다. 미세 조정된 모델에도 같은 템플릿으로 프롬프트를 넣으세요. 모델의 템플릿을 적용하는 도구는 프롬프트를 학습 때와 다르게 구성합니다.</translation>
    </message>
    <message numerus="yes">
        <source>%1 becomes %n pieces</source>
        <translation>
            <numerusform>%1 → 조각 %n개</numerusform>
        </translation>
    </message>
    <message>
        <source>This template&apos;s special tokens are not tokens of the model&apos;s tokenizer: %1. Training would learn them as plain text, piece by piece, not as the markers the model knows. Choose the model&apos;s own template or one written for its tokenizer.</source>
        <translation>이 템플릿의 특수 토큰은 모델 토크나이저의 토큰이 아닙니다: %1. 학습은 이것을 모델이 아는 표시가 아니라 조각조각 난 일반 텍스트로 배우게 됩니다. 모델 자체의 템플릿이나 이 토크나이저에 맞게 쓰인 템플릿을 고르세요.</translation>
    </message>
</context>
<context>
    <name>CsvFile</name>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>%1에 쓸 수 없습니다: %2</translation>
    </message>
</context>
<context>
    <name>DatasetAutosave</name>
    <message>
        <source>Cannot write the autosave %1: %2. Your edits are kept in memory; save soon.</source>
        <translation>자동 저장 파일 %1에 쓸 수 없습니다: %2. 편집 내용은 메모리에 남아 있으니 곧 저장하세요.</translation>
    </message>
    <message>
        <source>Cannot read the autosave %1: %2.</source>
        <translation>자동 저장 파일 %1을(를) 읽을 수 없습니다: %2.</translation>
    </message>
    <message>
        <source>%1 is not an autosave this version can read; it was left as it is.</source>
        <translation>%1은(는) 이 버전에서 읽을 수 있는 자동 저장 파일이 아닙니다. 파일은 그대로 두었습니다.</translation>
    </message>
    <message>
        <source>The dataset changed on disk after the autosave was made, so its edits no longer fit. The autosave was left at %1.</source>
        <translation>자동 저장 이후 디스크의 데이터셋이 바뀌어 저장된 편집 내용을 적용할 수 없습니다. 자동 저장 파일은 %1에 남겨 두었습니다.</translation>
    </message>
    <message>
        <source>The autosave %1 is damaged; it was left as it is.</source>
        <translation>자동 저장 파일 %1이(가) 손상되었습니다. 파일은 그대로 두었습니다.</translation>
    </message>
    <message>
        <source>Restore autosaved edits</source>
        <translation>자동 저장된 편집 내용 복원</translation>
    </message>
</context>
<context>
    <name>DatasetEditor</name>
    <message>
        <source>Invalid rows only</source>
        <translation>잘못된 행만</translation>
    </message>
    <message>
        <source>Add row</source>
        <translation>행 추가</translation>
    </message>
    <message>
        <source>Duplicate</source>
        <translation>복제</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>삭제</translation>
    </message>
    <message>
        <source>Move up</source>
        <translation>위로 이동</translation>
    </message>
    <message>
        <source>Move down</source>
        <translation>아래로 이동</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>실행 취소</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>다시 실행</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>저장</translation>
    </message>
    <message>
        <source>Search…</source>
        <translation>검색…</translation>
    </message>
    <message>
        <source>Restore edits</source>
        <translation>편집 내용 복원</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>버리기</translation>
    </message>
    <message>
        <source>Reading %1…</source>
        <translation>%1 읽는 중…</translation>
    </message>
    <message>
        <source>%1 has edits that were not saved (autosaved before the editor closed). Restore them?</source>
        <translation>%1에 저장하지 않은 편집 내용이 있습니다(편집기가 닫히기 전에 자동 저장됨). 복원할까요?</translation>
    </message>
    <message>
        <source>No dataset is open.</source>
        <translation>열린 데이터셋이 없습니다.</translation>
    </message>
    <message>
        <source>No dataset open</source>
        <translation>열린 데이터셋 없음</translation>
    </message>
    <message numerus="yes">
        <source>%n row(s)</source>
        <translation>
            <numerusform>%n행</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n invalid</source>
        <translation>
            <numerusform>잘못된 행 %n개</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n shown</source>
        <translation>
            <numerusform>%n행 표시</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The quality report reads every row into memory, so it is off for a file this large (%n row(s)). Invalid rows are still found: tick “Invalid rows only”. For the whole report, split the file.</source>
        <translation>
            <numerusform>품질 보고서는 모든 행을 메모리에 읽어 들이므로 이렇게 큰 파일(%n행)에서는 꺼져 있습니다. 잘못된 행은 그래도 찾습니다: “잘못된 행만”을 선택하세요. 전체 보고서가 필요하면 파일을 나누세요.</numerusform>
        </translation>
    </message>
    <message>
        <source>Available once every row is checked</source>
        <translation>모든 행을 검사하면 쓸 수 있습니다</translation>
    </message>
    <message>
        <source>checking rows… %1 %</source>
        <translation>행 검사 중… %1 %</translation>
    </message>
    <message>
        <source>searching… %1 %</source>
        <translation>검색 중… %1 %</translation>
    </message>
    <message>
        <source>%1 was saved as it was when you pressed Save; edits were undone or redone since. Save again.</source>
        <translation>%1은(는) 저장을 누른 때의 내용으로 저장되었습니다. 그 뒤에 편집을 실행 취소하거나 다시 실행했으니 다시 저장하세요.</translation>
    </message>
    <message>
        <source>saving… %1 %</source>
        <translation>저장 중… %1 %</translation>
    </message>
</context>
<context>
    <name>DatasetLoader</name>
    <message>
        <source>Cannot read %1: %2. Check that the file exists and that you may read it.</source>
        <translation>%1을(를) 읽을 수 없습니다: %2. 파일이 있는지, 읽기 권한이 있는지 확인하세요.</translation>
    </message>
    <message>
        <source>%1 is one JSON list; the editor works on JSON Lines. Save it as .jsonl with one record a line.</source>
        <translation>%1은(는) 하나의 JSON 목록입니다. 편집기는 JSON Lines 형식을 다룹니다. 한 줄에 레코드 하나씩 .jsonl로 저장하세요.</translation>
    </message>
    <message>
        <source>Line %1: %2. Close the quote (a quote inside a quoted field is written twice) and open the file again.</source>
        <translation>%1행: %2. 따옴표를 닫은 뒤(따옴표로 묶인 필드 안의 따옴표는 두 번 씁니다) 파일을 다시 여세요.</translation>
    </message>
    <message>
        <source>The file is empty: a CSV dataset needs a header row, e.g. prompt,response.</source>
        <translation>파일이 비어 있습니다. CSV 데이터셋에는 헤더 행이 필요합니다(예: prompt,response).</translation>
    </message>
</context>
<context>
    <name>DatasetPage</name>
    <message>
        <source>Choose the training data</source>
        <translation>학습 데이터 선택</translation>
    </message>
    <message>
        <source>JSONL, JSON, CSV/TSV or plain text. Bad rows are left out and listed below; nothing stops at the first one.</source>
        <translation>JSONL, JSON, CSV/TSV 또는 일반 텍스트. 잘못된 행은 제외하고 아래에 나열하며, 첫 오류에서 멈추지 않습니다.</translation>
    </message>
    <message>
        <source>Detect automatically</source>
        <translation>자동 감지</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>필드</translation>
    </message>
    <message>
        <source>Column in the file</source>
        <translation>파일의 열</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>위치</translation>
    </message>
    <message>
        <source>Why it was left out</source>
        <translation>제외된 이유</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>찾아보기(&amp;B)…</translation>
    </message>
    <message>
        <source>&amp;Reload</source>
        <translation>다시 불러오기(&amp;R)</translation>
    </message>
    <message>
        <source>File:</source>
        <translation>파일:</translation>
    </message>
    <message>
        <source>Record format:</source>
        <translation>레코드 형식:</translation>
    </message>
    <message>
        <source>Column mapping:</source>
        <translation>열 매핑:</translation>
    </message>
    <message>
        <source>Training data</source>
        <translation>학습 데이터</translation>
    </message>
    <message>
        <source>Datasets (*.jsonl *.json *.csv *.tsv *.txt);;All files (*)</source>
        <translation>데이터셋 (*.jsonl *.json *.csv *.tsv *.txt);;모든 파일 (*)</translation>
    </message>
    <message>
        <source>Choose a file.</source>
        <translation>파일을 선택하세요.</translation>
    </message>
    <message>
        <source>Reading %1 …</source>
        <translation>%1 읽는 중…</translation>
    </message>
    <message numerus="yes">
        <source>Format: %1%2 — %n usable example(s), %3 row(s) left out.</source>
        <translation>
            <numerusform>형식: %1%2 — 사용 가능한 예제 %n개, 제외된 행 %3개.</numerusform>
        </translation>
    </message>
    <message>
        <source> (detected)</source>
        <translation> (감지됨)</translation>
    </message>
    <message>
        <source>line %1</source>
        <translation>%1행</translation>
    </message>
</context>
<context>
    <name>DatasetQualityReport</name>
    <message>
        <source>unrecognized</source>
        <translation>인식할 수 없음</translation>
    </message>
    <message numerus="yes">
        <source>%n row(s) that training would leave out</source>
        <translation>
            <numerusform>학습에서 제외될 행 %n개</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n rows with the prompt “%1”</source>
        <translation>
            <numerusform>프롬프트가 “%1”인 행 %n개</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n different answers to the prompt “%1”</source>
        <translation>
            <numerusform>프롬프트 “%1”에 대한 서로 다른 답변 %n개</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n rows with nearly the same prompt as “%1”</source>
        <translation>
            <numerusform>“%1”과(와) 거의 같은 프롬프트를 가진 행 %n개</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n row(s) with an empty answer</source>
        <translation>
            <numerusform>답변이 비어 있는 행 %n개</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n row(s) with an answer under %1 characters</source>
        <translation>
            <numerusform>답변이 %1자 미만인 행 %n개</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n row(s) longer than %1 characters (mean %2 + %3σ)</source>
        <translation>
            <numerusform>%1자보다 긴 행 %n개 (평균 %2 + %3σ)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n row(s) longer than %1 tokens would be truncated</source>
        <translation>
            <numerusform>%1토큰보다 길어 잘릴 행 %n개</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n row(s) longer than %1 tokens would be truncated (estimated at 4 characters a token)</source>
        <translation>
            <numerusform>%1토큰보다 길어 잘릴 행 %n개 (토큰당 4자로 추정)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n row(s) not in the main format (%1): %2</source>
        <translation>
            <numerusform>주 형식(%1)이 아닌 행 %n개: %2</numerusform>
        </translation>
    </message>
    <message>
        <source>Invalid rows</source>
        <translation>잘못된 행</translation>
    </message>
    <message>
        <source>Duplicate prompts</source>
        <translation>중복 프롬프트</translation>
    </message>
    <message>
        <source>Near-duplicate prompts</source>
        <translation>유사 중복 프롬프트</translation>
    </message>
    <message>
        <source>Conflicting answers</source>
        <translation>상충하는 답변</translation>
    </message>
    <message>
        <source>Empty answers</source>
        <translation>빈 답변</translation>
    </message>
    <message>
        <source>Very short answers</source>
        <translation>매우 짧은 답변</translation>
    </message>
    <message>
        <source>Length outliers</source>
        <translation>길이 이상값</translation>
    </message>
    <message>
        <source>Truncated at the max length</source>
        <translation>최대 길이에서 잘림</translation>
    </message>
    <message>
        <source>Mixed formats</source>
        <translation>형식 혼재</translation>
    </message>
</context>
<context>
    <name>DatasetQualityWidget</name>
    <message>
        <source>Analyze</source>
        <translation>분석</translation>
    </message>
    <message>
        <source>Rows longer than this many tokens are reported as truncated.</source>
        <translation>이 토큰 수보다 긴 행은 잘린 것으로 보고합니다.</translation>
    </message>
    <message>
        <source>Finding</source>
        <translation>발견 사항</translation>
    </message>
    <message>
        <source>Rows</source>
        <translation>행</translation>
    </message>
    <message>
        <source>Max length (tokens):</source>
        <translation>최대 길이(토큰):</translation>
    </message>
    <message>
        <source>Analyzing…</source>
        <translation>분석 중…</translation>
    </message>
    <message numerus="yes">
        <source>No problems found in %n row(s).</source>
        <translation>
            <numerusform>%n개 행에서 문제를 찾지 못했습니다.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n finding(s).</source>
        <translation>
            <numerusform>발견 사항 %n개.</numerusform>
        </translation>
    </message>
    <message>
        <source>Token counts are estimates (4 characters a token); open a model for exact counts.</source>
        <translation>토큰 수는 추정치입니다(토큰당 4자). 정확한 수를 보려면 모델을 여세요.</translation>
    </message>
    <message>
        <source>The dataset changed since; analyze again.</source>
        <translation>그 뒤로 데이터셋이 바뀌었습니다. 다시 분석하세요.</translation>
    </message>
    <message>
        <source>Row %1</source>
        <translation>%1행</translation>
    </message>
    <message numerus="yes">
        <source>…and %n more</source>
        <translation>
            <numerusform>…외 %n개</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>…and %n more finding(s)</source>
        <translation>
            <numerusform>…외 발견 사항 %n개</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DatasetSchema</name>
    <message>
        <source>expected a value (a string in double quotes, a number, true/false/null, an object or a list) but found “%1”</source>
        <translation>값(큰따옴표로 감싼 문자열, 숫자, true/false/null, 객체 또는 리스트)이 와야 하는데 “%1”이(가) 있습니다</translation>
    </message>
    <message>
        <source>an object is not closed with } (or a comma is missing)</source>
        <translation>객체가 }로 닫히지 않았습니다(또는 쉼표가 빠졌습니다)</translation>
    </message>
    <message>
        <source>expected a colon after the key</source>
        <translation>키 다음에 콜론(:)이 와야 합니다</translation>
    </message>
    <message>
        <source>a list is not closed with ] (or a comma is missing)</source>
        <translation>리스트가 ]로 닫히지 않았습니다(또는 쉼표가 빠졌습니다)</translation>
    </message>
    <message>
        <source>expected a comma between two items</source>
        <translation>두 항목 사이에 쉼표가 와야 합니다</translation>
    </message>
    <message>
        <source>expected a value (a string in double quotes, a number, true/false/null, an object or a list)</source>
        <translation>값(큰따옴표로 감싼 문자열, 숫자, true/false/null, 객체 또는 리스트)이 와야 합니다</translation>
    </message>
    <message>
        <source>the text ends inside a number</source>
        <translation>숫자 도중에 텍스트가 끝납니다</translation>
    </message>
    <message>
        <source>a number is not written correctly</source>
        <translation>숫자 형식이 잘못되었습니다</translation>
    </message>
    <message>
        <source>a backslash in a string starts an escape that does not exist (write \\ for a backslash)</source>
        <translation>문자열 안의 백슬래시가 없는 이스케이프를 시작합니다(백슬래시 자체는 \\로 쓰세요)</translation>
    </message>
    <message>
        <source>a string holds bytes that are not valid UTF-8</source>
        <translation>문자열에 올바른 UTF-8이 아닌 바이트가 있습니다</translation>
    </message>
    <message>
        <source>a string is missing its closing quote</source>
        <translation>문자열을 닫는 따옴표가 없습니다</translation>
    </message>
    <message>
        <source>expected an object in braces { }</source>
        <translation>중괄호 { }로 감싼 객체가 와야 합니다</translation>
    </message>
    <message>
        <source>the objects and lists are nested too deeply</source>
        <translation>객체와 리스트가 너무 깊이 중첩되어 있습니다</translation>
    </message>
    <message>
        <source>the record is too large</source>
        <translation>레코드가 너무 큽니다</translation>
    </message>
    <message>
        <source>there is more text after the end of the record</source>
        <translation>레코드가 끝난 뒤에 텍스트가 더 있습니다</translation>
    </message>
</context>
<context>
    <name>DatasetTableModel</name>
    <message>
        <source>Status</source>
        <translation>상태</translation>
    </message>
    <message>
        <source>System</source>
        <translation>시스템</translation>
    </message>
    <message>
        <source>User</source>
        <translation>사용자</translation>
    </message>
    <message>
        <source>Assistant</source>
        <translation>어시스턴트</translation>
    </message>
    <message>
        <source>Conversation (JSON)</source>
        <translation>대화 (JSON)</translation>
    </message>
    <message>
        <source>Conversations (JSON)</source>
        <translation>대화 목록 (JSON)</translation>
    </message>
    <message>
        <source>Record (JSON)</source>
        <translation>레코드 (JSON)</translation>
    </message>
    <message>
        <source>Edit cell</source>
        <translation>셀 편집</translation>
    </message>
    <message>
        <source>Add row</source>
        <translation>행 추가</translation>
    </message>
    <message numerus="yes">
        <source>Duplicate %n row(s)</source>
        <translation>
            <numerusform>%n개 행 복제</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Delete %n row(s)</source>
        <translation>
            <numerusform>%n개 행 삭제</numerusform>
        </translation>
    </message>
    <message>
        <source>Move row up</source>
        <translation>행 위로 이동</translation>
    </message>
    <message>
        <source>Move row down</source>
        <translation>행 아래로 이동</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>정상</translation>
    </message>
    <message>
        <source>Not valid JSON</source>
        <translation>올바른 JSON이 아님</translation>
    </message>
    <message>
        <source>Not a JSON object</source>
        <translation>JSON 객체가 아님</translation>
    </message>
    <message>
        <source>No known fields (messages, conversations, instruction/output, prompt/response, text)</source>
        <translation>알려진 필드가 없음 (messages, conversations, instruction/output, prompt/response, text)</translation>
    </message>
    <message>
        <source>Wrong number of fields for the header</source>
        <translation>필드 수가 헤더와 맞지 않음</translation>
    </message>
    <message>
        <source>No “%1” message</source>
        <translation>“%1” 메시지 없음</translation>
    </message>
    <message>
        <source>Missing field “%1”</source>
        <translation>“%1” 필드 없음</translation>
    </message>
    <message>
        <source>Field “%1” is not text</source>
        <translation>“%1” 필드가 텍스트가 아님</translation>
    </message>
    <message>
        <source>Not a non-empty list of messages with a role and content</source>
        <translation>role과 content가 있는 메시지의 비어 있지 않은 목록이 아님</translation>
    </message>
    <message>
        <source>Unknown role (use system, user, assistant or tool)</source>
        <translation>알 수 없는 역할 (system, user, assistant, tool 중 하나를 사용하세요)</translation>
    </message>
    <message>
        <source>The last message is not from the assistant</source>
        <translation>마지막 메시지가 어시스턴트의 메시지가 아님</translation>
    </message>
    <message>
        <source>Empty prompt</source>
        <translation>빈 프롬프트</translation>
    </message>
    <message>
        <source>Empty answer</source>
        <translation>빈 답변</translation>
    </message>
    <message>
        <source>Empty text</source>
        <translation>빈 텍스트</translation>
    </message>
    <message>
        <source>Cannot save %1: %2. Check the free space and that the folder is writable.</source>
        <translation>%1을(를) 저장할 수 없습니다: %2. 남은 공간과 폴더 쓰기 권한을 확인하세요.</translation>
    </message>
    <message>
        <source>Line %1 of the file</source>
        <translation>파일의 %1번째 줄</translation>
    </message>
    <message>
        <source>Added here; written to the file when you save</source>
        <translation>여기서 추가됨. 저장하면 파일에 기록됩니다</translation>
    </message>
    <message>
        <source>Not valid JSON at line %1, column %2: %3</source>
        <translation>%1번째 줄 %2번째 칸이 올바른 JSON이 아닙니다: %3</translation>
    </message>
    <message>
        <source>Not valid JSON at column %1: %2</source>
        <translation>%1번째 칸이 올바른 JSON이 아닙니다: %2</translation>
    </message>
    <message>
        <source>No known fields</source>
        <translation>아는 필드가 없음</translation>
    </message>
    <message>
        <source>Wrong field count</source>
        <translation>필드 수가 맞지 않음</translation>
    </message>
    <message>
        <source>Missing “%1”</source>
        <translation>“%1” 없음</translation>
    </message>
    <message>
        <source>“%1” is not text</source>
        <translation>“%1”이(가) 텍스트가 아님</translation>
    </message>
    <message>
        <source>Bad message list</source>
        <translation>잘못된 메시지 목록</translation>
    </message>
    <message>
        <source>Unknown role</source>
        <translation>알 수 없는 역할</translation>
    </message>
    <message>
        <source>No answer at the end</source>
        <translation>마지막에 답이 없음</translation>
    </message>
    <message>
        <source>Cannot save %1: %2 could not be read back while saving (it was changed or removed outside the editor). Nothing was overwritten; save under another name.</source>
        <translation>%1을(를) 저장할 수 없습니다: 저장하는 동안 %2을(를) 다시 읽지 못했습니다(편집기 밖에서 바뀌었거나 지워졌습니다). 아무것도 덮어쓰지 않았습니다. 다른 이름으로 저장하세요.</translation>
    </message>
    <message>
        <source>Rows were added or deleted while %1 was being written; save again.</source>
        <translation>%1을(를) 쓰는 동안 행이 추가되거나 삭제되었습니다. 다시 저장하세요.</translation>
    </message>
</context>
<context>
    <name>ErrorText</name>
    <message>
        <source>File not found. Check the path.</source>
        <translation>파일을 찾을 수 없습니다. 경로를 확인하세요.</translation>
    </message>
    <message>
        <source>The file cannot be read. Check its permissions.</source>
        <translation>파일을 읽을 수 없습니다. 권한을 확인하세요.</translation>
    </message>
    <message>
        <source>Cannot write here. Check free space and permissions, or choose another folder.</source>
        <translation>여기에 쓸 수 없습니다. 남은 공간과 권한을 확인하거나 다른 폴더를 고르세요.</translation>
    </message>
    <message>
        <source>The file is malformed at the place shown. Fix it there and try again.</source>
        <translation>표시된 위치에서 파일 형식이 잘못되었습니다. 그 부분을 고친 뒤 다시 시도하세요.</translation>
    </message>
    <message>
        <source>A value cannot be used. Correct the field shown.</source>
        <translation>사용할 수 없는 값입니다. 표시된 항목을 고치세요.</translation>
    </message>
    <message>
        <source>A required field is missing. Add the field shown.</source>
        <translation>필수 항목이 없습니다. 표시된 항목을 추가하세요.</translation>
    </message>
    <message>
        <source>This is not supported yet.</source>
        <translation>아직 지원하지 않습니다.</translation>
    </message>
    <message>
        <source>The chat template rejected these messages.</source>
        <translation>채팅 템플릿이 이 메시지들을 거부했습니다.</translation>
    </message>
    <message>
        <source>A safety limit was reached: the input is too large or loops.</source>
        <translation>안전 한도에 도달했습니다: 입력이 너무 크거나 무한히 반복됩니다.</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>취소되었습니다.</translation>
    </message>
    <message>
        <source>Out of memory. Lower the batch size or sequence length, or switch to QLoRA.</source>
        <translation>메모리가 부족합니다. 배치 크기나 시퀀스 길이를 줄이거나 QLoRA로 바꾸세요.</translation>
    </message>
    <message>
        <source>The loss became NaN or infinite. Lower the learning rate.</source>
        <translation>손실이 NaN 또는 무한대가 되었습니다. 학습률을 낮추세요.</translation>
    </message>
    <message>
        <source>Internal error. Please report it.</source>
        <translation>내부 오류입니다. 보고해 주세요.</translation>
    </message>
</context>
<context>
    <name>EvalTableModel</name>
    <message>
        <source>base</source>
        <translation>기본</translation>
    </message>
    <message>
        <source>Line</source>
        <translation>줄</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>프롬프트</translation>
    </message>
    <message>
        <source>Reference</source>
        <translation>참조 답변</translation>
    </message>
    <message>
        <source>%1 answer</source>
        <translation>%1 답변</translation>
    </message>
    <message>
        <source>%1 loss</source>
        <translation>%1 손실</translation>
    </message>
    <message>
        <source>Δ loss %1</source>
        <translation>Δ 손실 %1</translation>
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
        <translation>평가를 취소했습니다.</translation>
    </message>
    <message>
        <source>Evaluation failed: %1</source>
        <translation>평가 실패: %1</translation>
    </message>
    <message>
        <source>The tuned models to compare with the base model: the project&apos;s runs (their newest checkpoint) and folders you add. Space checks or unchecks one.</source>
        <translation>기본 모델과 비교할 미세 조정 모델입니다. 프로젝트의 실행(가장 최근 체크포인트)과 직접 추가한 폴더가 있습니다. 스페이스 키로 체크하거나 해제합니다.</translation>
    </message>
    <message>
        <source>Add fol&amp;der…</source>
        <translation>폴더 추가(&amp;D)…</translation>
    </message>
    <message>
        <source>An exported adapter or a merged model folder</source>
        <translation>내보낸 어댑터 또는 병합된 모델 폴더</translation>
    </message>
    <message>
        <source>The project&apos;s held-out rows</source>
        <translation>프로젝트의 검증용으로 떼어 둔 행</translation>
    </message>
    <message>
        <source>Every row of a file…</source>
        <translation>파일의 모든 행…</translation>
    </message>
    <message>
        <source>Rows to evaluate on</source>
        <translation>평가할 행</translation>
    </message>
    <message>
        <source>Datasets (*.jsonl *.json *.csv *.tsv *.txt)</source>
        <translation>데이터셋 (*.jsonl *.json *.csv *.tsv *.txt)</translation>
    </message>
    <message>
        <source>Longest answer generated per row (greedy decoding)</source>
        <translation>행마다 생성할 답변의 최대 길이 (그리디 디코딩)</translation>
    </message>
    <message>
        <source>Eval&amp;uate</source>
        <translation>평가(&amp;U)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>취소</translation>
    </message>
    <message>
        <source>Choose the models to compare, then Evaluate.</source>
        <translation>비교할 모델을 고른 뒤 평가를 누르세요.</translation>
    </message>
    <message>
        <source>Tuned &amp;models:</source>
        <translation>미세 조정 모델(&amp;M):</translation>
    </message>
    <message>
        <source>Max new to&amp;kens:</source>
        <translation>최대 새 토큰(&amp;K):</translation>
    </message>
    <message>
        <source>Ro&amp;ws to use:</source>
        <translation>사용할 행(&amp;W):</translation>
    </message>
    <message>
        <source>Base loss</source>
        <translation>기본 모델 손실</translation>
    </message>
    <message>
        <source>Tuned loss</source>
        <translation>미세 조정 모델 손실</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>스텝</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>손실</translation>
    </message>
    <message>
        <source>Per-example loss</source>
        <translation>예제별 손실</translation>
    </message>
    <message>
        <source>Answer metrics</source>
        <translation>답변 지표</translation>
    </message>
    <message>
        <source>Loss curves</source>
        <translation>손실 곡선</translation>
    </message>
    <message>
        <source>Filter rows (prompt, answers, reference)…</source>
        <translation>행 필터 (프롬프트, 답변, 참조 답변)…</translation>
    </message>
    <message>
        <source>&amp;Improvements first</source>
        <translation>개선된 순(&amp;I)</translation>
    </message>
    <message>
        <source>Re&amp;gressions first</source>
        <translation>나빠진 순(&amp;G)</translation>
    </message>
    <message>
        <source>Save re&amp;port…</source>
        <translation>보고서 저장(&amp;P)…</translation>
    </message>
    <message>
        <source>Save evaluation report</source>
        <translation>평가 보고서 저장</translation>
    </message>
    <message>
        <source>HTML report (*.html)</source>
        <translation>HTML 보고서 (*.html)</translation>
    </message>
    <message>
        <source>Save &amp;JSONL…</source>
        <translation>JSONL 저장(&amp;J)…</translation>
    </message>
    <message>
        <source>Save evaluation rows</source>
        <translation>평가 행 저장</translation>
    </message>
    <message>
        <source>JSON lines (*.jsonl)</source>
        <translation>JSON lines (*.jsonl)</translation>
    </message>
    <message>
        <source>&amp;Open results…</source>
        <translation>결과 열기(&amp;O)…</translation>
    </message>
    <message>
        <source>Open evaluation rows</source>
        <translation>평가 행 열기</translation>
    </message>
    <message>
        <source>Double-click or press Enter on a row to open it in the dataset editor.</source>
        <translation>행을 두 번 클릭하거나 Enter를 누르면 데이터셋 편집기에서 그 행을 엽니다.</translation>
    </message>
    <message>
        <source>No run of this project has a checkpoint yet: train first, or add an exported folder.</source>
        <translation>이 프로젝트에는 아직 체크포인트가 있는 실행이 없습니다. 먼저 학습하거나 내보낸 폴더를 추가하세요.</translation>
    </message>
    <message>
        <source>Every row of %1</source>
        <translation>%1의 모든 행</translation>
    </message>
    <message>
        <source>An exported adapter or merged model</source>
        <translation>내보낸 어댑터 또는 병합된 모델</translation>
    </message>
    <message>
        <source>Check at least one tuned model to compare with the base.</source>
        <translation>기본 모델과 비교할 미세 조정 모델을 하나 이상 체크하세요.</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>불러오는 중…</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>취소하는 중…</translation>
    </message>
    <message>
        <source>base model</source>
        <translation>기본 모델</translation>
    </message>
    <message>
        <source>tuned model %1 of %2</source>
        <translation>미세 조정 모델 %1/%2</translation>
    </message>
    <message>
        <source>loading</source>
        <translation>불러오는 중</translation>
    </message>
    <message>
        <source>scoring losses</source>
        <translation>손실 계산 중</translation>
    </message>
    <message>
        <source>generating answers</source>
        <translation>답변 생성 중</translation>
    </message>
    <message>
        <source>Evaluating the %1: %2…</source>
        <translation>%1 평가 중: %2…</translation>
    </message>
    <message numerus="yes">
        <source>%n example(s) from %1, evaluated in %2 s.</source>
        <translation>
            <numerusform>%1의 예제 %n개를 %2초 동안 평가했습니다.</numerusform>
        </translation>
    </message>
    <message>
        <source>the held-out rows</source>
        <translation>검증용 행</translation>
    </message>
    <message numerus="yes">
        <source>%n bad row(s) left out; the first: %1</source>
        <translation>
            <numerusform>잘못된 행 %n개를 제외했습니다. 첫 번째: %1</numerusform>
        </translation>
    </message>
    <message>
        <source>Model</source>
        <translation>모델</translation>
    </message>
    <message>
        <source>Perplexity</source>
        <translation>퍼플렉서티</translation>
    </message>
    <message>
        <source>Exact match</source>
        <translation>정확히 일치</translation>
    </message>
    <message>
        <source>Token F1</source>
        <translation>토큰 F1</translation>
    </message>
    <message>
        <source>ROUGE-L</source>
        <translation>ROUGE-L</translation>
    </message>
    <message>
        <source>ROUGE-L (Unicode words)</source>
        <translation>ROUGE-L (유니코드 단어)</translation>
    </message>
    <message>
        <source>Reward accuracy</source>
        <translation>보상 정확도</translation>
    </message>
    <message>
        <source>Reward margin</source>
        <translation>보상 마진</translation>
    </message>
    <message>
        <source>base</source>
        <translation>기본</translation>
    </message>
    <message>
        <source>ROUGE-L as rouge-score computes it keeps only a–z and 0–9, so Korean answers score 0 there; the Unicode column counts words of any script.</source>
        <translation>rouge-score 방식의 ROUGE-L은 a–z와 0–9만 남기므로 한국어 답변은 0점이 됩니다. 유니코드 열은 모든 문자의 단어를 셉니다.</translation>
    </message>
    <message>
        <source>no change</source>
        <translation>변화 없음</translation>
    </message>
    <message>
        <source>ROUGE-L (Unicode)</source>
        <translation>ROUGE-L (유니코드)</translation>
    </message>
    <message>
        <source>Mean over rows</source>
        <translation>행 평균</translation>
    </message>
    <message>
        <source>%1 (validation)</source>
        <translation>%1 (검증)</translation>
    </message>
</context>
<context>
    <name>EvaluatePage</name>
    <message>
        <source>Evaluate</source>
        <translation>평가</translation>
    </message>
    <message>
        <source>Compare the base model and the tuned one on the rows training held out: loss per example, their answers side by side, and how close each answer is to the reference. The examples whose loss stays high after training are where bad data hides: Enter on a row opens it in the dataset editor.</source>
        <translation>학습에서 떼어 둔 행으로 기본 모델과 미세 조정 모델을 비교합니다. 예제별 손실, 나란히 놓인 두 답변, 각 답변이 참조 답변에 얼마나 가까운지를 봅니다. 학습 후에도 손실이 높은 예제에 나쁜 데이터가 숨어 있습니다. 행에서 Enter를 누르면 데이터셋 편집기에서 엽니다.</translation>
    </message>
</context>
<context>
    <name>ExportPage</name>
    <message>
        <source>&amp;Export</source>
        <translation>내보내기(&amp;E)</translation>
    </message>
    <message>
        <source>Export and try</source>
        <translation>내보내기 및 사용해 보기</translation>
    </message>
    <message>
        <source>Export as</source>
        <translation>내보내기 형식</translation>
    </message>
    <message>
        <source>PEFT adapter folder (small; load it over the base model with peft or this app)</source>
        <translation>PEFT 어댑터 폴더 (작은 크기, peft나 이 앱으로 기본 모델 위에 불러옴)</translation>
    </message>
    <message>
        <source>Merged model (the adapter folded into a full copy of the base weights)</source>
        <translation>병합된 모델 (어댑터를 기본 가중치의 전체 사본에 합침)</translation>
    </message>
    <message>
        <source>GGUF LoRA adapter for llama.cpp</source>
        <translation>llama.cpp용 GGUF LoRA 어댑터</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>찾아보기(&amp;B)…</translation>
    </message>
    <message>
        <source>Try it: base and tuned model side by side</source>
        <translation>사용해 보기: 기본 모델과 미세 조정된 모델 나란히 비교</translation>
    </message>
    <message>
        <source>GGUF file</source>
        <translation>GGUF 파일</translation>
    </message>
    <message>
        <source>GGUF (*.gguf)</source>
        <translation>GGUF (*.gguf)</translation>
    </message>
    <message>
        <source>Export into</source>
        <translation>내보낼 폴더</translation>
    </message>
    <message>
        <source>Train first: there is no finished run to export.</source>
        <translation>먼저 학습하세요: 내보낼 완료된 학습이 없습니다.</translation>
    </message>
    <message>
        <source>Exporting to %1 …</source>
        <translation>%1(으)로 내보내는 중…</translation>
    </message>
    <message>
        <source>Exported to %1</source>
        <translation>%1(으)로 내보냈습니다</translation>
    </message>
    <message>
        <source>A full fine-tune is exported as a merged model; open that folder to chat with it.</source>
        <translation>전체 미세 조정은 병합된 모델로 내보냅니다. 대화하려면 그 폴더를 여세요.</translation>
    </message>
    <message>
        <source>Run %1 stopped at step %2 of %3: its last checkpoint is what gets exported.</source>
        <translation>학습 %1은(는) %3 스텝 중 %2 스텝에서 멈췄습니다. 마지막 체크포인트를 내보냅니다.</translation>
    </message>
</context>
<context>
    <name>FineTuneWizard</name>
    <message>
        <source>Fine-tuning Wizard</source>
        <translation>미세 조정 마법사</translation>
    </message>
</context>
<context>
    <name>FormattingPage</name>
    <message>
        <source>Also take the loss on the prompt</source>
        <translation>프롬프트에도 손실 적용</translation>
    </message>
    <message>
        <source>Formatting</source>
        <translation>형식 지정</translation>
    </message>
    <message>
        <source> tokens</source>
        <translation> 토큰</translation>
    </message>
    <message>
        <source>Maximum sequence length:</source>
        <translation>최대 시퀀스 길이:</translation>
    </message>
    <message>
        <source>Documents are tokenized with BOS/EOS as the model&apos;s tokenizer says, joined, and cut into blocks of this many tokens; the remainder shorter than a block is dropped.</source>
        <translation>문서는 모델 토크나이저의 설정대로 BOS/EOS를 붙여 토큰화한 뒤 이어 붙이고, 이 토큰 수만큼의 블록으로 자릅니다. 블록보다 짧은 나머지는 버립니다.</translation>
    </message>
    <message>
        <source>Block size:</source>
        <translation>블록 크기:</translation>
    </message>
    <message>
        <source>The chat template turns each conversation into text; only the assistant&apos;s tokens are trained (green).</source>
        <translation>채팅 템플릿이 각 대화를 텍스트로 바꿉니다. 어시스턴트의 토큰(녹색)만 학습합니다.</translation>
    </message>
    <message>
        <source>Base FT trains on every token of fixed-length blocks.</source>
        <translation>Base FT는 고정 길이 블록의 모든 토큰을 학습합니다.</translation>
    </message>
    <message>
        <source>Pack several examples into each row</source>
        <translation>한 행에 여러 예제 담기</translation>
    </message>
    <message>
        <source>Short examples share a row up to the maximum length, so no padding is computed: training runs faster. Each example keeps its own positions and sees only itself, so its loss is the same as alone. Prompt tuning and P-tuning do not pack.</source>
        <translation>짧은 예제들이 최대 길이까지 한 행을 나눠 쓰므로 패딩을 계산하지 않아 학습이 빨라집니다. 각 예제는 자기 위치를 유지하고 자기 자신만 보므로 손실은 따로 학습할 때와 같습니다. 프롬프트 튜닝과 P-tuning은 패킹하지 않습니다.</translation>
    </message>
    <message>
        <source>The chat template renders each prompt and both answers; the loss compares the answers&apos; tokens (green), summed, between chosen and rejected.</source>
        <translation>채팅 템플릿이 각 프롬프트와 두 답변을 렌더링합니다. 손실은 선택된 답변과 거부된 답변의 토큰(초록색) 로그 확률 합을 비교합니다.</translation>
    </message>
</context>
<context>
    <name>FullPanel</name>
    <message>
        <source>Every weight of the model is trained. This gives the most capacity and needs the most memory: weights, gradients and two optimizer moments per parameter. The result is a whole new model, exported merged.</source>
        <translation>모델의 모든 가중치를 학습합니다. 표현력이 가장 크지만 메모리도 가장 많이 필요합니다: 파라미터마다 가중치, 그래디언트, 옵티마이저 모멘트 두 개가 필요합니다. 결과는 완전히 새로운 모델이며, 병합된 형태로 내보냅니다.</translation>
    </message>
</context>
<context>
    <name>GoalPage</name>
    <message>
        <source>&amp;Instruct fine-tuning</source>
        <translation>Instruct 미세 조정(&amp;I)</translation>
    </message>
    <message>
        <source>&amp;Base fine-tuning (continued pre-training)</source>
        <translation>Base 미세 조정 (연속 사전 학습)(&amp;B)</translation>
    </message>
    <message>
        <source>What do you want the model to learn?</source>
        <translation>모델에게 무엇을 가르칠까요?</translation>
    </message>
    <message>
        <source>Teaches a model to answer in a certain way: a format, a tone, a task, a language. The data is conversations (instruction and answer); the loss is taken only on the answers. Use it when the model knows enough but does not respond the way you want.</source>
        <translation>모델이 특정 방식으로 답하도록 가르칩니다: 형식, 어조, 작업, 언어. 데이터는 대화(지시와 답변)이며, 손실은 답변에서만 계산합니다. 모델이 충분히 알고 있지만 원하는 방식으로 답하지 않을 때 사용하세요.</translation>
    </message>
    <message>
        <source>Continues pre-training on plain text: documents are joined and cut into blocks, and the model learns to predict every token. Use it to adapt a model to a domain&apos;s vocabulary and style (legal, medical, code, another language) before or instead of instruction tuning.</source>
        <translation>일반 텍스트로 사전 학습을 이어 갑니다: 문서를 이어 붙여 블록으로 자르고, 모델이 모든 토큰을 예측하도록 학습합니다. 지시 튜닝에 앞서 또는 그 대신, 모델을 특정 분야의 어휘와 문체(법률, 의료, 코드, 다른 언어)에 맞출 때 사용하세요.</translation>
    </message>
    <message>
        <source>&lt;b&gt;Note:&lt;/b&gt; if the model lacks facts it needs at answer time (your documents, recent events, product data), that is usually a retrieval problem first: give it the documents in the prompt (RAG). Fine-tuning shapes behaviour; it is a poor and costly way to store facts that change.</source>
        <translation>&lt;b&gt;참고:&lt;/b&gt; 답변할 때 필요한 사실(내 문서, 최근 사건, 제품 데이터)을 모델이 모른다면, 대개 먼저 검색으로 해결할 문제입니다: 프롬프트에 문서를 넣어 주세요(RAG). 미세 조정은 모델의 행동 방식을 다듬는 것이며, 바뀌는 사실을 저장하기에는 비효율적이고 비용이 큰 방법입니다.</translation>
    </message>
    <message>
        <source>&amp;Preference tuning (DPO, ORPO, KTO)</source>
        <translation>선호도 튜닝 (DPO, ORPO, KTO)(&amp;P)</translation>
    </message>
    <message>
        <source>Preference loss</source>
        <translation>선호도 손실</translation>
    </message>
    <message>
        <source>Aligns a model that already follows instructions (usually after instruct fine-tuning), from pairs of a better and a worse answer to the same prompt, or from answers labelled good or bad (KTO). The model learns to make the chosen answers more likely than the rejected ones, relative to where it started. Use it when you can tell which answer is better more easily than you can write the best one. The starting model serves as the reference without a second copy in memory.</source>
        <translation>이미 지시를 따르는 모델(보통 Instruct 미세 조정 뒤)을 같은 프롬프트에 대한 더 나은 답변과 더 못한 답변의 쌍, 또는 좋음/나쁨 레이블이 붙은 답변(KTO)으로 정렬합니다. 모델은 시작 지점에 비해 선택된 답변을 거부된 답변보다 더 그럴듯하게 만드는 법을 배웁니다. 가장 좋은 답을 직접 쓰기보다 어느 답이 더 나은지 고르기가 쉬울 때 쓰세요. 시작 모델이 메모리에 두 번째 사본 없이 참조 모델 역할을 합니다.</translation>
    </message>
    <message>
        <source>DPO — the standard (sigmoid)</source>
        <translation>DPO — 표준 (시그모이드)</translation>
    </message>
    <message>
        <source>IPO — DPO that does not overfit the pairs</source>
        <translation>IPO — 쌍에 과적합하지 않는 DPO</translation>
    </message>
    <message>
        <source>Hinge (SLiC)</source>
        <translation>힌지 (SLiC)</translation>
    </message>
    <message>
        <source>Robust DPO — some pairs may be the wrong way round</source>
        <translation>Robust DPO — 일부 쌍의 선호가 뒤바뀌었을 수 있을 때</translation>
    </message>
    <message>
        <source>ORPO — no reference; adds the answers&apos; likelihood</source>
        <translation>ORPO — 참조 모델 없음; 답변의 우도 항을 더함</translation>
    </message>
    <message>
        <source>KTO — answers labelled good or bad</source>
        <translation>KTO — 좋음/나쁨 레이블이 붙은 답변</translation>
    </message>
    <message>
        <source>&amp;Loss:</source>
        <translation>손실(&amp;L):</translation>
    </message>
    <message>
        <source>Be&amp;ta:</source>
        <translation>베타(&amp;T):</translation>
    </message>
    <message>
        <source>Label &amp;smoothing:</source>
        <translation>레이블 스무딩(&amp;S):</translation>
    </message>
    <message>
        <source>&amp;Desirable weight:</source>
        <translation>바람직한 답변 가중치(&amp;D):</translation>
    </message>
    <message>
        <source>&amp;Undesirable weight:</source>
        <translation>바람직하지 않은 답변 가중치(&amp;U):</translation>
    </message>
    <message>
        <source>Beta is ORPO&apos;s λ, the weight of the odds-ratio term beside the chosen answers&apos; likelihood (0.1 in TRL). No reference model is used.</source>
        <translation>베타는 ORPO의 λ로, 선택된 답변의 우도 항 옆에 붙는 오즈비 항의 가중치입니다(TRL 기본값 0.1). 참조 모델은 쓰지 않습니다.</translation>
    </message>
    <message>
        <source>Rows are answers labelled desirable or not (pairs are split into one of each). Beta (0.1 in TRL) sets how far the model may move from the reference; the weights balance desirable against undesirable answers. Needs a batch size of 2 or more.</source>
        <translation>각 행은 바람직한지 여부가 표시된 답변입니다(쌍은 하나씩 둘로 나뉩니다). 베타(TRL 기본값 0.1)는 모델이 참조에서 얼마나 멀어질 수 있는지를 정하고, 가중치는 바람직한 답변과 바람직하지 않은 답변의 균형을 맞춥니다. 배치 크기가 2 이상이어야 합니다.</translation>
    </message>
    <message>
        <source>Beta sets the margin IPO aims for (1 / 2β in average log-probability per token); smaller beta, larger margin.</source>
        <translation>베타는 IPO가 목표로 하는 마진을 정합니다(토큰당 평균 로그 확률로 1 / 2β). 베타가 작을수록 마진이 큽니다.</translation>
    </message>
    <message>
        <source>Beta (0.1 in TRL) sets how far the model may move from the reference: lower lets it drift further from where it started.</source>
        <translation>베타(TRL 기본값 0.1)는 모델이 참조에서 얼마나 멀어질 수 있는지를 정합니다. 낮을수록 시작 지점에서 더 멀리 벗어날 수 있습니다.</translation>
    </message>
</context>
<context>
    <name>HubDownloadDialog</name>
    <message>
        <source>%1 is gated or private. Accept its terms on its Hub page while logged in, then set HF_TOKEN to a token of that account (or run `huggingface-cli login`) and restart Finetune Studio.</source>
        <translation>%1은(는) 접근이 제한되었거나 비공개입니다. 로그인한 상태로 Hub 페이지에서 이용 약관에 동의한 뒤, HF_TOKEN을 그 계정의 토큰으로 설정하고(또는 `huggingface-cli login` 실행) Finetune Studio를 다시 시작하세요.</translation>
    </message>
    <message>
        <source>%1 was not found on the Hub (or is private). Check the spelling: ORG/NAME as in the address of its Hub page, and the revision after @.</source>
        <translation>Hub에서 %1을(를) 찾지 못했습니다(또는 비공개입니다). 철자를 확인하세요: Hub 페이지 주소에 있는 ORG/NAME, 그리고 @ 뒤의 리비전.</translation>
    </message>
    <message>
        <source>Could not reach %1. Check the network connection; with HF_HUB_OFFLINE=1 the models already in the cache are used.</source>
        <translation>%1에 연결할 수 없습니다. 네트워크 연결을 확인하세요. HF_HUB_OFFLINE=1이면 캐시에 이미 있는 모델을 씁니다.</translation>
    </message>
    <message>
        <source>The download was interrupted. What arrived is kept: click Download to resume.</source>
        <translation>다운로드가 중단되었습니다. 받은 부분은 보관됩니다: 다운로드를 눌러 이어서 받으세요.</translation>
    </message>
    <message>
        <source>%1 arrived corrupted and was discarded. Click Download to fetch it again.</source>
        <translation>%1이(가) 손상된 채 도착해 버렸습니다. 다운로드를 눌러 다시 받으세요.</translation>
    </message>
    <message>
        <source>HF_HUB_OFFLINE is set and %1 is not in the Hub cache. Unset HF_HUB_OFFLINE to download it.</source>
        <translation>HF_HUB_OFFLINE이 설정되어 있고 %1은(는) Hub 캐시에 없습니다. 받으려면 HF_HUB_OFFLINE 설정을 지우세요.</translation>
    </message>
    <message>
        <source>%1 has no safetensors weights, and Finetune Studio reads only those. Choose another repo.</source>
        <translation>%1에는 safetensors 가중치가 없고 Finetune Studio는 그것만 읽습니다. 다른 저장소를 고르세요.</translation>
    </message>
    <message>
        <source>Cancelled. The files already complete are kept in the Hub cache; click Download to resume.</source>
        <translation>취소했습니다. 이미 다 받은 파일은 Hub 캐시에 보관됩니다. 다운로드를 눌러 이어서 받으세요.</translation>
    </message>
    <message>
        <source>estimating</source>
        <translation>계산 중</translation>
    </message>
    <message numerus="yes">
        <source>%n s left</source>
        <translation>
            <numerusform>%n초 남음</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 min %2 s left</source>
        <translation>%1분 %2초 남음</translation>
    </message>
    <message>
        <source>%1 h %2 min left</source>
        <translation>%1시간 %2분 남음</translation>
    </message>
    <message>
        <source>Download a model</source>
        <translation>모델 다운로드</translation>
    </message>
    <message>
        <source>The model&apos;s name on the Hugging Face Hub, as ORG/NAME or ORG/NAME@REVISION. Only what training needs is downloaded, into the Hub cache (%1), where transformers finds it too.</source>
        <translation>Hugging Face Hub의 모델 이름(ORG/NAME 또는 ORG/NAME@REVISION). 학습에 필요한 파일만 Hub 캐시(%1)에 받으며, transformers도 거기서 찾습니다.</translation>
    </message>
    <message>
        <source>&amp;Download</source>
        <translation>다운로드(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>취소(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation>닫기(&amp;C)</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not a Hub model name. Write ORG/NAME, or ORG/NAME@REVISION for a branch, tag or commit.</source>
        <translation>&apos;%1&apos;은(는) Hub 모델 이름이 아닙니다. ORG/NAME으로 쓰고, 브랜치·태그·커밋은 ORG/NAME@REVISION으로 쓰세요.</translation>
    </message>
    <message>
        <source>Asking the Hub for %1 …</source>
        <translation>Hub에 %1을(를) 묻는 중 …</translation>
    </message>
    <message>
        <source>%1 (file %2 of %3): %4 of %5</source>
        <translation>%1 (파일 %3개 중 %2번째): %5 중 %4</translation>
    </message>
    <message>
        <source>%1 of %2 · %3/s · %4</source>
        <translation>%2 중 %1 · %3/s · %4</translation>
    </message>
    <message>
        <source>Cancelling …</source>
        <translation>취소하는 중 …</translation>
    </message>
</context>
<context>
    <name>LoraPanel</name>
    <message>
        <source>rsLoRA: scale by alpha / √r instead of alpha / r</source>
        <translation>rsLoRA: alpha / r 대신 alpha / √r로 스케일링</translation>
    </message>
    <message>
        <source>none</source>
        <translation>없음</translation>
    </message>
    <message>
        <source>all</source>
        <translation>전체</translation>
    </message>
    <message>
        <source>LoRA layers only</source>
        <translation>LoRA 레이어만</translation>
    </message>
    <message>
        <source>Target modules</source>
        <translation>대상 모듈</translation>
    </message>
    <message>
        <source>Rank r:</source>
        <translation>랭크 r:</translation>
    </message>
    <message>
        <source>Alpha:</source>
        <translation>알파:</translation>
    </message>
    <message>
        <source>Dropout:</source>
        <translation>드롭아웃:</translation>
    </message>
    <message>
        <source>Bias:</source>
        <translation>바이어스:</translation>
    </message>
</context>
<context>
    <name>LossPlot</name>
    <message>
        <source>Training loss</source>
        <translation>학습 손실</translation>
    </message>
    <message>
        <source>Validation loss</source>
        <translation>검증 손실</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>스텝</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>손실</translation>
    </message>
    <message>
        <source>Training loss (smoothed)</source>
        <translation>학습 손실 (평활화)</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>학습률</translation>
    </message>
    <message>
        <source>Tokens/s</source>
        <translation>토큰/초</translation>
    </message>
    <message>
        <source>Reset &amp;Zoom</source>
        <translation>확대 초기화(&amp;Z)</translation>
    </message>
    <message>
        <source>Show &amp;Tokens/s</source>
        <translation>토큰/초 표시(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Smoothing</source>
        <translation>평활화(&amp;S)</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>끔</translation>
    </message>
    <message>
        <source>Export &amp;PNG…</source>
        <translation>PNG로 내보내기(&amp;P)…</translation>
    </message>
    <message>
        <source>Export &amp;CSV…</source>
        <translation>CSV로 내보내기(&amp;C)…</translation>
    </message>
    <message>
        <source>Export Plot as PNG</source>
        <translation>그래프를 PNG로 내보내기</translation>
    </message>
    <message>
        <source>PNG image (*.png)</source>
        <translation>PNG 이미지 (*.png)</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>내보내기 실패</translation>
    </message>
    <message>
        <source>Cannot write %1.</source>
        <translation>%1에 쓸 수 없습니다.</translation>
    </message>
    <message>
        <source>Export Curves as CSV</source>
        <translation>곡선을 CSV로 내보내기</translation>
    </message>
    <message>
        <source>CSV file (*.csv)</source>
        <translation>CSV 파일 (*.csv)</translation>
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
        <translation>학습 완료</translation>
    </message>
    <message>
        <source>Training stopped</source>
        <translation>학습 중단됨</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>내보내기 실패</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>파일(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Open Project…</source>
        <translation>프로젝트 열기(&amp;O)…</translation>
    </message>
    <message>
        <source>Open Project</source>
        <translation>프로젝트 열기</translation>
    </message>
    <message>
        <source>Finetune Studio project (*.json)</source>
        <translation>Finetune Studio 프로젝트 (*.json)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>끝내기(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Start Training</source>
        <translation>학습 시작(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation>일시 정지(&amp;P)</translation>
    </message>
    <message>
        <source>Resumed</source>
        <translation>다시 시작함</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>일시 정지함</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>취소(&amp;C)</translation>
    </message>
    <message>
        <source>E&amp;xport</source>
        <translation>내보내기(&amp;X)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>보기(&amp;V)</translation>
    </message>
    <message>
        <source>Reset &amp;Zoom</source>
        <translation>확대 초기화(&amp;Z)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>도움말(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About Finetune Studio</source>
        <translation>Finetune Studio 정보(&amp;A)</translation>
    </message>
    <message>
        <source>About Finetune Studio</source>
        <translation>Finetune Studio 정보</translation>
    </message>
    <message>
        <source>Finetune Studio %1
Fine-tune language models on your own machine.</source>
        <translation>Finetune Studio %1
내 컴퓨터에서 언어 모델을 파인튜닝합니다.</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>학습</translation>
    </message>
    <message>
        <source>&amp;Resume</source>
        <translation>다시 시작(&amp;R)</translation>
    </message>
    <message>
        <source>Project: %1 — model %2, data %3</source>
        <translation>프로젝트: %1 — 모델 %2, 데이터 %3</translation>
    </message>
    <message>
        <source>Opened %1</source>
        <translation>%1을(를) 열었습니다</translation>
    </message>
    <message>
        <source>Cannot open project</source>
        <translation>프로젝트를 열 수 없습니다</translation>
    </message>
    <message>
        <source>Preparing the built-in demo in %1 …</source>
        <translation>%1에 내장 데모를 준비하는 중…</translation>
    </message>
    <message>
        <source>Training…</source>
        <translation>학습 중…</translation>
    </message>
    <message>
        <source>&amp;Tools</source>
        <translation>도구(&amp;T)</translation>
    </message>
    <message>
        <source>Quantization</source>
        <translation>양자화</translation>
    </message>
    <message>
        <source>Dataset</source>
        <translation>데이터셋</translation>
    </message>
    <message>
        <source>Cannot open dataset</source>
        <translation>데이터셋을 열 수 없습니다</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>토큰</translation>
    </message>
    <message>
        <source>Chat Template</source>
        <translation>채팅 템플릿</translation>
    </message>
    <message>
        <source>&amp;New Fine-tune…</source>
        <translation>새 미세 조정(&amp;N)…</translation>
    </message>
    <message>
        <source>New Fine-tune Project</source>
        <translation>새 미세 조정 프로젝트</translation>
    </message>
    <message>
        <source>Open in &amp;Wizard</source>
        <translation>마법사에서 열기(&amp;W)</translation>
    </message>
    <message>
        <source>&amp;Save Project</source>
        <translation>프로젝트 저장(&amp;S)</translation>
    </message>
    <message>
        <source>Save Project &amp;As…</source>
        <translation>다른 이름으로 프로젝트 저장(&amp;A)…</translation>
    </message>
    <message>
        <source>Save Project As</source>
        <translation>다른 이름으로 프로젝트 저장</translation>
    </message>
    <message>
        <source>Open &amp;Model…</source>
        <translation>모델 열기(&amp;M)…</translation>
    </message>
    <message>
        <source>Open Model Folder</source>
        <translation>모델 폴더 열기</translation>
    </message>
    <message>
        <source>Open &amp;Dataset…</source>
        <translation>데이터셋 열기(&amp;D)…</translation>
    </message>
    <message>
        <source>Open Dataset</source>
        <translation>데이터셋 열기</translation>
    </message>
    <message>
        <source>Datasets (*.jsonl *.json *.csv *.tsv *.txt);;All files (*)</source>
        <translation>데이터셋 (*.jsonl *.json *.csv *.tsv *.txt);;모든 파일 (*)</translation>
    </message>
    <message>
        <source>Se&amp;ttings…</source>
        <translation>설정(&amp;T)…</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>편집(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>실행 취소(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>다시 실행(&amp;R)</translation>
    </message>
    <message>
        <source>T&amp;rain</source>
        <translation>학습(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;PEFT Adapter…</source>
        <translation>PEFT 어댑터(&amp;P)…</translation>
    </message>
    <message>
        <source>Export PEFT Adapter into</source>
        <translation>PEFT 어댑터를 내보낼 폴더</translation>
    </message>
    <message>
        <source>&amp;Merged Model…</source>
        <translation>병합된 모델(&amp;M)…</translation>
    </message>
    <message>
        <source>Export Merged Model into</source>
        <translation>병합된 모델을 내보낼 폴더</translation>
    </message>
    <message>
        <source>&amp;GGUF Adapter (llama.cpp)…</source>
        <translation>GGUF 어댑터 (llama.cpp)(&amp;G)…</translation>
    </message>
    <message>
        <source>Export GGUF Adapter</source>
        <translation>GGUF 어댑터 내보내기</translation>
    </message>
    <message>
        <source>GGUF file (*.gguf)</source>
        <translation>GGUF 파일 (*.gguf)</translation>
    </message>
    <message>
        <source>Show Tokens/s Plot</source>
        <translation>토큰/초 그래프 표시</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>언어(&amp;L)</translation>
    </message>
    <message>
        <source>System Default</source>
        <translation>시스템 기본값</translation>
    </message>
    <message>
        <source>The language changes when Finetune Studio starts again.</source>
        <translation>Finetune Studio를 다시 시작하면 언어가 바뀝니다.</translation>
    </message>
    <message>
        <source>&amp;User Guide</source>
        <translation>사용자 가이드(&amp;U)</translation>
    </message>
    <message>
        <source>Cannot save project</source>
        <translation>프로젝트를 저장할 수 없습니다</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>%1을(를) 저장했습니다</translation>
    </message>
    <message>
        <source>Cannot create project</source>
        <translation>프로젝트를 만들 수 없습니다</translation>
    </message>
    <message>
        <source>Opened model %1</source>
        <translation>모델 %1을(를) 열었습니다</translation>
    </message>
    <message>
        <source>Opened dataset %1</source>
        <translation>데이터셋 %1을(를) 열었습니다</translation>
    </message>
    <message>
        <source>Exporting to %1 …</source>
        <translation>%1(으)로 내보내는 중…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>취소</translation>
    </message>
    <message>
        <source>Train a model first: there is no finished adapter to export.</source>
        <translation>먼저 학습하세요: 내보낼 완성된 어댑터가 없습니다.</translation>
    </message>
    <message>
        <source>PEFT adapter</source>
        <translation>PEFT 어댑터</translation>
    </message>
    <message>
        <source>Merged model</source>
        <translation>병합된 모델</translation>
    </message>
    <message>
        <source>GGUF adapter</source>
        <translation>GGUF 어댑터</translation>
    </message>
    <message>
        <source>%1 exported to %2</source>
        <translation>%1을(를) %2(으)로 내보냈습니다</translation>
    </message>
    <message>
        <source>%1 exported</source>
        <translation>%1 내보내기 완료</translation>
    </message>
    <message>
        <source>Export finished</source>
        <translation>내보내기 완료</translation>
    </message>
    <message>
        <source>%1 written to
%2</source>
        <translation>%1을(를) 다음 위치에 저장했습니다:
%2</translation>
    </message>
    <message>
        <source>User Guide</source>
        <translation>사용자 안내서</translation>
    </message>
    <message>
        <source>Guided &amp;Tour</source>
        <translation>둘러보기(&amp;T)</translation>
    </message>
    <message>
        <source>Cannot open</source>
        <translation>열 수 없음</translation>
    </message>
    <message>
        <source>%1 is not something Finetune Studio opens: choose a model folder (with config.json), a project (.json) or a dataset (.jsonl, .json, .csv, .tsv, .txt).</source>
        <translation>%1은(는) Finetune Studio가 열 수 있는 항목이 아닙니다. 모델 폴더(config.json 포함), 프로젝트(.json) 또는 데이터셋(.jsonl, .json, .csv, .tsv, .txt)을 선택하세요.</translation>
    </message>
    <message>
        <source>user-guide.md</source>
        <extracomment>The user guide&apos;s file name in this language (docs/user-guide.ko.md is the Korean one).</extracomment>
        <translation>user-guide.ko.md</translation>
    </message>
    <message>
        <source>Resume from &amp;Checkpoint</source>
        <translation>체크포인트에서 이어서 학습(&amp;C)</translation>
    </message>
    <message>
        <source>The user guide (docs/user-guide.md) was not found next to the application.</source>
        <translation>사용자 가이드(docs/user-guide.ko.md)를 애플리케이션 옆에서 찾지 못했습니다.</translation>
    </message>
    <message>
        <source>No unfinished run with a checkpoint</source>
        <translation>체크포인트가 있는 끝나지 않은 학습이 없습니다</translation>
    </message>
    <message>
        <source>Training started in %1</source>
        <translation>%1에서 학습을 시작했습니다</translation>
    </message>
    <message>
        <source>Training finished. The run is in %1</source>
        <translation>학습이 끝났습니다. 결과는 %1에 있습니다</translation>
    </message>
    <message>
        <source>Training will use the model&apos;s own chat template.</source>
        <translation>학습에 모델 자체의 채팅 템플릿을 씁니다.</translation>
    </message>
    <message>
        <source>Training will use the template chosen in the Chat Template tab.</source>
        <translation>학습에 채팅 템플릿 탭에서 고른 템플릿을 씁니다.</translation>
    </message>
    <message>
        <source>Export from &amp;Run</source>
        <translation>내보낼 학습 선택(&amp;R)</translation>
    </message>
    <message>
        <source>%1 — finished, %2 steps</source>
        <translation>%1 — 완료, %2 스텝</translation>
    </message>
    <message>
        <source>%1 — training, step %2 of %3</source>
        <translation>%1 — 학습 중, %3 스텝 중 %2</translation>
    </message>
    <message>
        <source>%1 — stopped at step %2 of %3</source>
        <translation>%1 — %3 스텝 중 %2에서 멈춤</translation>
    </message>
    <message>
        <source>%1 — failed at step %2 of %3</source>
        <translation>%1 — %3 스텝 중 %2에서 실패</translation>
    </message>
    <message>
        <source>The Newest Run</source>
        <translation>가장 최근 학습</translation>
    </message>
    <message>
        <source>Continue run %1 from step %2 of %3</source>
        <translation>학습 %1을(를) %3 스텝 중 %2부터 이어서</translation>
    </message>
    <message>
        <source>From run %1</source>
        <translation>학습 %1에서</translation>
    </message>
    <message>
        <source>No run to export yet</source>
        <translation>아직 내보낼 학습이 없습니다</translation>
    </message>
    <message>
        <source>(not chosen yet)</source>
        <translation>(아직 고르지 않음)</translation>
    </message>
    <message>
        <source>%1[*] — Finetune Studio</source>
        <translation>%1[*] — Finetune Studio</translation>
    </message>
    <message>
        <source>Last run: %1</source>
        <translation>마지막 학습: %1</translation>
    </message>
    <message>
        <source>Not a Model Folder</source>
        <translation>모델 폴더가 아닙니다</translation>
    </message>
    <message>
        <source>Cannot resume</source>
        <translation>이어서 학습할 수 없습니다</translation>
    </message>
    <message>
        <source>Resuming run %1 from %2</source>
        <translation>학습 %1을(를) %2에서 이어서 합니다</translation>
    </message>
    <message>
        <source>The run is still training: export it when it has finished or stopped.</source>
        <translation>아직 학습 중입니다. 끝나거나 멈춘 뒤에 내보내세요.</translation>
    </message>
    <message>
        <source>Exporting run %1</source>
        <translation>학습 %1을(를) 내보내는 중</translation>
    </message>
    <message>
        <source>Evaluation</source>
        <translation>평가</translation>
    </message>
    <message>
        <source>Line %1 of %2 is no longer a row of the dataset.</source>
        <translation>%2의 %1번째 줄은 더 이상 데이터셋의 행이 아닙니다.</translation>
    </message>
    <message>
        <source>Unsaved Dataset Edits</source>
        <translation>저장하지 않은 데이터셋 편집</translation>
    </message>
    <message>
        <source>The dataset editor holds unsaved edits to %1. Save or undo them, then open the row again.</source>
        <translation>데이터셋 편집기에 %1의 저장하지 않은 편집이 있습니다. 저장하거나 되돌린 뒤 행을 다시 여세요.</translation>
    </message>
</context>
<context>
    <name>MethodPage</name>
    <message>
        <source>Method</source>
        <translation>방법</translation>
    </message>
    <message>
        <source>LoRA trains small low-rank matrices beside frozen weights; QLoRA does the same over a 4-bit base and needs the least memory.</source>
        <translation>LoRA는 고정된 가중치 옆에 작은 저랭크 행렬을 두고 학습합니다. QLoRA는 같은 방식을 4비트 기본 모델 위에서 수행하며 메모리가 가장 적게 듭니다.</translation>
    </message>
    <message>
        <source>Full fine-tuning</source>
        <translation>전체 미세 조정</translation>
    </message>
    <message>
        <source>LoRA</source>
        <translation>LoRA</translation>
    </message>
    <message>
        <source>QLoRA (4-bit base)</source>
        <translation>QLoRA (4비트 기본 모델)</translation>
    </message>
    <message>
        <source>Bottleneck adapter</source>
        <translation>병목 어댑터</translation>
    </message>
    <message>
        <source>Prompt tuning</source>
        <translation>프롬프트 튜닝</translation>
    </message>
    <message>
        <source>P-tuning</source>
        <translation>P-tuning</translation>
    </message>
    <message>
        <source>Prefix tuning</source>
        <translation>프리픽스 튜닝</translation>
    </message>
    <message>
        <source>Method:</source>
        <translation>방법:</translation>
    </message>
    <message>
        <source>Trainable parameters: %1 of %2 (%3%). Estimated memory: %4 — weights %5, gradients %6, optimizer %7, activations %8, runtime %9.</source>
        <translation>학습 가능한 파라미터: %2개 중 %1개 (%3%). 예상 메모리: %4 — 가중치 %5, 그래디언트 %6, 옵티마이저 %7, 활성값 %8, 런타임 %9.</translation>
    </message>
    <message>
        <source> Free on %1: %2.</source>
        <translation> %1의 여유 메모리: %2.</translation>
    </message>
    <message>
        <source>This will not fit: it needs about %1 but %2 has %3 free. Lower the batch size or the sequence length, turn on gradient checkpointing, or use QLoRA.</source>
        <translation>메모리가 부족합니다: 약 %1이(가) 필요하지만 %2에는 %3만 남아 있습니다. 배치 크기나 시퀀스 길이를 줄이거나, 그래디언트 체크포인팅을 켜거나, QLoRA를 사용하세요.</translation>
    </message>
    <message>
        <source> Activations counted for %1 rows a batch: each pair&apos;s chosen and rejected answers go through together. The reference model takes no second copy (adapters off, or for full fine-tuning its log-probabilities taken once before training).</source>
        <translation> 활성값은 배치당 %1행으로 계산했습니다. 각 쌍의 선택된 답변과 거부된 답변이 함께 지나가기 때문입니다. 참조 모델은 두 번째 사본을 두지 않습니다(어댑터를 끄거나, 전체 미세 조정에서는 학습 전에 로그 확률을 한 번 계산해 둡니다).</translation>
    </message>
</context>
<context>
    <name>ModelExporter</name>
    <message>
        <source>Another export is still running.</source>
        <translation>다른 내보내기가 아직 진행 중입니다.</translation>
    </message>
</context>
<context>
    <name>ModelFolderProblem</name>
    <message>
        <source>%1 is not a folder.</source>
        <translation>%1은(는) 폴더가 아닙니다.</translation>
    </message>
    <message>
        <source>the weights</source>
        <translation>가중치</translation>
    </message>
    <message>
        <source>the tokenizer</source>
        <translation>토크나이저</translation>
    </message>
    <message>
        <source>%1 is not a model folder. Missing: %2.</source>
        <translation>%1은(는) 모델 폴더가 아닙니다. 없는 것: %2.</translation>
    </message>
    <message>
        <source>A model folder (a Hugging Face model, as downloaded) holds config.json; the weights as model.safetensors, or sharded as model-*.safetensors with model.safetensors.index.json; and the tokenizer as tokenizer.model or tokenizer.json.</source>
        <translation>모델 폴더(내려받은 그대로의 Hugging Face 모델)에는 config.json, 가중치(model.safetensors, 또는 나뉜 model-*.safetensors와 model.safetensors.index.json), 토크나이저(tokenizer.model 또는 tokenizer.json)가 있습니다.</translation>
    </message>
    <message>
        <source>The folder is empty.</source>
        <translation>폴더가 비어 있습니다.</translation>
    </message>
    <message numerus="yes">
        <source>It holds: %1 and %n more.</source>
        <translation>
            <numerusform>들어 있는 것: %1 외 %n개.</numerusform>
        </translation>
    </message>
    <message>
        <source>It holds: %1.</source>
        <translation>들어 있는 것: %1.</translation>
    </message>
    <message>
        <source>This is a Hugging Face hub cache folder with no snapshot yet: download the model again.</source>
        <translation>Hugging Face 허브 캐시 폴더지만 아직 스냅샷이 없습니다. 모델을 다시 내려받으세요.</translation>
    </message>
    <message>
        <source>This is a Hugging Face hub cache folder; the model itself is in a snapshot: open %1 instead.</source>
        <translation>Hugging Face 허브 캐시 폴더입니다. 모델은 스냅샷 안에 있으니 %1을(를) 여세요.</translation>
    </message>
    <message>
        <source>This is a PEFT adapter (adapter_config.json), trained over a base model: open the base model&apos;s folder instead.</source>
        <translation>기반 모델 위에서 학습된 PEFT 어댑터(adapter_config.json)입니다. 기반 모델의 폴더를 여세요.</translation>
    </message>
    <message>
        <source>The weights are sharded but model.safetensors.index.json, which names the shards, is missing.</source>
        <translation>가중치가 나뉘어 있는데 조각 이름을 적은 model.safetensors.index.json이 없습니다.</translation>
    </message>
    <message>
        <source>%1 holds weights only: a model also needs the config.json and the tokenizer files published with it. Download the whole model folder.</source>
        <translation>%1에는 가중치만 있습니다. 모델에는 함께 배포된 config.json과 토크나이저 파일도 필요합니다. 모델 폴더 전체를 내려받으세요.</translation>
    </message>
    <message>
        <source>%1 is a GGUF file (llama.cpp&apos;s format): open the file itself, not its folder. It is imported once as a model to fine-tune, its weights dequantized, so the quality is that of the file.</source>
        <translation>%1은(는) GGUF 파일(llama.cpp 형식)입니다: 폴더가 아니라 파일 자체를 여세요. 한 번 파인튜닝할 모델로 가져오며 가중치는 역양자화되므로, 품질은 그 파일의 품질입니다.</translation>
    </message>
</context>
<context>
    <name>ModelListModel</name>
    <message>
        <source>the file cannot be read: %1</source>
        <translation>파일을 읽을 수 없습니다: %1</translation>
    </message>
    <message>
        <source>%1 is missing (an unfinished download or a broken link)</source>
        <translation>%1이(가) 없습니다(다운로드가 끝나지 않았거나 링크가 깨졌습니다)</translation>
    </message>
    <message>
        <source>no config.json</source>
        <translation>config.json 없음</translation>
    </message>
    <message>
        <source>no tokenizer files</source>
        <translation>토크나이저 파일 없음</translation>
    </message>
    <message>
        <source>no safetensors weights</source>
        <translation>safetensors 가중치 없음</translation>
    </message>
    <message>
        <source>weights are .bin (pickle), not safetensors</source>
        <translation>가중치가 safetensors가 아니라 .bin(pickle)입니다</translation>
    </message>
    <message>
        <source>the architecture is not named</source>
        <translation>아키텍처 이름이 없습니다</translation>
    </message>
    <message>
        <source>architecture &apos;%1&apos; is not a decoder this app trains</source>
        <translation>아키텍처 &apos;%1&apos;은(는) 이 앱이 학습하는 디코더가 아닙니다</translation>
    </message>
    <message>
        <source>quantized with %1, which cannot be trained here</source>
        <translation>%1(으)로 양자화되어 여기서는 학습할 수 없습니다</translation>
    </message>
    <message>
        <source>tensor type %1 cannot be dequantized here</source>
        <translation>텐서 형식 %1은(는) 여기서 역양자화할 수 없습니다</translation>
    </message>
    <message>
        <source>a vision projector (mmproj), not a language model</source>
        <translation>언어 모델이 아니라 비전 프로젝터(mmproj)입니다</translation>
    </message>
    <message>
        <source>a PEFT adapter, not a base model</source>
        <translation>베이스 모델이 아니라 PEFT 어댑터입니다</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>예</translation>
    </message>
    <message>
        <source>no — %1</source>
        <translation>아니요 — %1</translation>
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
        <translation>%1(으)로 저장됨: 학습을 위해 가중치를 역양자화하며, 품질은 양자화된 파일의 품질입니다.</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>이름</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>출처</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>형식</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>크기</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>파라미터</translation>
    </message>
    <message>
        <source>Quantization</source>
        <translation>양자화</translation>
    </message>
    <message>
        <source>Can be trained</source>
        <translation>학습 가능</translation>
    </message>
</context>
<context>
    <name>ModelPage</name>
    <message>
        <source>Choose the model</source>
        <translation>모델 선택</translation>
    </message>
    <message>
        <source>Model folder</source>
        <translation>모델 폴더</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>찾아보기(&amp;B)…</translation>
    </message>
    <message>
        <source>Architecture:</source>
        <translation>아키텍처:</translation>
    </message>
    <message>
        <source>Parameters:</source>
        <translation>파라미터:</translation>
    </message>
    <message>
        <source>Stored as:</source>
        <translation>저장 형식:</translation>
    </message>
    <message>
        <source>Chat template:</source>
        <translation>채팅 템플릿:</translation>
    </message>
    <message>
        <source>Weights in memory:</source>
        <translation>메모리상 가중치 크기:</translation>
    </message>
    <message>
        <source>Opening %1 …</source>
        <translation>%1 여는 중…</translation>
    </message>
    <message>
        <source>%1 (%2): %3 layers, hidden size %4, %5 attention heads (%6 key/value), vocabulary %7</source>
        <translation>%1 (%2): 레이어 %3개, 히든 크기 %4, 어텐션 헤드 %5개 (키/값 %6개), 어휘 %7</translation>
    </message>
    <message>
        <source>found, but it does not compile: %1</source>
        <translation>있지만 컴파일되지 않음: %1</translation>
    </message>
    <message>
        <source>none — Instruct FT needs one: pick a preset on the formatting page</source>
        <translation>없음 — Instruct FT에는 필요합니다: 형식 지정 페이지에서 프리셋을 고르세요</translation>
    </message>
    <message numerus="yes">
        <source>found (%n character(s))</source>
        <translation>
            <numerusform>있음 (%n자)</numerusform>
        </translation>
    </message>
    <message>
        <source>fp32 %1 · bf16 %2 · int8 %3 · nf4 %4</source>
        <translation>fp32 %1 · bf16 %2 · int8 %3 · nf4 %4</translation>
    </message>
    <message>
        <source>A model found on this computer, or a Hugging Face model folder: config.json, safetensors weights and the tokenizer files.</source>
        <translation>이 컴퓨터에서 찾은 모델, 또는 Hugging Face 모델 폴더(config.json, safetensors 가중치, 토크나이저 파일).</translation>
    </message>
    <message>
        <source>Search by name, source or architecture</source>
        <translation>이름, 출처, 아키텍처로 검색</translation>
    </message>
    <message>
        <source>Add &amp;folder…</source>
        <translation>폴더 추가(&amp;F)…</translation>
    </message>
    <message>
        <source>Also look for models in a folder of your own</source>
        <translation>직접 지정한 폴더에서도 모델을 찾습니다</translation>
    </message>
    <message>
        <source>Do&amp;wnload…</source>
        <translation>다운로드(&amp;W)…</translation>
    </message>
    <message>
        <source>Download a model from the Hugging Face Hub by its name</source>
        <translation>이름으로 Hugging Face Hub에서 모델을 받습니다</translation>
    </message>
    <message>
        <source>A folder with models</source>
        <translation>모델이 있는 폴더</translation>
    </message>
    <message>
        <source>Looking for models…</source>
        <translation>모델을 찾는 중…</translation>
    </message>
    <message>
        <source>%1 cannot be trained here: %2</source>
        <translation>%1은(는) 여기서 학습할 수 없습니다: %2</translation>
    </message>
    <message numerus="yes">
        <source>%n model(s) on this computer</source>
        <translation>
            <numerusform>이 컴퓨터의 모델 %n개</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 of %n model(s) on this computer</source>
        <translation>
            <numerusform>이 컴퓨터의 모델 %n개 중 %1개</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 in the GGUF file (%2 bits per weight), dequantized to %3 for training: the model starts from the quantized weights, so its answers are as good as that file&apos;s, not the original model&apos;s</source>
        <translation>GGUF 파일에 %1(가중치당 %2비트)로 저장됨. 학습을 위해 %3(으)로 역양자화합니다: 모델이 양자화된 가중치에서 시작하므로, 답의 품질은 원본 모델이 아니라 그 파일의 품질입니다</translation>
    </message>
    <message>
        <source>Importing %1 as a model to fine-tune: its weights are dequantized once (a few seconds per 100 M parameters), then reused …</source>
        <translation>%1을(를) 파인튜닝할 모델로 가져오는 중: 가중치를 한 번 역양자화하고(100M 파라미터당 몇 초) 다음부터는 다시 씁니다 …</translation>
    </message>
</context>
<context>
    <name>PreferencePairView</name>
    <message>
        <source>&lt;b&gt;Chosen&lt;/b&gt;</source>
        <translation>&lt;b&gt;선택됨&lt;/b&gt;</translation>
    </message>
    <message>
        <source>&lt;b&gt;Rejected&lt;/b&gt;</source>
        <translation>&lt;b&gt;거부됨&lt;/b&gt;</translation>
    </message>
    <message>
        <source>&lt;i&gt;No prompt column: the turns both answers share are the prompt.&lt;/i&gt;</source>
        <translation>&lt;i&gt;프롬프트 열이 없습니다. 두 답변이 공유하는 앞쪽 대화가 프롬프트입니다.&lt;/i&gt;</translation>
    </message>
    <message>
        <source>&lt;b&gt;Prompt:&lt;/b&gt; %1</source>
        <translation>&lt;b&gt;프롬프트:&lt;/b&gt; %1</translation>
    </message>
    <message>
        <source>&lt;b&gt;Completion&lt;/b&gt; (label: %1)</source>
        <translation>&lt;b&gt;완성&lt;/b&gt; (레이블: %1)</translation>
    </message>
    <message>
        <source>&lt;b&gt;Chosen&lt;/b&gt; &lt;span style=&quot;background:#c8f0d0&quot;&gt;&amp;nbsp;only here&amp;nbsp;&lt;/span&gt;</source>
        <translation>&lt;b&gt;선택됨&lt;/b&gt; &lt;span style=&quot;background:#c8f0d0&quot;&gt;&amp;nbsp;여기에만 있음&amp;nbsp;&lt;/span&gt;</translation>
    </message>
    <message>
        <source>&lt;b&gt;Rejected&lt;/b&gt; &lt;span style=&quot;background:#f8d0d0&quot;&gt;&amp;nbsp;only here&amp;nbsp;&lt;/span&gt;</source>
        <translation>&lt;b&gt;거부됨&lt;/b&gt; &lt;span style=&quot;background:#f8d0d0&quot;&gt;&amp;nbsp;여기에만 있음&amp;nbsp;&lt;/span&gt;</translation>
    </message>
    <message>
        <source>Select a row to compare its answers.</source>
        <translation>행을 선택하면 두 답변을 비교합니다.</translation>
    </message>
</context>
<context>
    <name>PreferencePlot</name>
    <message>
        <source>Reward margin</source>
        <translation>보상 마진</translation>
    </message>
    <message>
        <source>Reward accuracy</source>
        <translation>보상 정확도</translation>
    </message>
    <message>
        <source>Validation margin</source>
        <translation>검증 마진</translation>
    </message>
    <message>
        <source>Validation accuracy</source>
        <translation>검증 정확도</translation>
    </message>
    <message>
        <source>KL estimate</source>
        <translation>KL 추정치</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>스텝</translation>
    </message>
    <message>
        <source>Margin (chosen − rejected reward)</source>
        <translation>마진 (선택 − 거부 보상)</translation>
    </message>
    <message>
        <source>Accuracy</source>
        <translation>정확도</translation>
    </message>
</context>
<context>
    <name>ProjectDocument</name>
    <message>
        <source>The project has no file yet: choose where to save it.</source>
        <translation>프로젝트 파일이 아직 없습니다. 저장할 곳을 고르세요.</translation>
    </message>
</context>
<context>
    <name>PromptLearningPanel</name>
    <message>
        <source>Virtual tokens:</source>
        <translation>가상 토큰:</translation>
    </message>
    <message>
        <source>Random</source>
        <translation>무작위</translation>
    </message>
    <message>
        <source>From text</source>
        <translation>텍스트에서</translation>
    </message>
    <message>
        <source>e.g. Classify the sentiment of this review:</source>
        <translation>예: 이 리뷰의 감성을 분류하세요:</translation>
    </message>
    <message>
        <source>Initialization:</source>
        <translation>초기화:</translation>
    </message>
    <message>
        <source>Initial text:</source>
        <translation>초기 텍스트:</translation>
    </message>
    <message>
        <source>the model&apos;s hidden size</source>
        <translation>모델의 히든 크기</translation>
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
        <translation>프롬프트 인코더:</translation>
    </message>
    <message>
        <source>Train the prefix through an MLP (prefix projection)</source>
        <translation>MLP를 거쳐 프리픽스 학습 (프리픽스 프로젝션)</translation>
    </message>
    <message>
        <source>Encoder hidden size:</source>
        <translation>인코더 히든 크기:</translation>
    </message>
</context>
<context>
    <name>QloraPanel</name>
    <message>
        <source>Double quantization (quantize the block scales too)</source>
        <translation>이중 양자화 (블록 스케일도 양자화)</translation>
    </message>
    <message>
        <source>NF4 (normal float, for normally distributed weights)</source>
        <translation>NF4 (정규 분포 가중치용 normal float)</translation>
    </message>
    <message>
        <source>FP4</source>
        <translation>FP4</translation>
    </message>
    <message>
        <source>4-bit base</source>
        <translation>4비트 기본 모델</translation>
    </message>
    <message>
        <source>4-bit type:</source>
        <translation>4비트 형식:</translation>
    </message>
    <message>
        <source>Block size:</source>
        <translation>블록 크기:</translation>
    </message>
    <message>
        <source>Compute dtype:</source>
        <translation>연산 dtype:</translation>
    </message>
</context>
<context>
    <name>QuantResultModel</name>
    <message>
        <source>NF4 (block %1)</source>
        <translation>NF4 (블록 %1)</translation>
    </message>
    <message>
        <source>FP4 (block %1)</source>
        <translation>FP4 (블록 %1)</translation>
    </message>
    <message>
        <source>int8 symmetric (per tensor)</source>
        <translation>int8 대칭 (텐서 단위)</translation>
    </message>
    <message>
        <source>int8 asymmetric (per tensor)</source>
        <translation>int8 비대칭 (텐서 단위)</translation>
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
        <translation>int8 대칭</translation>
    </message>
    <message>
        <source>int8 asym.</source>
        <translation>int8 비대칭</translation>
    </message>
    <message>
        <source>exact</source>
        <translation>오차 없음</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>방법</translation>
    </message>
    <message>
        <source>MSE</source>
        <translation>MSE</translation>
    </message>
    <message>
        <source>Max error</source>
        <translation>최대 오차</translation>
    </message>
    <message>
        <source>SNR (dB)</source>
        <translation>SNR (dB)</translation>
    </message>
    <message>
        <source>Bytes</source>
        <translation>바이트</translation>
    </message>
    <message>
        <source>Bits / value</source>
        <translation>값당 비트</translation>
    </message>
</context>
<context>
    <name>QuantizationInspector</name>
    <message numerus="yes">
        <source>%1 — %n tensor(s)</source>
        <translation>
            <numerusform>%1 — 텐서 %n개</numerusform>
        </translation>
    </message>
    <message>
        <source>Open &amp;Model Folder…</source>
        <translation>모델 폴더 열기(&amp;M)…</translation>
    </message>
    <message>
        <source>Open .&amp;safetensors…</source>
        <translation>.safetensors 열기(&amp;S)…</translation>
    </message>
    <message>
        <source>Open Model Folder</source>
        <translation>모델 폴더 열기</translation>
    </message>
    <message>
        <source>Open Tensors</source>
        <translation>텐서 열기</translation>
    </message>
    <message>
        <source>safetensors (*.safetensors)</source>
        <translation>safetensors (*.safetensors)</translation>
    </message>
    <message>
        <source>Open a model folder or a .safetensors file.</source>
        <translation>모델 폴더나 .safetensors 파일을 여세요.</translation>
    </message>
    <message>
        <source>Scan &amp;All Layers</source>
        <translation>모든 레이어 검사(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation>내보내기(&amp;E)…</translation>
    </message>
    <message>
        <source>Tensor:</source>
        <translation>텐서:</translation>
    </message>
    <message>
        <source>Block size:</source>
        <translation>블록 크기:</translation>
    </message>
    <message>
        <source>Method:</source>
        <translation>방법:</translation>
    </message>
    <message>
        <source>Value / absmax</source>
        <translation>값 / absmax</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>개수</translation>
    </message>
    <message>
        <source>Dequantized − original</source>
        <translation>역양자화 값 − 원래 값</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>레이어</translation>
    </message>
    <message>
        <source>MSE</source>
        <translation>MSE</translation>
    </message>
    <message>
        <source>Max error</source>
        <translation>최대 오차</translation>
    </message>
    <message>
        <source>SNR (dB)</source>
        <translation>SNR (dB)</translation>
    </message>
    <message>
        <source>Error across the model:</source>
        <translation>모델 전체의 오차:</translation>
    </message>
    <message>
        <source>Reading %1 …</source>
        <translation>%1 읽는 중…</translation>
    </message>
    <message>
        <source>No tensor named %1.</source>
        <translation>이름이 %1인 텐서가 없습니다.</translation>
    </message>
    <message>
        <source>Quantizing %1 with every method …</source>
        <translation>모든 방법으로 %1 양자화 중…</translation>
    </message>
    <message>
        <source>Quantizing every layer with %1 …</source>
        <translation>%1(으)로 모든 레이어 양자화 중…</translation>
    </message>
    <message>
        <source>%1: %2 [%3], absmax %4</source>
        <translation>%1: %2 [%3], absmax %4</translation>
    </message>
    <message>
        <source> — histograms of the first %L1 of %L2 values</source>
        <translation> — 값 %L2개 중 처음 %L1개의 히스토그램</translation>
    </message>
    <message numerus="yes">
        <source>%1 on %n tensor(s): %L2 bytes instead of %L3.</source>
        <translation>
            <numerusform>텐서 %n개에 %1 적용: %L3바이트 대신 %L2바이트.</numerusform>
        </translation>
    </message>
    <message>
        <source>Values / block absmax</source>
        <translation>값 / 블록 absmax</translation>
    </message>
    <message>
        <source>Values / tensor absmax</source>
        <translation>값 / 텐서 absmax</translation>
    </message>
    <message>
        <source>Levels</source>
        <translation>양자화 레벨</translation>
    </message>
    <message>
        <source>Value / block absmax</source>
        <translation>값 / 블록 absmax</translation>
    </message>
    <message>
        <source>Value / tensor absmax</source>
        <translation>값 / 텐서 absmax</translation>
    </message>
    <message>
        <source>Tensor (layer.projection), %1</source>
        <translation>텐서 (layer.projection), %1</translation>
    </message>
    <message>
        <source>Cannot create %1.</source>
        <translation>%1을(를) 만들 수 없습니다.</translation>
    </message>
    <message>
        <source>Cannot write %1.</source>
        <translation>%1에 쓸 수 없습니다.</translation>
    </message>
    <message>
        <source>Export Figures and Tables into</source>
        <translation>그림과 표를 내보낼 폴더</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>내보내기 실패</translation>
    </message>
    <message>
        <source>Export &amp;PNG…</source>
        <translation>PNG로 내보내기(&amp;P)…</translation>
    </message>
    <message>
        <source>Export Figure as PNG</source>
        <translation>그림을 PNG로 내보내기</translation>
    </message>
    <message>
        <source>PNG image (*.png)</source>
        <translation>PNG 이미지 (*.png)</translation>
    </message>
    <message>
        <source>Export &amp;CSV…</source>
        <translation>CSV로 내보내기(&amp;C)…</translation>
    </message>
    <message>
        <source>Export Data as CSV</source>
        <translation>데이터를 CSV로 내보내기</translation>
    </message>
    <message>
        <source>CSV file (*.csv)</source>
        <translation>CSV 파일 (*.csv)</translation>
    </message>
    <message>
        <source>Reset &amp;Zoom</source>
        <translation>확대 초기화(&amp;Z)</translation>
    </message>
</context>
<context>
    <name>RecentFilesMenu</name>
    <message>
        <source>Open &amp;Recent</source>
        <translation>최근 파일 열기(&amp;R)</translation>
    </message>
    <message>
        <source>No recent files</source>
        <translation>최근 파일 없음</translation>
    </message>
    <message>
        <source>&amp;Clear List</source>
        <translation>목록 지우기(&amp;C)</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>설정</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>시스템 기본값</translation>
    </message>
    <message>
        <source>Automatic (GPU when available)</source>
        <translation>자동 (가능하면 GPU)</translation>
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
        <translation>언어(&amp;L):</translation>
    </message>
    <message>
        <source>A new language applies when the app starts again.</source>
        <translation>새 언어는 앱을 다시 시작하면 적용됩니다.</translation>
    </message>
    <message>
        <source>Default &amp;device:</source>
        <translation>기본 장치(&amp;D):</translation>
    </message>
    <message>
        <source>Projects folder:</source>
        <translation>프로젝트 폴더:</translation>
    </message>
    <message>
        <source>Models folder:</source>
        <translation>모델 폴더:</translation>
    </message>
    <message>
        <source>Datasets folder:</source>
        <translation>데이터셋 폴더:</translation>
    </message>
    <message>
        <source>Exports folder:</source>
        <translation>내보내기 폴더:</translation>
    </message>
    <message>
        <source>Choose a folder</source>
        <translation>폴더 선택</translation>
    </message>
    <message>
        <source>Choose a Folder</source>
        <translation>폴더 선택</translation>
    </message>
</context>
<context>
    <name>SideBySideChat</name>
    <message>
        <source>&amp;Ask both</source>
        <translation>둘 다에게 묻기(&amp;A)</translation>
    </message>
    <message>
        <source>Ask something from your data…</source>
        <translation>데이터에 관해 질문해 보세요…</translation>
    </message>
    <message>
        <source>Base model</source>
        <translation>기본 모델</translation>
    </message>
    <message>
        <source>Tuned model</source>
        <translation>미세 조정된 모델</translation>
    </message>
    <message>
        <source>Generating… (the models load on the first question)</source>
        <translation>생성 중… (첫 질문 때 모델을 불러옵니다)</translation>
    </message>
</context>
<context>
    <name>TokenChipView</name>
    <message>
        <source>Token %1: id %2, %3, attention %4</source>
        <translation>토큰 %1: id %2, %3, 어텐션 %4</translation>
    </message>
    <message>
        <source>trained</source>
        <translation>학습됨</translation>
    </message>
    <message>
        <source>masked (label -100)</source>
        <translation>마스킹됨 (label -100)</translation>
    </message>
    <message>
        <source>
Loss %1</source>
        <translation>
손실 %1</translation>
    </message>
</context>
<context>
    <name>TokenInspector</name>
    <message>
        <source>Show padding to the length limit (attention mask 0)</source>
        <translation>길이 제한까지 패딩 표시 (어텐션 마스크 0)</translation>
    </message>
    <message>
        <source>No example shown yet.</source>
        <translation>아직 표시된 예제가 없습니다.</translation>
    </message>
    <message>
        <source>&lt;span style=&quot;background:#c8f0d0&quot;&gt;&amp;nbsp;trained&amp;nbsp;&lt;/span&gt; &lt;span style=&quot;background:#e5e7e9&quot;&gt;&amp;nbsp;masked (label -100)&amp;nbsp;&lt;/span&gt; dashed: attention mask 0 (padding) · hover a token for details</source>
        <translation>&lt;span style=&quot;background:#c8f0d0&quot;&gt;&amp;nbsp;학습됨&amp;nbsp;&lt;/span&gt; &lt;span style=&quot;background:#e5e7e9&quot;&gt;&amp;nbsp;마스킹됨 (label -100)&amp;nbsp;&lt;/span&gt; 점선: 어텐션 마스크 0 (패딩) · 토큰에 마우스를 올리면 자세히 표시</translation>
    </message>
    <message>
        <source>Opening %1 …</source>
        <translation>%1 여는 중…</translation>
    </message>
    <message numerus="yes">
        <source>%n block(s) of %1 tokens; every token is trained. The first %2 are shown.</source>
        <translation>
            <numerusform>%1토큰 블록 %n개. 모든 토큰을 학습합니다. 처음 %2개를 표시합니다.</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 tokens: %2 trained, %3 masked (label -100). Attention mask: 1 on all %1 (a batch pads shorter rows with 0).%4</source>
        <translation>토큰 %1개: 학습 %2개, 마스킹 %3개 (label -100). 어텐션 마스크: %1개 모두 1 (배치에서는 짧은 행을 0으로 패딩).%4</translation>
    </message>
    <message>
        <source> Cut at the limit of %1 tokens.</source>
        <translation> %1토큰 제한에서 잘렸습니다.</translation>
    </message>
    <message>
        <source>%1 / %2 tokens</source>
        <translation>%1 / %2 토큰</translation>
    </message>
    <message>
        <source>pad</source>
        <translation>pad</translation>
    </message>
    <message>
        <source>Block %1</source>
        <translation>블록 %1</translation>
    </message>
    <message>
        <source>Example %1</source>
        <translation>예제 %1</translation>
    </message>
    <message>
        <source>Show loss with the trained adapter…</source>
        <translation>학습된 어댑터로 손실 보기…</translation>
    </message>
    <message>
        <source>Example </source>
        <translation>예제 </translation>
    </message>
    <message>
        <source>Colour the trained tokens by the loss of the model with the trained adapter: how surprised it still is by each token it was trained on.</source>
        <translation>학습된 어댑터를 붙인 모델의 손실로 학습 대상 토큰을 색칠합니다. 학습한 각 토큰을 모델이 아직 얼마나 예측하지 못하는지 보여 줍니다.</translation>
    </message>
    <message>
        <source>Choose the Trained Adapter Folder</source>
        <translation>학습된 어댑터 폴더 선택</translation>
    </message>
    <message>
        <source> of %1</source>
        <translation> / %1</translation>
    </message>
    <message>
        <source>Open the model first.</source>
        <translation>먼저 모델을 여세요.</translation>
    </message>
    <message>
        <source>Loading the model with the adapter %1 …</source>
        <translation>어댑터 %1(으)로 모델을 불러오는 중 …</translation>
    </message>
    <message numerus="yes">
        <source>Loss with the trained adapter: &lt;span style=&quot;background:%1&quot;&gt;&amp;nbsp;0&amp;nbsp;&lt;/span&gt;&lt;span style=&quot;background:%2&quot;&gt;&amp;nbsp;%4&amp;nbsp;&lt;/span&gt;&lt;span style=&quot;background:%3&quot;&gt;&amp;nbsp;%5&amp;nbsp;&lt;/span&gt; · mean %6 over %n trained token(s) (perplexity %7) · hover a token for its loss</source>
        <translation>
            <numerusform>학습된 어댑터의 손실: &lt;span style=&quot;background:%1&quot;&gt;&amp;nbsp;0&amp;nbsp;&lt;/span&gt;&lt;span style=&quot;background:%2&quot;&gt;&amp;nbsp;%4&amp;nbsp;&lt;/span&gt;&lt;span style=&quot;background:%3&quot;&gt;&amp;nbsp;%5&amp;nbsp;&lt;/span&gt; · 학습 토큰 %n개의 평균 %6 (퍼플렉서티 %7) · 토큰에 마우스를 올리면 손실이 보입니다</numerusform>
        </translation>
    </message>
    <message>
        <source>Computing the losses with the adapter …</source>
        <translation>어댑터로 손실을 계산하는 중 …</translation>
    </message>
    <message>
        <source>Completion (desirable)</source>
        <translation>완성 (바람직함)</translation>
    </message>
    <message>
        <source>Completion (undesirable)</source>
        <translation>완성 (바람직하지 않음)</translation>
    </message>
    <message>
        <source>Prompt + chosen</source>
        <translation>프롬프트 + 선택된 답변</translation>
    </message>
    <message>
        <source>Prompt + rejected</source>
        <translation>프롬프트 + 거부된 답변</translation>
    </message>
    <message>
        <source>%1: %2 tokens, %3 of the answer trained%4</source>
        <translation>%1: 토큰 %2개, 그중 답변 %3개 학습%4</translation>
    </message>
    <message>
        <source> (cut at %1)</source>
        <translation> (%1에서 잘림)</translation>
    </message>
    <message>
        <source>. The prompt is masked (label -100); the loss compares the answers&apos; summed log-probabilities.</source>
        <translation>. 프롬프트는 마스킹되고(레이블 -100), 손실은 답변들의 로그 확률 합을 비교합니다.</translation>
    </message>
</context>
<context>
    <name>TrainPage</name>
    <message>
        <source>&amp;Start training</source>
        <translation>학습 시작(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation>일시 정지(&amp;P)</translation>
    </message>
    <message>
        <source>Train</source>
        <translation>학습</translation>
    </message>
    <message>
        <source>all</source>
        <translation>전체</translation>
    </message>
    <message>
        <source>Stop after this many steps for a quick trial; the project is not changed.</source>
        <translation>빠르게 시험해 보려면 이 스텝 수만큼만 학습하고 멈춥니다. 프로젝트는 바뀌지 않습니다.</translation>
    </message>
    <message>
        <source>%v / %m steps</source>
        <translation>%v / %m 스텝</translation>
    </message>
    <message>
        <source>Steps:</source>
        <translation>스텝:</translation>
    </message>
    <message>
        <source>%1 training and %2 validation examples; %3 of %4 parameters trainable; %5 steps on %6.</source>
        <translation>학습 예제 %1개, 검증 예제 %2개; 파라미터 %4개 중 %3개 학습; %6에서 %5 스텝.</translation>
    </message>
    <message>
        <source>Step %1 / %2 · epoch %3 · loss %4 · %5 tokens/s · %6 s left · %7 MiB</source>
        <translation>스텝 %1 / %2 · 에포크 %3 · 손실 %4 · %5 토큰/초 · %6초 남음 · %7 MiB</translation>
    </message>
    <message>
        <source>Preparing: loading the model and tokenizing the data …</source>
        <translation>준비 중: 모델을 불러오고 데이터를 토큰화하는 중…</translation>
    </message>
    <message>
        <source>&amp;Resume</source>
        <translation>다시 시작(&amp;R)</translation>
    </message>
    <message>
        <source>The loss should fall; the validation loss (red) rising while the training loss falls means over-fitting: stop, or train fewer epochs.</source>
        <translation>손실은 내려가야 합니다. 학습 손실이 내려가는데 검증 손실(빨간색)이 올라가면 과적합입니다. 멈추거나 에포크를 줄이세요.</translation>
    </message>
    <message>
        <source>S&amp;top</source>
        <translation>중지(&amp;T)</translation>
    </message>
    <message>
        <source>Stop the run; its checkpoints are kept, so it can be exported or resumed.</source>
        <translation>학습을 멈춥니다. 체크포인트는 남아 있어 내보내거나 이어서 학습할 수 있습니다.</translation>
    </message>
    <message>
        <source>Full fine-tuning</source>
        <translation>전체 미세 조정</translation>
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
        <translation>병목 어댑터</translation>
    </message>
    <message>
        <source>Prompt tuning</source>
        <translation>프롬프트 튜닝</translation>
    </message>
    <message>
        <source>P-tuning</source>
        <translation>P-tuning</translation>
    </message>
    <message>
        <source>Prefix tuning</source>
        <translation>프리픽스 튜닝</translation>
    </message>
    <message>
        <source>Run %1 finished (%2 steps); it is in %3.</source>
        <translation>학습 %1이(가) 끝났습니다(%2 스텝). 결과는 %3에 있습니다.</translation>
    </message>
    <message>
        <source>Run %1 is training in another window or process (step %2 of %3).</source>
        <translation>학습 %1은(는) 다른 창이나 프로세스에서 진행 중입니다(%3 스텝 중 %2).</translation>
    </message>
    <message>
        <source>Run %1 stopped at step %2 of %3 before its first checkpoint; train again.</source>
        <translation>학습 %1은(는) 첫 체크포인트 전에 %3 스텝 중 %2에서 멈췄습니다. 다시 학습하세요.</translation>
    </message>
    <message>
        <source>Run %1 stopped at step %2 of %3; its last checkpoint can be exported or resumed (Train ▸ Resume).</source>
        <translation>학습 %1은(는) %3 스텝 중 %2에서 멈췄습니다. 마지막 체크포인트를 내보내거나 이어서 학습할 수 있습니다(학습 ▸ 이어서 학습).</translation>
    </message>
    <message>
        <source>Not trained yet</source>
        <translation>아직 학습하지 않음</translation>
    </message>
    <message>
        <source>%1 (packed in %2 rows)</source>
        <translation>%1 (%2개 행에 패킹)</translation>
    </message>
    <message>
        <source>The loss should fall and the reward margin (chosen minus rejected) grow; a validation margin that stops growing while the training one climbs means over-fitting: stop, or train fewer epochs.</source>
        <translation>손실은 내려가고 보상 마진(선택 − 거부)은 커져야 합니다. 학습 마진은 계속 오르는데 검증 마진이 더 커지지 않으면 과적합입니다. 멈추거나 에포크를 줄이세요.</translation>
    </message>
    <message>
        <source>%1 processes, global batch %2</source>
        <translation>프로세스 %1개, 전체 배치 %2</translation>
    </message>
    <message>
        <source>batch %1</source>
        <translation>배치 %1</translation>
    </message>
    <message numerus="yes">
        <source>%1 on the model in %2 with the data in %3: %n epoch(s), %4, learning rate %5.</source>
        <translation>
            <numerusform>%1: 모델 %2, 데이터 %3, 에포크 %n, %4, 학습률 %5.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TrainingController</name>
    <message>
        <source>Training cancelled.</source>
        <translation>학습이 취소되었습니다.</translation>
    </message>
</context>
<context>
    <name>TrainingSettingsBox</name>
    <message>
        <source>Training</source>
        <translation>학습</translation>
    </message>
    <message>
        <source>Gradient checkpointing (less memory, about a third slower)</source>
        <translation>그래디언트 체크포인팅 (메모리 절약, 약 1/3 느려짐)</translation>
    </message>
    <message>
        <source>Automatic (GPU when there is one)</source>
        <translation>자동 (GPU가 있으면 GPU)</translation>
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
        <translation>장치:</translation>
    </message>
    <message>
        <source>Weights dtype:</source>
        <translation>가중치 dtype:</translation>
    </message>
    <message>
        <source>Batch size:</source>
        <translation>배치 크기:</translation>
    </message>
    <message>
        <source>Gradient accumulation:</source>
        <translation>그래디언트 누적:</translation>
    </message>
    <message>
        <source>Epochs:</source>
        <translation>에포크:</translation>
    </message>
    <message>
        <source>Learning rate:</source>
        <translation>학습률:</translation>
    </message>
    <message>
        <source>Several GPUs or CPU processes train data-parallel: each process takes its own batch of the size below, and their gradients are summed every step.</source>
        <translation>여러 GPU나 CPU 프로세스가 데이터 병렬로 학습합니다. 프로세스마다 아래 크기의 배치를 따로 받고, 매 단계 기울기를 합칩니다.</translation>
    </message>
    <message numerus="yes">
        <source>%n GPUs (data-parallel)</source>
        <translation>
            <numerusform>GPU %n개 (데이터 병렬)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n CPU processes (data-parallel)</source>
        <translation>
            <numerusform>CPU 프로세스 %n개 (데이터 병렬)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n processes (GPUs when there are, else CPU)</source>
        <translation>
            <numerusform>프로세스 %n개 (GPU가 있으면 GPU, 없으면 CPU)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TrainingView</name>
    <message>
        <source>No project open</source>
        <translation>열린 프로젝트 없음</translation>
    </message>
    <message>
        <source>%v / %m steps</source>
        <translation>%v / %m 스텝</translation>
    </message>
    <message>
        <source>Prepared: %1 training and %2 validation examples; %3 of %4 parameters trainable (%5%); %6 steps on %7.</source>
        <translation>준비 완료: 학습 예제 %1개, 검증 예제 %2개; 파라미터 %4개 중 %3개 학습 (%5%); %7에서 %6 스텝.</translation>
    </message>
    <message>
        <source>Validation at step %1: loss %2, perplexity %3</source>
        <translation>스텝 %1 검증: 손실 %2, 퍼플렉서티 %3</translation>
    </message>
    <message>
        <source>Step %1 / %2 (epoch %3)</source>
        <translation>스텝 %1 / %2 (에포크 %3)</translation>
    </message>
    <message>
        <source>Loss %1</source>
        <translation>손실 %1</translation>
    </message>
    <message>
        <source>LR %1</source>
        <translation>학습률 %1</translation>
    </message>
    <message>
        <source>%1 tokens/s</source>
        <translation>%1 토큰/초</translation>
    </message>
    <message>
        <source>ETA %1</source>
        <translation>남은 시간 %1</translation>
    </message>
    <message>
        <source>Memory %1 MiB</source>
        <translation>메모리 %1 MiB</translation>
    </message>
    <message>
        <source>Continuing from the checkpoint of step %1</source>
        <translation>스텝 %1의 체크포인트에서 이어 갑니다</translation>
    </message>
    <message>
        <source>Step %1 / %2</source>
        <translation>스텝 %1 / %2</translation>
    </message>
    <message>
        <source>Packing: %1 training examples in %2 rows.</source>
        <translation>패킹: 학습 예제 %1개를 %2개 행에 담았습니다.</translation>
    </message>
    <message>
        <source>Validation at step %1: reward accuracy %2, margin %3</source>
        <translation>스텝 %1 검증: 보상 정확도 %2, 마진 %3</translation>
    </message>
    <message>
        <source>No checkpoint yet: the run starts again from step 0</source>
        <translation>아직 체크포인트가 없어 0단계부터 다시 시작합니다</translation>
    </message>
</context>
<context>
    <name>WizardTour</name>
    <message>
        <source>What the model should learn</source>
        <translation>모델이 배울 것</translation>
    </message>
    <message>
        <source>The model</source>
        <translation>모델</translation>
    </message>
    <message>
        <source>Any Hugging Face model folder: config.json, safetensors weights and the tokenizer. Choose it here, or drop the folder on the main window. The demo&apos;s tiny Llama is already chosen.</source>
        <translation>Hugging Face 모델 폴더라면 무엇이든 됩니다: config.json, safetensors 가중치, 토크나이저. 여기서 고르거나 폴더를 메인 창에 끌어다 놓으세요. 데모의 작은 Llama가 이미 선택되어 있습니다.</translation>
    </message>
    <message>
        <source>What it is and what it needs</source>
        <translation>모델 정보와 필요한 메모리</translation>
    </message>
    <message>
        <source>Read from the folder: architecture, parameter count, stored dtype, chat template, and the memory its weights take.</source>
        <translation>폴더에서 읽은 정보: 아키텍처, 파라미터 수, 저장 dtype, 채팅 템플릿, 가중치가 차지하는 메모리.</translation>
    </message>
    <message>
        <source>The data</source>
        <translation>데이터</translation>
    </message>
    <message>
        <source>JSONL, JSON, CSV/TSV or plain text; the record format (messages, ShareGPT, Alpaca, prompt/response, text) is detected. Rows that cannot be used are listed below with their line and the reason; the rest still trains.</source>
        <translation>JSONL, JSON, CSV/TSV 또는 일반 텍스트이며, 레코드 형식(messages, ShareGPT, Alpaca, prompt/response, text)은 자동으로 감지합니다. 쓸 수 없는 행은 줄 번호와 이유와 함께 아래에 나열되고, 나머지로 학습합니다.</translation>
    </message>
    <message>
        <source>The chat template</source>
        <translation>채팅 템플릿</translation>
    </message>
    <message>
        <source>Each example rendered with the model&apos;s own chat template, as transformers&apos; apply_chat_template renders it. A template error stops here, with its line, not in the middle of a run.</source>
        <translation>각 예제를 모델 자체의 채팅 템플릿으로, transformers의 apply_chat_template과 똑같이 렌더링합니다. 템플릿 오류는 학습 도중이 아니라 여기서 줄 번호와 함께 멈춥니다.</translation>
    </message>
    <message>
        <source>What the model learns from</source>
        <translation>모델이 배우는 토큰</translation>
    </message>
    <message>
        <source>The tokens of the example: ids, pieces, attention mask and loss mask. Only the marked tokens (the assistant&apos;s answer) carry loss; if an answer is not marked, the model learns nothing from it.</source>
        <translation>예제의 토큰: id, 조각, 어텐션 마스크, 손실 마스크. 표시된 토큰(어시스턴트의 답변)에만 손실이 걸립니다. 답변이 표시되지 않았다면 모델은 그 답변에서 아무것도 배우지 않습니다.</translation>
    </message>
    <message>
        <source>The method</source>
        <translation>방법</translation>
    </message>
    <message>
        <source>Full fine-tuning changes every weight. LoRA trains small matrices beside frozen weights; QLoRA does the same over a 4-bit base to save memory. Adapter, prompt, P- and prefix tuning train fewer parameters still. Each method&apos;s settings appear below it.</source>
        <translation>전체 미세 조정은 모든 가중치를 바꿉니다. LoRA는 고정된 가중치 옆에 작은 행렬을 학습하고, QLoRA는 메모리를 아끼려고 4비트 기본 모델 위에서 같은 일을 합니다. 어댑터, 프롬프트, P-, 프리픽스 튜닝은 그보다도 적은 파라미터를 학습합니다. 각 방법의 설정은 그 아래에 나옵니다.</translation>
    </message>
    <message>
        <source>Will it fit?</source>
        <translation>메모리에 들어갈까?</translation>
    </message>
    <message>
        <source>The peak memory of the run, estimated for the model, method, batch and sequence length you chose, updated with every change.</source>
        <translation>고른 모델, 방법, 배치, 시퀀스 길이로 추정한 학습의 최대 메모리이며, 설정을 바꿀 때마다 갱신됩니다.</translation>
    </message>
    <message>
        <source>Train</source>
        <translation>학습</translation>
    </message>
    <message>
        <source>Start the run and watch the loss fall. The validation loss (red) rising while the training loss falls means over-fitting. Pause, resume or cancel at any time. Next becomes available when the run has finished.</source>
        <translation>학습을 시작하고 손실이 내려가는지 지켜보세요. 학습 손실이 내려가는데 검증 손실(빨간색)이 올라가면 과적합입니다. 언제든 일시 정지, 다시 시작, 취소할 수 있습니다. 학습이 끝나면 다음 단계로 넘어갈 수 있습니다.</translation>
    </message>
    <message>
        <source>Export and try</source>
        <translation>내보내기 및 사용해 보기</translation>
    </message>
    <message>
        <source>Save a PEFT adapter (for transformers and peft), a merged model, or a GGUF adapter (for llama.cpp and Ollama). Then ask the base and the tuned model the same question side by side.</source>
        <translation>PEFT 어댑터(transformers와 peft용), 병합된 모델, 또는 GGUF 어댑터(llama.cpp와 Ollama용)로 저장하세요. 그런 다음 기본 모델과 미세 조정된 모델에 같은 질문을 나란히 해 보세요.</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>이전</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>다음</translation>
    </message>
    <message>
        <source>End tour</source>
        <translation>둘러보기 종료</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source>Finish</source>
        <translation>마침</translation>
    </message>
    <message>
        <source>The tour goes on when this page is ready.</source>
        <translation>이 페이지가 준비되면 둘러보기가 이어집니다.</translation>
    </message>
    <message>
        <source>&lt;b&gt;Instruct fine-tuning&lt;/b&gt; teaches a model to answer your way, from conversations; the loss is taken only on the answers. &lt;b&gt;Base fine-tuning&lt;/b&gt; continues pre-training on plain text, for a domain&apos;s vocabulary and style. &lt;b&gt;Preference tuning&lt;/b&gt; then aligns a tuned model from pairs of better and worse answers. The demo is an instruct run.</source>
        <translation>&lt;b&gt;Instruct 미세 조정&lt;/b&gt;은 대화 데이터로 모델이 원하는 방식으로 답하도록 가르치며, 손실은 답변에만 매깁니다. &lt;b&gt;Base 미세 조정&lt;/b&gt;은 일반 텍스트로 사전 학습을 이어 가며 분야의 어휘와 문체를 익히게 합니다. &lt;b&gt;선호도 튜닝&lt;/b&gt;은 그다음 더 나은 답변과 더 못한 답변의 쌍으로 미세 조정된 모델을 정렬합니다. 데모는 Instruct 학습입니다.</translation>
    </message>
    <message>
        <source>Did it help?</source>
        <translation>도움이 되었나요?</translation>
    </message>
    <message>
        <source>Evaluate runs the rows training held out through the base model and the tuned one: loss per example, both answers side by side, exact match, token F1 and ROUGE-L against the reference. Sort by the change in loss to see what improved and what got worse; Enter on a row opens it in the dataset editor.</source>
        <translation>평가는 학습에서 떼어 둔 행을 기본 모델과 미세 조정 모델에 통과시킵니다. 예제별 손실, 나란히 놓인 두 답변, 참조 답변 대비 정확히 일치, 토큰 F1, ROUGE-L을 보여 줍니다. 손실 변화로 정렬하면 무엇이 나아지고 무엇이 나빠졌는지 보입니다. 행에서 Enter를 누르면 데이터셋 편집기에서 엽니다.</translation>
    </message>
</context>
</TS>
