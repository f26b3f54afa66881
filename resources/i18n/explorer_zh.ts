<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name></name>
    <message>
        <location filename="../../explorer/i18n.py" line="136"/>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../explorer/i18n.py" line="142"/>
        <source>Show menus, buttons and explanations in this language</source>
        <translation>用这种语言显示菜单、按钮和说明</translation>
    </message>
</context>
<context>
    <name>ExplanationPane</name>
    <message>
        <location filename="../../explorer/explain.py" line="84"/>
        <source>Explanation</source>
        <translation>说明</translation>
    </message>
    <message>
        <location filename="../../explorer/explain.py" line="85"/>
        <source>Show or hide what this panel shows and why</source>
        <translation>显示或隐藏本面板展示的内容及其原理</translation>
    </message>
    <message>
        <location filename="../../explorer/explain.py" line="87"/>
        <source>What this panel shows; View &gt; Language switches the language</source>
        <translation>本面板展示的内容；“视图 &gt; 语言”可以切换语言</translation>
    </message>
</context>
<context>
    <name>Tour</name>
    <message>
        <location filename="../../explorer/tour.py" line="186"/>
        <source>Back</source>
        <translation>上一站</translation>
    </message>
    <message>
        <location filename="../../explorer/tour.py" line="187"/>
        <source>The previous stop (Alt+Left)</source>
        <translation>上一站（Alt+←）</translation>
    </message>
    <message>
        <location filename="../../explorer/tour.py" line="188"/>
        <source>Next</source>
        <translation>下一站</translation>
    </message>
    <message>
        <location filename="../../explorer/tour.py" line="189"/>
        <source>The next stop (Alt+Right)</source>
        <translation>下一站（Alt+→）</translation>
    </message>
    <message>
        <location filename="../../explorer/tour.py" line="190"/>
        <source>Leave</source>
        <translation>退出导览</translation>
    </message>
    <message>
        <location filename="../../explorer/tour.py" line="191"/>
        <source>Close the tour; everything stays as it is (Esc)</source>
        <translation>关闭导览，界面保持原样（Esc）</translation>
    </message>
    <message>
        <location filename="../../explorer/tour.py" line="193"/>
        <source>What this stop shows; the panel it talks about is open</source>
        <translation>这一站讲解的内容；相关面板已经打开</translation>
    </message>
    <message>
        <location filename="../../explorer/tour.py" line="287"/>
        <source>Guided tour</source>
        <translation>导览</translation>
    </message>
    <message>
        <location filename="../../explorer/tour.py" line="289"/>
        <source>Stop %1 of %2</source>
        <translation>第 %1 站，共 %2 站</translation>
    </message>
</context>
</TS>
