<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko_KR">
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
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Finetune Studio</source>
        <translation>Finetune Studio</translation>
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
        <source>Training finished. The adapter is in %1</source>
        <translation>학습이 끝났습니다. 어댑터 위치: %1</translation>
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
        <source>Adapter exported to %1</source>
        <translation>어댑터를 %1(으)로 내보냈습니다</translation>
    </message>
    <message>
        <source>Adapter exported</source>
        <translation>어댑터 내보내기 완료</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>내보내기 실패</translation>
    </message>
    <message>
        <source>No project open</source>
        <translation>열린 프로젝트 없음</translation>
    </message>
    <message>
        <source>%v / %m steps</source>
        <translation>%v / %m 스텝</translation>
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
        <source>&amp;Train</source>
        <translation>학습(&amp;T)</translation>
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
        <source>&amp;LoRA Adapter (PEFT)…</source>
        <translation>LoRA 어댑터 (PEFT)(&amp;L)…</translation>
    </message>
    <message>
        <source>Export LoRA adapter into</source>
        <translation>LoRA 어댑터를 내보낼 폴더</translation>
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
        <source>Training started</source>
        <translation>학습 시작됨</translation>
    </message>
    <message>
        <source>Training…</source>
        <translation>학습 중…</translation>
    </message>
    <message>
        <source>Exporting the adapter to %1 …</source>
        <translation>%1(으)로 어댑터를 내보내는 중…</translation>
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
        <source>%1 tokens/s</source>
        <translation>초당 %1 토큰</translation>
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
        <source>&amp;Export</source>
        <translation>내보내기(&amp;E)</translation>
    </message>
</context>
<context>
    <name>TrainingController</name>
    <message>
        <source>Training cancelled.</source>
        <translation>학습이 취소되었습니다.</translation>
    </message>
    <message>
        <source>Train a model first: there is no finished adapter to export.</source>
        <translation>먼저 학습하세요: 내보낼 완성된 어댑터가 없습니다.</translation>
    </message>
</context>
</TS>