<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name />
    <message>
        <location filename="../../explorer/i18n.py" line="136" />
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../explorer/i18n.py" line="142" />
        <source>Menus, the tour and explanations switch at once; panel buttons at the next start</source>
        <translation>菜单、导览和说明立即切换；面板按钮在下次启动时切换</translation>
    </message>
</context>
<context>
    <name>ExplanationPane</name>
    <message>
        <location filename="../../explorer/explain.py" line="93" />
        <source>Explanation</source>
        <translation>说明</translation>
    </message>
    <message>
        <location filename="../../explorer/explain.py" line="94" />
        <source>Show or hide what this panel shows and why</source>
        <translation>显示或隐藏本面板展示的内容及其原理</translation>
    </message>
    <message>
        <location filename="../../explorer/explain.py" line="96" />
        <source>What this panel shows; View &gt; Language switches the language</source>
        <translation>本面板展示的内容；“视图 &gt; 语言”可以切换语言</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../explorer/app.py" line="139" />
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message>
        <location filename="../../explorer/app.py" line="196" />
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../explorer/app.py" line="197" />
        <source>Open &amp;corpus…</source>
        <translation>打开语料(&amp;C)…</translation>
    </message>
    <message>
        <location filename="../../explorer/app.py" line="198" />
        <source>&amp;Open checkpoint…</source>
        <translation>打开检查点(&amp;O)…</translation>
    </message>
    <message>
        <location filename="../../explorer/app.py" line="200" />
        <source>Open &amp;recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../explorer/app.py" line="201" />
        <source>&amp;Save checkpoint…</source>
        <translation>保存检查点(&amp;S)…</translation>
    </message>
    <message>
        <location filename="../../explorer/app.py" line="203" />
        <source>&amp;Export current view…</source>
        <translation>导出当前视图(&amp;E)…</translation>
    </message>
    <message>
        <location filename="../../explorer/app.py" line="206" />
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../../explorer/app.py" line="209" />
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location filename="../../explorer/app.py" line="213" />
        <source>&amp;Reset layout</source>
        <translation>恢复默认布局(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../explorer/app.py" line="217" />
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../../explorer/app.py" line="218" />
        <source>&amp;Guided tour</source>
        <translation>导览(&amp;G)</translation>
    </message>
    <message>
        <location filename="../../explorer/app.py" line="219" />
        <source>One stop per idea, each opening its panel with an example (F1)</source>
        <translation>每个概念一站，每站打开对应的面板并给出例子（F1）</translation>
    </message>
    <message>
        <location filename="../../explorer/app.py" line="220" />
        <source>&amp;Keyboard shortcuts</source>
        <translation>快捷键(&amp;K)</translation>
    </message>
    <message>
        <location filename="../../explorer/app.py" line="221" />
        <source>&amp;About</source>
        <translation>关于(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../explorer/app.py" line="244" />
        <location filename="../../explorer/app.py" line="389" />
        <source>device: {}</source>
        <translation>设备：{}</translation>
    </message>
    <message>
        <location filename="../../explorer/app.py" line="245" />
        <location filename="../../explorer/app.py" line="390" />
        <location filename="../../explorer/app.py" line="399" />
        <source>step: {}</source>
        <translation>步数：{}</translation>
    </message>
    <message>
        <location filename="../../explorer/app.py" line="246" />
        <location filename="../../explorer/app.py" line="391" />
        <source>parameters: {}</source>
        <translation>参数量：{}</translation>
    </message>
    <message>
        <location filename="../../explorer/app.py" line="247" />
        <location filename="../../explorer/app.py" line="400" />
        <source>tokens/s: {}</source>
        <translation>token/秒：{}</translation>
    </message>
    <message>
        <location filename="../../explorer/app.py" line="250" />
        <source>Loading the model…</source>
        <translation>正在加载模型…</translation>
    </message>
    <message>
        <location filename="../../explorer/app.py" line="444" />
        <source>Keyboard shortcuts</source>
        <translation>快捷键</translation>
    </message>
</context>
<context>
    <name>Panels</name>
    <message>
        <location filename="../../explorer/app.py" line="68" />
        <source>Training</source>
        <translation>训练</translation>
    </message>
    <message>
        <location filename="../../explorer/app.py" line="69" />
        <source>Attention</source>
        <translation>注意力</translation>
    </message>
    <message>
        <location filename="../../explorer/app.py" line="70" />
        <source>Tokens</source>
        <translation>词元</translation>
    </message>
    <message>
        <location filename="../../explorer/app.py" line="71" />
        <source>Embeddings</source>
        <translation>词嵌入</translation>
    </message>
    <message>
        <location filename="../../explorer/app.py" line="72" />
        <source>Word2vec</source>
        <translation>Word2vec 词向量</translation>
    </message>
    <message>
        <location filename="../../explorer/app.py" line="73" />
        <source>Positional</source>
        <translation>位置编码</translation>
    </message>
</context>
<context>
    <name>Shortcuts</name>
    <message>
        <location filename="../../explorer/app.py" line="77" />
        <source>guided tour</source>
        <translation>导览</translation>
    </message>
    <message>
        <location filename="../../explorer/app.py" line="78" />
        <source>next / previous stop of the tour</source>
        <translation>导览的下一站 / 上一站</translation>
    </message>
    <message>
        <location filename="../../explorer/app.py" line="79" />
        <source>play / pause training</source>
        <translation>开始 / 暂停训练</translation>
    </message>
    <message>
        <location filename="../../explorer/app.py" line="80" />
        <source>one training step</source>
        <translation>训练一步</translation>
    </message>
    <message>
        <location filename="../../explorer/app.py" line="81" />
        <source>open a checkpoint</source>
        <translation>打开检查点</translation>
    </message>
    <message>
        <location filename="../../explorer/app.py" line="82" />
        <source>save a checkpoint</source>
        <translation>保存检查点</translation>
    </message>
    <message>
        <location filename="../../explorer/app.py" line="83" />
        <source>export the current view as PNG or SVG</source>
        <translation>把当前视图导出为 PNG 或 SVG</translation>
    </message>
    <message>
        <location filename="../../explorer/app.py" line="84" />
        <source>quit</source>
        <translation>退出</translation>
    </message>
</context>
<context>
    <name>SlowMotionView</name>
    <message>
        <location filename="../../explorer/panels/training.py" line="125" />
        <source>Step in slow motion</source>
        <translation>慢动作走一步</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training.py" line="126" />
        <source>Take one training step and show each of its stages</source>
        <translation>训练一步，并逐个展示它的各个阶段</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training.py" line="127" />
        <source>◀ Back</source>
        <translation>◀ 上一阶段</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training.py" line="128" />
        <source>Next ▶</source>
        <translation>下一阶段 ▶</translation>
    </message>
</context>
<context>
    <name>Theme</name>
    <message>
        <location filename="../../explorer/theme.py" line="72" />
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <location filename="../../explorer/theme.py" line="73" />
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <location filename="../../explorer/theme.py" line="74" />
        <source>&amp;Theme</source>
        <translation>主题(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../explorer/theme.py" line="80" />
        <source>Colours of windows, panels and text</source>
        <translation>窗口、面板和文字的配色</translation>
    </message>
</context>
<context>
    <name>Tour</name>
    <message>
        <location filename="../../explorer/tour.py" line="177" />
        <source>Back</source>
        <translation>上一站</translation>
    </message>
    <message>
        <location filename="../../explorer/tour.py" line="178" />
        <source>The previous stop (Alt+Left)</source>
        <translation>上一站（Alt+←）</translation>
    </message>
    <message>
        <location filename="../../explorer/tour.py" line="179" />
        <source>Next</source>
        <translation>下一站</translation>
    </message>
    <message>
        <location filename="../../explorer/tour.py" line="180" />
        <source>The next stop (Alt+Right)</source>
        <translation>下一站（Alt+→）</translation>
    </message>
    <message>
        <location filename="../../explorer/tour.py" line="181" />
        <source>Leave</source>
        <translation>退出导览</translation>
    </message>
    <message>
        <location filename="../../explorer/tour.py" line="182" />
        <source>Close the tour; everything stays as it is (Esc)</source>
        <translation>关闭导览，界面保持原样（Esc）</translation>
    </message>
    <message>
        <location filename="../../explorer/tour.py" line="184" />
        <source>What this stop shows; the panel it talks about is open</source>
        <translation>这一站讲解的内容；相关面板已经打开</translation>
    </message>
    <message>
        <location filename="../../explorer/tour.py" line="283" />
        <source>Guided tour</source>
        <translation>导览</translation>
    </message>
    <message>
        <location filename="../../explorer/tour.py" line="285" />
        <source>Stop %1 of %2</source>
        <translation>第 %1 站，共 %2 站</translation>
    </message>
</context>
<context>
    <name>TrainingPanel</name>
    <message>
        <location filename="../../explorer/panels/training.py" line="374" />
        <source>Curves</source>
        <translation>曲线</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training.py" line="376" />
        <source>Samples</source>
        <translation>样例</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training.py" line="379" />
        <source>Slow motion</source>
        <translation>慢动作</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training.py" line="399" />
        <source>Data and model</source>
        <translation>数据与模型</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training.py" line="403" />
        <source>A built-in corpus or a file (TSV / Tatoeba)</source>
        <translation>内置语料或文件（TSV / Tatoeba）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training.py" line="404" />
        <source>File…</source>
        <translation>文件…</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training.py" line="418" />
        <source>Rebuild</source>
        <translation>重建</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training.py" line="419" />
        <source>A fresh, untrained model with these settings</source>
        <translation>用这些设置新建一个未训练的模型</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training.py" line="427" />
        <source>Corpus</source>
        <translation>语料</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training.py" line="429" />
        <source>Tokens</source>
        <translation>分词</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training.py" line="431" />
        <source>Layers</source>
        <translation>层数</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training.py" line="431" />
        <source>Heads</source>
        <translation>头数</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training.py" line="433" />
        <source>Dropout</source>
        <translation>Dropout 比例</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training.py" line="433" />
        <source>Position</source>
        <translation>位置编码</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training.py" line="437" />
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training.py" line="443" />
        <location filename="../../explorer/panels/training.py" line="452" />
        <location filename="../../explorer/panels/training.py" line="676" />
        <source>Play</source>
        <translation>播放</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training.py" line="444" />
        <source>Train continuously / pause (Space)</source>
        <translation>持续训练 / 暂停（空格键）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training.py" line="446" />
        <location filename="../../explorer/panels/training.py" line="454" />
        <source>Step</source>
        <translation>单步</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training.py" line="447" />
        <source>One training step (Right arrow)</source>
        <translation>训练一步（→ 键）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training.py" line="457" />
        <source>Step N</source>
        <translation>走 N 步</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training.py" line="459" />
        <source>Reset</source>
        <translation>重置</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training.py" line="460" />
        <source>Fresh random weights, step 0</source>
        <translation>重新随机初始化权重，回到第 0 步</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training.py" line="462" />
        <source>Fixed lr</source>
        <translation>固定学习率</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training.py" line="463" />
        <source>Unticked: the schedule sets the learning rate</source>
        <translation>不勾选时由学习率调度决定</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training.py" line="469" />
        <source>Play stops at this step</source>
        <translation>播放到这一步时停止</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training.py" line="482" />
        <source>Target</source>
        <translation>目标步数</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training.py" line="518" />
        <source>Evaluate now</source>
        <translation>立即评估</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training.py" line="519" />
        <source>Translate the validation sentences with the model as it is now</source>
        <translation>用当前模型翻译验证集句子</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training.py" line="676" />
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
</context>
</TS>