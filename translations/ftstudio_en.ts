<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
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
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Finetune Studio</source>
        <translation>Finetune Studio</translation>
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
        <source>Training finished. The adapter is in %1</source>
        <translation>Training finished. The adapter is in %1</translation>
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
        <source>Adapter exported to %1</source>
        <translation>Adapter exported to %1</translation>
    </message>
    <message>
        <source>Adapter exported</source>
        <translation>Adapter exported</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>Export failed</translation>
    </message>
    <message>
        <source>No project open</source>
        <translation>No project open</translation>
    </message>
    <message>
        <source>%v / %m steps</source>
        <translation>%v / %m steps</translation>
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
        <source>&amp;Train</source>
        <translation>&amp;Train</translation>
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
        <source>&amp;LoRA Adapter (PEFT)…</source>
        <translation>&amp;LoRA Adapter (PEFT)…</translation>
    </message>
    <message>
        <source>Export LoRA adapter into</source>
        <translation>Export LoRA adapter into</translation>
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
        <source>Training started</source>
        <translation>Training started</translation>
    </message>
    <message>
        <source>Training…</source>
        <translation>Training…</translation>
    </message>
    <message>
        <source>Exporting the adapter to %1 …</source>
        <translation>Exporting the adapter to %1 …</translation>
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
        <source>&amp;Export</source>
        <translation>&amp;Export</translation>
    </message>
</context>
<context>
    <name>TrainingController</name>
    <message>
        <source>Training cancelled.</source>
        <translation>Training cancelled.</translation>
    </message>
    <message>
        <source>Train a model first: there is no finished adapter to export.</source>
        <translation>Train a model first: there is no finished adapter to export.</translation>
    </message>
</context>
</TS>