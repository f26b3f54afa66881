<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name />
    <message>
        <location filename="../../explorer/i18n.py" line="135" />
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../explorer/i18n.py" line="141" />
        <source>Menus, panels, the tour and explanations switch at once</source>
        <translation>菜单、面板、导览和说明都会立即切换</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training.py" line="65" />
        <source>Discard training?</source>
        <translation>放弃训练？</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training.py" line="66" />
        <source>{action} discards {steps} training steps that were not saved. Go on?</source>
        <translation>“{action}”会丢弃 {steps} 步尚未保存的训练。继续吗？</translation>
    </message>
    <message>
        <location filename="../../explorer/widgets/export.py" line="36" />
        <source>PNG image (*.png);;SVG drawing (*.svg)</source>
        <translation>PNG 图片 (*.png);;SVG 矢量图 (*.svg)</translation>
    </message>
    <message>
        <location filename="../../explorer/widgets/export.py" line="39" />
        <source>CSV table (*.csv);;NumPy array (*.npy);;NumPy archive (*.npz)</source>
        <translation>CSV 表格 (*.csv);;NumPy 数组 (*.npy);;NumPy 归档 (*.npz)</translation>
    </message>
    <message>
        <location filename="../../explorer/widgets/export.py" line="120" />
        <source>matrices are saved as {extensions}, not {ext}</source>
        <translation>矩阵只能保存为 {extensions}，不能保存为 {ext}</translation>
    </message>
    <message>
        <location filename="../../explorer/widgets/export.py" line="123" />
        <source>nothing to export</source>
        <translation>没有可导出的内容</translation>
    </message>
    <message>
        <location filename="../../explorer/widgets/export.py" line="146" />
        <location filename="../../explorer/widgets/export.py" line="165" />
        <source>could not write {path}</source>
        <translation>无法写入 {path}</translation>
    </message>
    <message>
        <location filename="../../explorer/widgets/scatter.py" line="88" />
        <source>the '{platform}' platform has no OpenGL</source>
        <translation>“{platform}”平台不支持 OpenGL</translation>
    </message>
    <message>
        <location filename="../../explorer/widgets/scatter.py" line="92" />
        <source>pyqtgraph.opengl is unavailable ({error})</source>
        <translation>无法使用 pyqtgraph.opengl（{error}）</translation>
    </message>
    <message>
        <location filename="../../explorer/widgets/scatter.py" line="96" />
        <source>no OpenGL context could be created</source>
        <translation>无法创建 OpenGL 上下文</translation>
    </message>
    <message>
        <location filename="../../explorer/widgets/position_table.py" line="59" />
        <source>from position {m}</source>
        <translation>从位置 {m} 起</translation>
    </message>
    <message>
        <location filename="../../explorer/widgets/position_table.py" line="63" />
        <source>largest difference between start positions: {spread:.3g}</source>
        <translation>不同起始位置之间的最大差异：{spread:.3g}</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/views.py" line="39" />
        <location filename="../../explorer/panels/attention/views.py" line="46" />
        <source>Encoder self-attention</source>
        <translation>编码器自注意力</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/views.py" line="40" />
        <source>Decoder masked self-attention</source>
        <translation>解码器带掩码的自注意力</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/views.py" line="41" />
        <source>Cross-attention (decoder → encoder)</source>
        <translation>交叉注意力（解码器 → 编码器）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/views.py" line="47" />
        <source>Decoder self-attention</source>
        <translation>解码器自注意力</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/views.py" line="48" />
        <source>Cross-attention</source>
        <translation>交叉注意力</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/views.py" line="53" />
        <source>mean</source>
        <translation>平均</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/views.py" line="53" />
        <source>max</source>
        <translation>最大</translation>
    </message>
</context>
<context>
    <name>AggregatesView</name>
    <message>
        <location filename="../../explorer/panels/attention/views.py" line="313" />
        <source>{kind}, per layer: the mean and the maximum of all heads' weights. Click one to open it.</source>
        <translation>{kind}，每层：所有头的权重的平均值和最大值。点击其中一个即可打开。</translation>
    </message>
</context>
<context>
    <name>AnalysisPanel</name>
    <message>
        <location filename="../../explorer/panels/analysis/panel.py" line="79" />
        <source>Analyse</source>
        <translation>分析</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/panel.py" line="80" />
        <source>Compute the current view for this sentence (Ctrl+Return)</source>
        <translation>为这个句子计算当前视图（Ctrl+Return）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/panel.py" line="84" />
        <source>Sentence:</source>
        <translation>句子：</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/panel.py" line="89" />
        <source>Attribution</source>
        <translation>归因</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/panel.py" line="90" />
        <source>Which input tokens decided each output token</source>
        <translation>哪些输入词决定了每个输出词</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/panel.py" line="91" />
        <source>Rollout</source>
        <translation>注意力展开</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/panel.py" line="92" />
        <source>Attention rolled out through the layers, with the residual</source>
        <translation>把注意力连同残差逐层展开</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/panel.py" line="94" />
        <source>Head importance</source>
        <translation>头的重要性</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/panel.py" line="95" />
        <source>What each head is worth: switch it off and measure</source>
        <translation>每个头有多大作用：关掉它再测量</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/panel.py" line="96" />
        <source>Logit lens</source>
        <translation>逻辑透镜</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/panel.py" line="97" />
        <source>What each decoder layer would predict if it were the last</source>
        <translation>如果解码器的每一层是最后一层，它会预测什么</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/panel.py" line="99" />
        <source>Beam tree</source>
        <translation>束搜索树</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/panel.py" line="100" />
        <source>Every step of beam search: candidates, survivors, the final choice</source>
        <translation>束搜索的每一步：候选词、保留的假设、最后的选择</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/panel.py" line="287" />
        <source>attribution</source>
        <translation>归因</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/panel.py" line="287" />
        <source>rollout</source>
        <translation>注意力展开</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/panel.py" line="288" />
        <source>head sweep</source>
        <translation>逐头测量</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/panel.py" line="288" />
        <source>logit lens</source>
        <translation>逻辑透镜</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/panel.py" line="289" />
        <source>beam tree</source>
        <translation>束搜索树</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/panel.py" line="295" />
        <source>computing the {view} in the worker…</source>
        <translation>正在后台线程中计算{view}…</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/panel.py" line="297" />
        <source>{view} at step {step}</source>
        <translation>第 {step} 步的{view}</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/panel.py" line="299" />
        <source>: the model translates “{t}”</source>
        <translation>：模型译为“{t}”</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/panel.py" line="301" />
        <source> (the model is at step {now} now: Analyse again)</source>
        <translation>（模型现在在第 {now} 步：请再点“分析”）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/panel.py" line="304" />
        <source>Analyse computes the {view}: on a model of {millions:.0f} M parameters it takes a while, and training waits for it</source>
        <translation>点“分析”才计算{view}：模型有 {millions:.0f} M 个参数，要算一阵，训练也会等它</translation>
    </message>
</context>
<context>
    <name>AttentionPanel</name>
    <message>
        <location filename="../../explorer/panels/attention/labels.py" line="15" />
        <source>Overview</source>
        <translation>总览</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/labels.py" line="16" />
        <source>All heads of all layers; click one to open it</source>
        <translation>所有层的所有头；点击一个头打开它</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/labels.py" line="17" />
        <source>Head</source>
        <translation>单个头</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/labels.py" line="18" />
        <source>One head: hover for values, click to lock a row/column</source>
        <translation>单个头：悬停查看数值，点击锁定一行/一列</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/labels.py" line="19" />
        <source>Lines</source>
        <translation>连线</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/labels.py" line="20" />
        <source>Lines from each query token to the key tokens it attends to</source>
        <translation>从每个查询词元连到它所关注的键词元</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/labels.py" line="21" />
        <source>Computation</source>
        <translation>计算过程</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/labels.py" line="22" />
        <source>One head step by step: X, Q, K, V, QKᵀ, softmax, A'V, concat, Wo</source>
        <translation>逐步计算一个头：X、Q、K、V、QKᵀ、softmax、A'V、拼接、Wo</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/labels.py" line="24" />
        <source>Mean / max</source>
        <translation>平均 / 最大</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/labels.py" line="25" />
        <source>Mean and max over the heads of each layer</source>
        <translation>每一层所有头的平均值和最大值</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/labels.py" line="45" />
        <source>saved {n} files in {folder}: {first} … {last}</source>
        <translation>已保存 {n} 个文件到 {folder}：{first} … {last}</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/labels.py" line="54" />
        <source>Save a picture of the current view as {format} ({key})</source>
        <translation>把当前视图的图片保存为 {format}（{key}）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/labels.py" line="56" />
        <source>Save the matrices of the current view as {format} ({key})</source>
        <translation>把当前视图的矩阵保存为 {format}（{key}）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/labels.py" line="34" />
        <source>{n} sentences from {file}</source>
        <translation>从 {file} 读入 {n} 个句子</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/labels.py" line="26" />
        <source>Compare</source>
        <translation>对比</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/labels.py" line="27" />
        <source>One sentence through two models: every map as A, B and B − A</source>
        <translation>同一个句子送入两个模型：每张图都显示 A、B 和 B − A</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/labels.py" line="36" />
        <source>Teacher forcing needs a reference translation</source>
        <translation>强制解码需要参考译文</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/labels.py" line="38" />
        <source>tracing…</source>
        <translation>正在记录…</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/labels.py" line="40" />
        <source>step {step}: {n_src} source and {n_tgt} target tokens → {output}</source>
        <translation>第 {step} 步：{n_src} 个源词元、{n_tgt} 个目标词元 → {output}</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/labels.py" line="90" />
        <source>(nothing: the model ends the sentence at once)</source>
        <translation>（空：模型一开始就结束了句子）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/labels.py" line="92" />
        <source>Shown here: “{source}”. Predicted next words (teacher forcing): {text}</source>
        <translation>此处显示：“{source}”。每个位置预测的下一个词（强制解码）：{text}</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/labels.py" line="95" />
        <source>Shown here: “{source}” → {text}</source>
        <translation>此处显示：“{source}” → {text}</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/labels.py" line="97" />
        <source>Predicted next words (teacher forcing): {text}</source>
        <translation>每个位置预测的下一个词（强制解码）：{text}</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/labels.py" line="99" />
        <source>Translation: {text}</source>
        <translation>译文：{text}</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/labels.py" line="43" />
        <source>saved {files}</source>
        <translation>已保存 {files}</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/panel.py" line="445" />
        <source>{kind}, layer {layer}: queries left, keys right</source>
        <translation>{kind}，第 {layer} 层：左边是查询，右边是键</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/exporting.py" line="58" />
        <source>Export</source>
        <translation>导出</translation>
    </message>
</context>
<context>
    <name>AttributionView</name>
    <message>
        <location filename="../../explorer/panels/analysis/views.py" line="115" />
        <source>integrated gradients</source>
        <translation>积分梯度</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/views.py" line="116" />
        <source>gradient × input</source>
        <translation>梯度 × 输入</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/views.py" line="120" />
        <source>zero rows</source>
        <translation>全零行</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/views.py" line="121" />
        <source>&lt;unk&gt; rows</source>
        <translation>&lt;unk&gt; 行</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/views.py" line="123" />
        <source>Method:</source>
        <translation>方法：</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/views.py" line="123" />
        <source>How each input token's share is computed</source>
        <translation>每个输入词的份额如何计算</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/views.py" line="125" />
        <source>Baseline:</source>
        <translation>基线：</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/views.py" line="125" />
        <source>The input integrated gradients start from: every embedding row zero, or every row the &lt;unk&gt; row</source>
        <translation>积分梯度的起点：每一行词嵌入都为零，或者每一行都是 &lt;unk&gt; 那一行</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/views.py" line="129" />
        <source>Steps:</source>
        <translation>步数：</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/views.py" line="129" />
        <source>Points on the straight path from the baseline to the input</source>
        <translation>从基线到输入的直线路径上取多少个点</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/views.py" line="163" />
        <source>Type a sentence and press Analyse.</source>
        <translation>输入一个句子，然后点“分析”。</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/views.py" line="172" />
        <source>{method}: output token × source tokens, then target tokens</source>
        <translation>{method}：输出词 × 源词，然后是目标词</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/views.py" line="174" />
        <source>cross-attention (mean of layers and heads)</source>
        <translation>交叉注意力（各层各头的平均）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/views.py" line="176" />
        <source>Correlation of |attribution to the source| (each row summed to 1) with cross-attention: r = {r}. Share of all attribution on the source: {share}.</source>
        <translation>|对源词的归因|（每行归一化为 1）与交叉注意力的相关系数：r = {r}。全部归因中落在源词上的份额：{share}。</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/views.py" line="180" />
        <source>Completeness: the attributions of each output add up to log p(input) − log p(baseline) within {err} (largest error; {steps} steps, up to {most} where an output needed more).</source>
        <translation>完整性：每个输出的归因之和等于 log p(输入) − log p(基线)，误差在 {err} 以内（最大误差；{steps} 步，某个输出需要更多时最多 {most} 步）。</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/views.py" line="196" />
        <source>, at the baseline {base} (difference {diff}; {steps} steps)</source>
        <translation>，在基线处为 {base}（差 {diff}；{steps} 步）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/views.py" line="190" />
        <source>Click a row to see one output token's numbers.</source>
        <translation>点击一行，查看一个输出词的数值。</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/views.py" line="193" />
        <source>Output “{token}”: attributions sum to {sum}; log p = {logp}</source>
        <translation>输出“{token}”：归因之和为 {sum}；log p = {logp}</translation>
    </message>
</context>
<context>
    <name>BeamView</name>
    <message>
        <location filename="../../explorer/panels/analysis/beam.py" line="50" />
        <source>Beam:</source>
        <translation>束宽：</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/beam.py" line="50" />
        <source>Hypotheses kept at each step</source>
        <translation>每一步保留的假设数</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/beam.py" line="52" />
        <source>Length α:</source>
        <translation>长度 α：</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/beam.py" line="53" />
        <source>Length normalisation: a finished hypothesis' score is divided by ((5 + length) / 6) ** α; 0 compares plain sums</source>
        <translation>长度归一化：完成的假设的得分除以 ((5 + 长度) / 6) ** α；为 0 时直接比较得分之和</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/beam.py" line="56" />
        <source>Candidates:</source>
        <translation>候选数：</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/beam.py" line="57" />
        <source>Candidates shown per hypothesis and step (the best ones)</source>
        <translation>每个假设每一步显示的候选词数（最好的几个）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/beam.py" line="93" />
        <source>token</source>
        <translation>词元</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/beam.py" line="93" />
        <source>step</source>
        <translation>步数</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/beam.py" line="93" />
        <source>log p</source>
        <translation>对数概率 log p</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/beam.py" line="94" />
        <source>score</source>
        <translation>得分</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/beam.py" line="94" />
        <source>state</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/beam.py" line="96" />
        <source>Type a sentence and press Analyse.</source>
        <translation>输入一个句子，然后点“分析”。</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/beam.py" line="107" />
        <source>Beam search output: “{out}” (normalised score {score}; greedy: “{greedy}”). Green: the chosen hypothesis; blue: finished; grey: pruned. Click a node to see what the decoder looked at after that prefix.</source>
        <translation>束搜索输出：“{out}”（归一化得分 {score}；贪心解码：“{greedy}”）。绿色：被选中的假设；蓝色：已完成；灰色：被剪掉。点击一个节点，查看解码器在这个前缀之后看向哪里。</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/beam.py" line="114" />
        <source>This model translates with the pooled beam search of its original library, which may choose differently from the search drawn here.</source>
        <translation>这个模型用它原来那个库的合并式束搜索翻译，选择可能与这里画出的搜索不同。</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/beam.py" line="119" />
        <location filename="../../explorer/panels/analysis/beam.py" line="156" />
        <source>chosen</source>
        <translation>选中</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/beam.py" line="156" />
        <source>hypothesis</source>
        <translation>假设</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/beam.py" line="119" />
        <source>finished</source>
        <translation>已完成</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/beam.py" line="120" />
        <source>kept</source>
        <translation>保留</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/beam.py" line="120" />
        <source>pruned</source>
        <translation>剪掉</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/beam.py" line="155" />
        <source>score (sum of log p)</source>
        <translation>得分（log p 之和）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/beam.py" line="155" />
        <source>length</source>
        <translation>长度</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/beam.py" line="155" />
        <source>penalty</source>
        <translation>惩罚</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/beam.py" line="156" />
        <source>normalised</source>
        <translation>归一化</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/beam.py" line="163" />
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/beam.py" line="198" />
        <source>click a node of the tree</source>
        <translation>点击树上的一个节点</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/beam.py" line="202" />
        <source>cross-attention after the prefix (last row: choosing the next token)</source>
        <translation>这个前缀之后的交叉注意力（最后一行：选择下一个词）</translation>
    </message>
</context>
<context>
    <name>CompareTab</name>
    <message>
        <location filename="../../explorer/panels/tokens_views.py" line="152" />
        <source>; rows 0–{last} kept, {n} grey</source>
        <translation>；只保存第 0–{last} 行，{n} 个为灰色</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/positional_compare.py" line="52" />
        <source>small (D 64, 2 layers, d_ff 256)</source>
        <translation>小（D 64，2 层，d_ff 256）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/positional_compare.py" line="53" />
        <source>as the loaded model</source>
        <translation>与已加载的模型相同</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/positional_compare.py" line="54" />
        <source>Train and compare</source>
        <translation>训练并对比</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/positional_compare.py" line="55" />
        <source>Train one model per encoding on the loaded corpus in the background</source>
        <translation>在后台用已加载的语料为每种位置编码各训练一个模型</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/positional_compare.py" line="57" />
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/positional_compare.py" line="58" />
        <source>Stop the comparison; finished curves stay</source>
        <translation>停止对比；已完成的曲线保留</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/positional_compare.py" line="62" />
        <source>%v / %m steps</source>
        <translation>%v / %m 步</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/positional_compare.py" line="63" />
        <source>steps per model</source>
        <translation>每个模型的步数</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/positional_compare.py" line="63" />
        <source>Training steps for each of the four models</source>
        <translation>四个模型各自训练的步数</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/positional_compare.py" line="65" />
        <source>size</source>
        <translation>规模</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/positional_compare.py" line="66" />
        <source>The shape of the compared models: small and fast, or the loaded model's</source>
        <translation>参与对比的模型结构：小而快，或与已加载的模型相同</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/positional_compare.py" line="75" />
        <source>training loss</source>
        <translation>训练损失</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/positional_compare.py" line="75" />
        <source>step</source>
        <translation>步数</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/positional_compare.py" line="75" />
        <source>loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/positional_compare.py" line="82" />
        <source>encoding</source>
        <translation>位置编码</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/positional_compare.py" line="82" />
        <source>translation of A</source>
        <translation>A 的译文</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/positional_compare.py" line="82" />
        <source>translation of B</source>
        <translation>B 的译文</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/positional_compare.py" line="82" />
        <source>encoder gap</source>
        <translation>编码器差异</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/positional_compare.py" line="83" />
        <source>decoder logit gap</source>
        <translation>解码器 logit 差异</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/positional_compare.py" line="85" />
        <source>encoder gap: max |enc(B) − enc(A) reordered like B|; 0 means the encoder only moved its outputs with the words.
logit gap: max difference of the decoder's scores for A and B (same target); 0 means the decoder cannot tell A from B.</source>
        <translation>编码器差异：max |enc(B) − 按 B 的语序重排的 enc(A)|；为 0 表示编码器只是让输出随词一起移动了位置。
logit 差异：解码器对 A 和 B（目标相同）打分的最大差别；为 0 表示解码器分不出 A 和 B。</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/positional_compare.py" line="182" />
        <source>Load a model and corpus first (Training panel).</source>
        <translation>请先加载模型和语料（训练面板）。</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/positional_compare.py" line="184" />
        <source>Training…</source>
        <translation>正在训练…</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/positional_compare.py" line="186" />
        <source>Comparison failed: {error}</source>
        <translation>对比失败：{error}</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/positional_compare.py" line="190" />
        <source>Trains one model per encoding (none, sinusoidal, learned, rotary) on the loaded corpus, from the same seed and batches.</source>
        <translation>为每种位置编码（无、正弦、可学习、旋转）各训练一个模型，使用已加载的语料、相同的随机种子和相同的批次。</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/positional_compare.py" line="198" />
        <source>Order test, two corpus sentences with the same words in another order:&lt;br&gt;A: &lt;b&gt;{a}&lt;/b&gt; → reference: {ref_a}&lt;br&gt;B: &lt;b&gt;{b}&lt;/b&gt; → reference: {ref_b}</source>
        <translation>语序测试，语料中两个用词相同、语序不同的句子：&lt;br&gt;A：&lt;b&gt;{a}&lt;/b&gt; → 参考译文：{ref_a}&lt;br&gt;B：&lt;b&gt;{b}&lt;/b&gt; → 参考译文：{ref_b}</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/positional_compare.py" line="201" />
        <source>Order test (no two corpus sentences have the same words in another order, so B is A reordered by hand; it has no reference):&lt;br&gt;A: &lt;b&gt;{a}&lt;/b&gt; → reference: {ref_a}&lt;br&gt;B: &lt;b&gt;{b}&lt;/b&gt;</source>
        <translation>语序测试（语料中没有用词相同、语序不同的两个句子，所以 B 是把 A 手工重排得到的，没有参考译文）：&lt;br&gt;A：&lt;b&gt;{a}&lt;/b&gt; → 参考译文：{ref_a}&lt;br&gt;B：&lt;b&gt;{b}&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/positional_compare.py" line="215" />
        <source> Without positions the model gives the same translation for A and B (logit gap {gap:.2g}).</source>
        <translation>没有位置信息时，模型对 A 和 B 给出相同的译文（logit 差异 {gap:.2g}）。</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/positional_compare.py" line="218" />
        <source> Without positions the model gives different translations for A and B (logit gap {gap:.2g}).</source>
        <translation>没有位置信息时，模型对 A 和 B 给出不同的译文（logit 差异 {gap:.2g}）。</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/positional_compare.py" line="221" />
        <source>Cancelled. Final loss: {losses}.{verdict}</source>
        <translation>已取消。最终损失：{losses}。{verdict}</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/positional_compare.py" line="222" />
        <source>Final loss: {losses}.{verdict}</source>
        <translation>最终损失：{losses}。{verdict}</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/tokens_views.py" line="65" />
        <source>IDs on a number line</source>
        <translation>数轴上的 ID</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/tokens_views.py" line="67" />
        <source>Each token at its ID: the vocabulary's order, nothing more. Labels that would overlap are left out: scroll over the line to zoom in</source>
        <translation>每个词元放在它的 ID 处：只是词表中的顺序，没有别的含义。会重叠的标签被略去：在数轴上滚动鼠标滚轮可放大</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/tokens_views.py" line="77" />
        <source>euclidean distance</source>
        <translation>欧氏距离</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/tokens_views.py" line="78" />
        <source>cosine similarity</source>
        <translation>余弦相似度</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/tokens_views.py" line="80" />
        <source>Distance or cosine similarity between the one-hot vectors</source>
        <translation>one-hot 向量之间的距离或余弦相似度</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/tokens_views.py" line="87" />
        <source>|i − j| of the IDs</source>
        <translation>ID 之差 |i − j|</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/tokens_views.py" line="88" />
        <source>How far apart the IDs are: a number with no meaning</source>
        <translation>ID 相差多少：一个没有意义的数</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/tokens_views.py" line="90" />
        <source>Every pair of distinct tokens is equally far apart: √2, cosine 0</source>
        <translation>任意两个不同词元的距离都一样：√2，余弦为 0</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/tokens_views.py" line="92" />
        <source>embedding: cosine similarity</source>
        <translation>词嵌入：余弦相似度</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/tokens_views.py" line="93" />
        <source>Cosine similarity of the rows of E: these can carry meaning</source>
        <translation>E 各行之间的余弦相似度：它们可以承载含义</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/tokens_views.py" line="104" />
        <source>one-hot: {metric}</source>
        <translation>独热（one-hot）：{metric}</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/tokens_views.py" line="145" />
        <source>No embedding matrix for this tokenizer: choose the model's tokenizer (after a model is loaded).</source>
        <translation>这个分词器没有对应的词嵌入矩阵：请选择模型的分词器（需先加载模型）。</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/tokens_views.py" line="148" />
        <source>source</source>
        <translation>源语言</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/tokens_views.py" line="148" />
        <source>target</source>
        <translation>目标语言</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/tokens_views.py" line="149" />
        <source>E from the {side} side at step {step} (D = {D})</source>
        <translation>{side}一侧的 E，第 {step} 步（D = {D}）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/positional_compare.py" line="104" />
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/positional_compare.py" line="104" />
        <source>sinusoidal</source>
        <translation>正弦</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/positional_compare.py" line="105" />
        <source>learned</source>
        <translation>可学习</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/positional_compare.py" line="105" />
        <source>rotary (RoPE)</source>
        <translation>旋转（RoPE）</translation>
    </message>
</context>
<context>
    <name>CompareView</name>
    <message>
        <location filename="../../explorer/panels/attention/compare.py" line="65" />
        <source>B: this model with the heads switched off now</source>
        <translation>B：本模型，关掉当前选中的头</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/compare.py" line="66" />
        <source>B: a timeline snapshot (probe sentence)</source>
        <translation>B：时间轴上的一个快照（探针句子）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/compare.py" line="67" />
        <source>B: another checkpoint…</source>
        <translation>B：另一个检查点…</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/compare.py" line="69" />
        <source>What B is. A is the model as it is now (with every head on when B is the same model with heads off)</source>
        <translation>B 是什么。A 是当前的模型（当 B 是关掉了一些头的同一个模型时，A 的所有头都打开）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/compare.py" line="73" />
        <source>The training step whose recorded probe trace is B</source>
        <translation>B 是哪一个训练步记录下的探针句子追踪</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/compare.py" line="74" />
        <source>Open…</source>
        <translation>打开…</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/compare.py" line="75" />
        <source>Choose the checkpoint that is B</source>
        <translation>选择作为 B 的检查点</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/compare.py" line="77" />
        <source>Compare</source>
        <translation>对比</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/compare.py" line="78" />
        <source>The sentence above through A and B</source>
        <translation>把上面的句子分别送入 A 和 B</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/compare.py" line="83" />
        <source>show B − A</source>
        <translation>显示 B − A</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/compare.py" line="83" />
        <source>show A</source>
        <translation>显示 A</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/compare.py" line="84" />
        <source>show B</source>
        <translation>显示 B</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/compare.py" line="86" />
        <source>What the grids show: B − A (blue: B attends less, red: more), or A or B alone</source>
        <translation>网格显示的内容：B − A（蓝：B 的注意力更少，红：更多），或者只显示 A 或 B</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/compare.py" line="127" />
        <source>step {step}</source>
        <translation>第 {step} 步</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/compare.py" line="137" />
        <source>Compare to checkpoint</source>
        <translation>与检查点对比</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/compare.py" line="137" />
        <source>Checkpoints (*.safetensors)</source>
        <translation>检查点 (*.safetensors)</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/compare.py" line="186" />
        <source>the heads off</source>
        <translation>关掉头之后</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/compare.py" line="186" />
        <source>the snapshot</source>
        <translation>快照</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/compare.py" line="187" />
        <source>the checkpoint</source>
        <translation>检查点</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/compare.py" line="192" />
        <source>Choose what B is and press Compare: the sentence above goes through both.</source>
        <translation>选择 B 是什么，然后按“对比”：上面的句子会分别送入两个模型。</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/compare.py" line="195" />
        <source>every head on</source>
        <translation>所有头都打开</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/compare.py" line="195" />
        <source>this model</source>
        <translation>本模型</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/compare.py" line="196" />
        <source>B ({b}, its predictions with the probe's target forced): {text}</source>
        <translation>B（{b}，强制输入探针句子的目标时的预测）：{text}</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/compare.py" line="197" />
        <source>B ({b}) translates: {text}</source>
        <translation>B（{b}）的翻译：{text}</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/compare.py" line="199" />
        <source>B ({b}): the training history keeps its attention, not its predictions</source>
        <translation>B（{b}）：训练历史只保存了它的注意力，没有保存它的预测</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/compare.py" line="202" />
        <source>largest |B − A| of an attention weight: {d:.3g}</source>
        <translation>注意力权重的最大 |B − A|：{d:.3g}</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/compare.py" line="203" />
        <source>A and B read different tokens: no difference to show</source>
        <translation>A 和 B 读入的词元不同：无法显示差值</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/compare.py" line="205" />
        <source>of a logit: {d:.3g}</source>
        <translation>logit 的最大差值：{d:.3g}</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/compare.py" line="206" />
        <source>A ({a}) translates: {text}</source>
        <translation>A（{a}）的翻译：{text}</translation>
    </message>
</context>
<context>
    <name>ComputationView</name>
    <message>
        <location filename="../../explorer/panels/attention/computation.py" line="81" />
        <source>A = Q·Kᵀ: positive = related, 0 = unrelated, negative = opposed</source>
        <translation>A = Q·Kᵀ：正数为正相关，0 为无关，负数为负相关</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/computation.py" line="82" />
        <source>Blocked cells (future positions, padding) become −∞: grey here, 0 after the softmax</source>
        <translation>被屏蔽的格子（后面的位置、填充）变成 −∞：这里显示为灰色，softmax 之后为 0</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/computation.py" line="84" />
        <source>A' = softmax of each row of the masked, scaled scores; rows sum to 1</source>
        <translation>A' = 对缩放并加掩码后的分数逐行做 softmax；每行之和为 1</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/computation.py" line="86" />
        <source>The q row and k row of the hovered cell, and their elementwise product: its sum is that cell of A</source>
        <translation>悬停格子对应的 q 行和 k 行，以及它们的逐元素乘积：乘积之和就是 A 中的这个格子</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/computation.py" line="91" />
        <source>Hover a cell of A to see the dot product behind it.</source>
        <translation>把鼠标悬停在 A 的一个格子上，查看它背后的点积。</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/computation.py" line="108" />
        <source>{src}, for K and V (S={S}, D={D})</source>
        <translation>{src}，用于 K 和 V（S={S}, D={D}）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/computation.py" line="109" />
        <source>Wq, head {head} (D={D}, d_k={Dh})</source>
        <translation>Wq，头 {head}（D={D}, d_k={Dh}）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/computation.py" line="110" />
        <source>Wk, head {head} (D={D}, d_k={Dh})</source>
        <translation>Wk，头 {head}（D={D}, d_k={Dh}）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/computation.py" line="111" />
        <source>Wv, head {head} (D={D}, d_v={Dh})</source>
        <translation>Wv，头 {head}（D={D}, d_v={Dh}）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/computation.py" line="112" />
        <source>bq, head {head} (d_k={Dh})</source>
        <translation>bq，头 {head}（d_k={Dh}）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/computation.py" line="113" />
        <source>bk, head {head} (d_k={Dh})</source>
        <translation>bk，头 {head}（d_k={Dh}）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/computation.py" line="114" />
        <source>bv, head {head} (d_v={Dh})</source>
        <translation>bv，头 {head}（d_v={Dh}）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/computation.py" line="122" />
        <source>masked, blocked = −∞ (T={T}, S={S})</source>
        <translation>加掩码，被屏蔽 = −∞（T={T}, S={S}）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/computation.py" line="123" />
        <source>A' = softmax by row (T={T}, S={S})</source>
        <translation>A' = 逐行 softmax（T={T}, S={S}）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/computation.py" line="124" />
        <source>A'·V, head {head} (T={T}, d_v={Dh})</source>
        <translation>A'·V，头 {head}（T={T}, d_v={Dh}）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/computation.py" line="125" />
        <source>concat of {H} heads (T={T}, D={D})</source>
        <translation>{H} 个头拼接（T={T}, D={D}）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/computation.py" line="127" />
        <source>bo (D={D})</source>
        <translation>偏置 bo（D={D}）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/computation.py" line="128" />
        <source>output = concat·Wo + bo (T={T}, D={D})</source>
        <translation>输出 = 拼接·Wo + bo（T={T}, D={D}）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/computation.py" line="161" />
        <source>A step of the training history: it keeps {kept}, not {missing}.</source>
        <translation>训练历史中的一步：它保留了 {kept}，没有保留 {missing}。</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/computation.py" line="232" />
        <source>A[{row}, {col}] = q(“{query}”) · k(“{key}”) = Σ q∘k = {dot:.4g}; ÷√d_k = {scaled:.4g}; after softmax A'[{row}, {col}] = {weight:.4g}</source>
        <translation>A[{row}, {col}] = q(“{query}”) · k(“{key}”) = Σ q∘k = {dot:.4g}；÷√d_k = {scaled:.4g}；softmax 之后 A'[{row}, {col}] = {weight:.4g}</translation>
    </message>
</context>
<context>
    <name>EmbeddingsPanel</name>
    <message>
        <location filename="../../explorer/panels/embeddings.py" line="372" />
        <source>Ring the words containing this text (Ctrl+F)</source>
        <translation>圈出包含这段文字的词（Ctrl+F）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/embeddings.py" line="374" />
        <source>Not a valid regular expression: {error}</source>
        <translation>不是有效的正则表达式：{error}</translation>
    </message>
</context>
<context>
    <name>ExplanationPane</name>
    <message>
        <location filename="../../explorer/explain.py" line="106" />
        <source>Explanation</source>
        <translation>说明</translation>
    </message>
    <message>
        <location filename="../../explorer/explain.py" line="107" />
        <source>Show or hide what this panel shows and why</source>
        <translation>显示或隐藏本面板展示的内容及其原理</translation>
    </message>
    <message>
        <location filename="../../explorer/explain.py" line="109" />
        <source>What this panel shows; View &gt; Language switches the language</source>
        <translation>本面板展示的内容；“视图 &gt; 语言”可以切换语言</translation>
    </message>
</context>
<context>
    <name>HeadDetailView</name>
    <message>
        <location filename="../../explorer/panels/attention/detail.py" line="56" />
        <source>Which attention: encoder self, decoder self or cross</source>
        <translation>哪种注意力：编码器自注意力、解码器自注意力或交叉注意力</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/detail.py" line="57" />
        <source>layer </source>
        <translation>层 </translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/detail.py" line="58" />
        <source>Layer (from 0)</source>
        <translation>层（从 0 开始）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/detail.py" line="59" />
        <source>Head, or the mean / max over the layer's heads</source>
        <translation>头，或这一层所有头的平均 / 最大</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/detail.py" line="70" />
        <source>mean of heads</source>
        <translation>各头平均</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/detail.py" line="72" />
        <source>max of heads</source>
        <translation>各头最大</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/detail.py" line="73" />
        <location filename="../../explorer/panels/attention/detail.py" line="83" />
        <source>head {head}</source>
        <translation>头 {head}</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/detail.py" line="79" />
        <source>mean over heads</source>
        <translation>各头平均</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/detail.py" line="81" />
        <source>max over heads</source>
        <translation>各头最大</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/detail.py" line="84" />
        <source>{kind}, layer {layer}, {what} — rows: queries, columns: keys</source>
        <translation>{kind}，第 {layer} 层，{what} —— 行：查询，列：键</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/detail.py" line="88" />
        <source>keys (target tokens)</source>
        <translation>键（目标词元）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/detail.py" line="89" />
        <source>keys (source tokens)</source>
        <translation>键（源词元）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/detail.py" line="90" />
        <source>queries (encoder input)</source>
        <translation>查询（编码器输入）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/detail.py" line="91" />
        <source>queries (decoder input)</source>
        <translation>查询（解码器输入）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/detail.py" line="92" />
        <source>predicts</source>
        <translation>预测</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/detail.py" line="107" />
        <source>Gold alignment: shown for cross-attention when a corpus example with gold links is forced through the decoder.</source>
        <translation>标准对齐：把带有标准对齐的语料样例强制送入解码器时，在交叉注意力上显示。</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/detail.py" line="111" />
        <source>Squares: gold alignment ({rows}). Best-aligned head: layer {layer}, head {head} (AER {aer:.3f}).</source>
        <translation>方框：标准对齐（{rows}）。对齐最好的头：第 {layer} 层，头 {head}（AER {aer:.3f}）。</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/detail.py" line="115" />
        <source>This head's AER: {aer:.3f}.</source>
        <translation>这个头的对齐错误率 AER：{aer:.3f}。</translation>
    </message>
</context>
<context>
    <name>HeadSwitches</name>
    <message>
        <location filename="../../explorer/panels/attention/heads.py" line="46" />
        <source>Heads on/off…</source>
        <translation>开关注意力头…</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/heads.py" line="47" />
        <source>Switch single heads off: the model then runs without them (translation, every view, evaluation)</source>
        <translation>关掉单个注意力头：之后模型在没有它们的情况下运行（翻译、所有视图、评估）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/heads.py" line="53" />
        <source>All heads on</source>
        <translation>打开所有头</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/heads.py" line="54" />
        <source>Switch every head on again</source>
        <translation>重新打开所有注意力头</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/heads.py" line="129" />
        <source>{kind}, layer {layer}, head {head}: ticked = on, unticked = switched off</source>
        <translation>{kind}，第 {layer} 层，第 {head} 个头：勾选 = 打开，不勾选 = 关掉</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/heads.py" line="154" />
        <source>{n} heads switched off ({names}): the translation and every view show the model without them. Training is refused until every head is on again.</source>
        <translation>已关掉 {n} 个头（{names}）：翻译和所有视图显示的是没有这些头的模型。在所有头重新打开之前，不能训练。</translation>
    </message>
</context>
<context>
    <name>HeadsView</name>
    <message>
        <location filename="../../explorer/panels/analysis/heads.py" line="68" />
        <source>Δ loss</source>
        <translation>Δ 损失</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/heads.py" line="69" />
        <source>Δ BLEU</source>
        <translation>BLEU 变化 Δ</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/heads.py" line="70" />
        <source>Δ AER (best cross head)</source>
        <translation>Δ AER（最佳交叉注意力头）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/heads.py" line="72" />
        <source>Run sweep</source>
        <translation>逐头测量</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/heads.py" line="73" />
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/heads.py" line="78" />
        <source>Validation pairs:</source>
        <translation>验证句对：</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/heads.py" line="79" />
        <source>How many validation pairs each head is measured on</source>
        <translation>每个头在多少个验证句对上测量</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/heads.py" line="81" />
        <source>Show:</source>
        <translation>显示：</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/heads.py" line="81" />
        <source>Which change the table shows</source>
        <translation>表格显示哪一种变化</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/heads.py" line="83" />
        <source>Switch each head off in turn and measure (in the worker; training waits meanwhile)</source>
        <translation>依次关掉每个头并测量（在后台线程中进行；其间训练会等待）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/heads.py" line="85" />
        <source>Stop the sweep after the head being measured</source>
        <translation>测完当前这个头后停止</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/heads.py" line="96" />
        <source>Translate the sentence without the selected heads</source>
        <translation>关掉选中的头再翻译这个句子</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/heads.py" line="148" />
        <source>Run the sweep: each head is switched off alone and the model measured on the validation pairs.</source>
        <translation>运行逐头测量：每次只关掉一个头，在验证句对上测量模型。</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/heads.py" line="167" />
        <source>Baseline on {n} pairs: loss {loss}, BLEU {bleu}, best cross AER {aer}. Each cell: the change when that head alone is switched off.</source>
        <translation>{n} 个句对上的基准：损失 {loss}，BLEU {bleu}，最佳交叉注意力 AER {aer}。每一格：只关掉这个头时的变化。</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/heads.py" line="172" />
        <source>Costliest to lose: {heads}.</source>
        <translation>失去代价最大的：{heads}。</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/heads.py" line="175" />
        <source>(Cancelled: {done} of {total} runs measured.)</source>
        <translation>（已取消：{total} 次中测了 {done} 次。）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/heads.py" line="189" />
        <source>translating…</source>
        <translation>正在翻译…</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/heads.py" line="192" />
        <source>Select cells of the table first.</source>
        <translation>请先在表格中选中格子。</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/heads.py" line="197" />
        <source>With every head: “{a}”. Without {heads}: “{b}”.</source>
        <translation>所有头都开着：“{a}”。关掉 {heads}：“{b}”。</translation>
    </message>
</context>
<context>
    <name>LearnedTab</name>
    <message>
        <location filename="../../explorer/panels/positional_tabs.py" line="226" />
        <source>training timeline:</source>
        <translation>训练时间线：</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/positional_tabs.py" line="228" />
        <source>The learned table as it was at each snapshot of training</source>
        <translation>训练中每个快照时刻的可学习位置表</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/positional_tabs.py" line="260" />
        <source>No model is loaded yet, so there is no learned table. Build one with 'learned' in the Training panel to watch it train.</source>
        <translation>还没有加载模型，所以没有可学习的位置表。在训练面板中选 'learned' 构建一个模型，就能观察它的训练过程。</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/positional_tabs.py" line="264" />
        <source>The loaded model uses pos_encoding = {kind}; it has no learned table. Rebuild it with 'learned' in the Training panel to watch one train.</source>
        <translation>已加载的模型使用 pos_encoding = {kind}，没有可学习的位置表。在训练面板中选 'learned' 重建模型，就能观察它的训练过程。</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/positional_tabs.py" line="267" />
        <source>Waiting for the model's first trace or timeline snapshot.</source>
        <translation>正在等待模型的第一次追踪或第一个时间线快照。</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/positional_tabs.py" line="270" />
        <source>learned P at step {step}</source>
        <translation>第 {step} 步的可学习 P</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/positional_tabs.py" line="271" />
        <source>step {step} ({index} of {count})</source>
        <translation>第 {step} 步（第 {index} 个快照，共 {count} 个）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/positional_tabs.py" line="273" />
        <source>The model's own source positional table (model.src_pos.weight), as kept on the training timeline.</source>
        <translation>模型自己的源语言位置表（model.src_pos.weight），取自训练时间线。</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/positional_tabs.py" line="277" />
        <source>learned P, rows 0..{last}, step {step}</source>
        <translation>可学习 P，第 0..{last} 行，第 {step} 步</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/positional_tabs.py" line="279" />
        <source>no snapshots</source>
        <translation>没有快照</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/positional_tabs.py" line="281" />
        <source>The first {n} rows of the model's learned table, from the latest trace. Whole tables over training appear once the timeline holds snapshots.</source>
        <translation>模型可学习位置表的前 {n} 行，取自最近一次追踪。时间线中有了快照后，会显示训练过程中的完整位置表。</translation>
    </message>
</context>
<context>
    <name>LensView</name>
    <message>
        <location filename="../../explorer/panels/analysis/views.py" line="269" />
        <source>Top:</source>
        <translation>前几个：</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/views.py" line="269" />
        <source>Tokens shown per layer and position</source>
        <translation>每层每个位置显示的词数</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/views.py" line="285" />
        <source>Type a sentence and press Analyse.</source>
        <translation>输入一个句子，然后点“分析”。</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/views.py" line="293" />
        <source>embedding</source>
        <translation>词嵌入</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/views.py" line="294" />
        <source>layer {n}</source>
        <translation>第 {n} 层</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/views.py" line="308" />
        <source>probability of the final prediction here: {p}</source>
        <translation>这里给最终预测的概率：{p}</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/views.py" line="315" />
        <source>Bold: the layer's top token is already the model's final prediction; colour: the probability it gives that prediction. Settled from: {settled}</source>
        <translation>粗体：这一层的首选词已经是模型最终的预测；颜色：这一层给这个预测的概率。从哪一层起确定：{settled}</translation>
    </message>
</context>
<context>
    <name>LinesView</name>
    <message>
        <location filename="../../explorer/panels/attention/lines.py" line="60" />
        <source>Heads:</source>
        <translation>头：</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/lines.py" line="62" />
        <location filename="../../explorer/panels/attention/lines.py" line="97" />
        <source>Show or hide head {head}'s lines</source>
        <translation>显示或隐藏头 {head} 的连线</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/lines.py" line="69" />
        <source>{title} — hover a token to isolate its lines</source>
        <translation>{title} —— 悬停在一个词元上，只看它的连线</translation>
    </message>
</context>
<context>
    <name>LiveCurves</name>
    <message>
        <location filename="../../explorer/widgets/curves.py" line="174" />
        <location filename="../../explorer/widgets/curves.py" line="190" />
        <source>step</source>
        <translation>步数</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../explorer/app.py" line="173" />
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message>
        <location filename="../../explorer/app.py" line="194" />
        <source>Training timeline</source>
        <translation>训练时间线</translation>
    </message>
    <message>
        <location filename="../../explorer/menus.py" line="26" />
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../explorer/menus.py" line="27" />
        <source>Open &amp;corpus…</source>
        <translation>打开语料(&amp;C)…</translation>
    </message>
    <message>
        <location filename="../../explorer/menus.py" line="28" />
        <source>&amp;Open checkpoint…</source>
        <translation>打开检查点(&amp;O)…</translation>
    </message>
    <message>
        <location filename="../../explorer/menus.py" line="30" />
        <source>Open model &amp;folder…</source>
        <translation>打开模型文件夹(&amp;F)…</translation>
    </message>
    <message>
        <location filename="../../explorer/menus.py" line="31" />
        <source>Open &amp;recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../explorer/menus.py" line="32" />
        <source>Open run &amp;log…</source>
        <translation>打开训练日志(&amp;L)…</translation>
    </message>
    <message>
        <location filename="../../explorer/menus.py" line="33" />
        <source>&amp;Save checkpoint…</source>
        <translation>保存检查点(&amp;S)…</translation>
    </message>
    <message>
        <location filename="../../explorer/menus.py" line="35" />
        <source>&amp;Export current view…</source>
        <translation>导出当前视图(&amp;E)…</translation>
    </message>
    <message>
        <location filename="../../explorer/menus.py" line="38" />
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../../explorer/menus.py" line="41" />
        <source>&amp;Models</source>
        <translation>模型(&amp;M)</translation>
    </message>
    <message>
        <location filename="../../explorer/menus.py" line="49" />
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location filename="../../explorer/menus.py" line="53" />
        <source>&amp;Reset layout</source>
        <translation>恢复默认布局(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../explorer/menus.py" line="57" />
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../../explorer/menus.py" line="58" />
        <source>&amp;Guided tour</source>
        <translation>导览(&amp;G)</translation>
    </message>
    <message>
        <location filename="../../explorer/menus.py" line="59" />
        <source>One stop per idea, each opening its panel with an example (F1)</source>
        <translation>每个概念一站，每站打开对应的面板并给出例子（F1）</translation>
    </message>
    <message>
        <location filename="../../explorer/menus.py" line="60" />
        <source>&amp;Keyboard shortcuts</source>
        <translation>快捷键(&amp;K)</translation>
    </message>
    <message>
        <location filename="../../explorer/menus.py" line="61" />
        <source>&amp;About</source>
        <translation>关于(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../explorer/app.py" line="323" />
        <source>Opening another model</source>
        <translation>打开另一个模型</translation>
    </message>
    <message>
        <location filename="../../explorer/menus.py" line="90" />
        <source>Open corpus</source>
        <translation>打开语料</translation>
    </message>
    <message>
        <location filename="../../explorer/menus.py" line="91" />
        <source>Corpora (*.tsv *.txt *.csv);;All files (*)</source>
        <translation>语料 (*.tsv *.txt *.csv);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../../explorer/menus.py" line="97" />
        <source>Open checkpoint</source>
        <translation>打开检查点</translation>
    </message>
    <message>
        <location filename="../../explorer/opening.py" line="54" />
        <source>Open model folder</source>
        <translation>打开模型文件夹</translation>
    </message>
    <message>
        <location filename="../../explorer/menus.py" line="98" />
        <location filename="../../explorer/menus.py" line="107" />
        <source>Checkpoints (*.safetensors)</source>
        <translation>检查点 (*.safetensors)</translation>
    </message>
    <message>
        <location filename="../../explorer/opening.py" line="22" />
        <source>Open run log</source>
        <translation>打开训练日志</translation>
    </message>
    <message>
        <location filename="../../explorer/opening.py" line="23" />
        <source>Run logs (*.jsonl);;All files (*)</source>
        <translation>训练日志 (*.jsonl);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../../explorer/opening.py" line="46" />
        <source>The run log {path} cannot be read.</source>
        <translation>无法读取训练日志 {path}。</translation>
    </message>
    <message>
        <location filename="../../explorer/menus.py" line="106" />
        <source>Save checkpoint</source>
        <translation>保存检查点</translation>
    </message>
    <message>
        <location filename="../../explorer/menus.py" line="119" />
        <source>Export current view</source>
        <translation>导出当前视图</translation>
    </message>
    <message>
        <location filename="../../explorer/menus.py" line="124" />
        <source>Export failed: {}</source>
        <translation>导出失败：{}</translation>
    </message>
    <message>
        <location filename="../../explorer/menus.py" line="126" />
        <source>Exported {}</source>
        <translation>已导出 {}</translation>
    </message>
    <message>
        <location filename="../../explorer/app.py" line="360" />
        <source>{layers} layers, {heads} heads, d_model {d}</source>
        <translation>{layers} 层，{heads} 个头，d_model {d}</translation>
    </message>
    <message>
        <location filename="../../explorer/app.py" line="371" />
        <source>device: {}</source>
        <translation>设备：{}</translation>
    </message>
    <message>
        <location filename="../../explorer/app.py" line="372" />
        <source>step: {}</source>
        <translation>步数：{}</translation>
    </message>
    <message>
        <location filename="../../explorer/app.py" line="373" />
        <source>parameters: {}</source>
        <translation>参数量：{}</translation>
    </message>
    <message>
        <location filename="../../explorer/app.py" line="374" />
        <source>tokens/s: {}</source>
        <translation>token/秒：{}</translation>
    </message>
    <message>
        <location filename="../../explorer/about.py" line="33" />
        <source>About Transformer Explorer</source>
        <translation>关于 Transformer Explorer</translation>
    </message>
    <message>
        <location filename="../../explorer/about.py" line="35" />
        <source>Train a real encoder–decoder translator and watch every part of it: tokens, embeddings, positional encodings and attention down to Q, K, V, QKᵀ, softmax and A′V.</source>
        <translation>训练一个真正的编码器–解码器翻译模型，并观察它的每个部分：词元、词嵌入、位置编码，以及细到 Q、K、V、QKᵀ、softmax 和 A′V 的注意力。</translation>
    </message>
    <message>
        <location filename="../../explorer/about.py" line="40" />
        <source>The real-sentence English–German model is trained on sentences from the Tatoeba Project (tatoeba.org), CC BY 2.0 FR.</source>
        <translation>真实句子英德模型的训练句子来自 Tatoeba 项目（tatoeba.org），CC BY 2.0 FR 许可。</translation>
    </message>
    <message>
        <location filename="../../explorer/app.py" line="421" />
        <source>Unsaved training</source>
        <translation>训练尚未保存</translation>
    </message>
    <message>
        <location filename="../../explorer/app.py" line="422" />
        <source>{action} discards {steps} training steps that were not saved. Go on?</source>
        <translation>{action}会丢弃 {steps} 步尚未保存的训练。继续吗？</translation>
    </message>
    <message>
        <location filename="../../explorer/app.py" line="432" />
        <source>Quitting</source>
        <translation>退出</translation>
    </message>
    <message>
        <location filename="../../explorer/app.py" line="271" />
        <source>Loading the model…</source>
        <translation>正在加载模型…</translation>
    </message>
    <message>
        <location filename="../../explorer/app.py" line="406" />
        <source>Saved {}</source>
        <translation>已保存 {}</translation>
    </message>
    <message>
        <location filename="../../explorer/about.py" line="27" />
        <source>Keyboard shortcuts</source>
        <translation>快捷键</translation>
    </message>
</context>
<context>
    <name>Models</name>
    <message>
        <location filename="../../explorer/shipped.py" line="29" />
        <source>{title}: {trained_on}; test BLEU {bleu:.1f}</source>
        <translation>{title}：{trained_on}；测试 BLEU {bleu:.1f}</translation>
    </message>
    <message>
        <location filename="../../explorer/shipped.py" line="35" />
        <source>English → German, grammar (default)</source>
        <translation>英语 → 德语，语法句子（默认）</translation>
    </message>
    <message>
        <location filename="../../explorer/shipped.py" line="36" />
        <source>generated sentences of the project's grammar, builtin:en-de</source>
        <translation>本项目语法生成的句子，builtin:en-de</translation>
    </message>
    <message>
        <location filename="../../explorer/shipped.py" line="38" />
        <source>English → Chinese, grammar</source>
        <translation>英语 → 中文，语法句子</translation>
    </message>
    <message>
        <location filename="../../explorer/shipped.py" line="39" />
        <source>generated sentences of the project's grammar, builtin:en-zh</source>
        <translation>本项目语法生成的句子，builtin:en-zh</translation>
    </message>
    <message>
        <location filename="../../explorer/shipped.py" line="41" />
        <source>English → German, real sentences</source>
        <translation>英语 → 德语，真实句子</translation>
    </message>
    <message>
        <location filename="../../explorer/shipped.py" line="42" />
        <source>49,001 short sentence pairs from the Tatoeba Project (CC BY 2.0 FR), BPE subwords</source>
        <translation>来自 Tatoeba 项目的 49,001 个短句对（CC BY 2.0 FR），BPE 子词</translation>
    </message>
</context>
<context>
    <name>NeighbourView</name>
    <message>
        <location filename="../../explorer/panels/embeddings_views.py" line="175" />
        <source>cosine</source>
        <translation>余弦</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/embeddings_views.py" line="175" />
        <source>euclidean</source>
        <translation>欧氏</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/embeddings_views.py" line="176" />
        <source>How nearness is measured in the original D dimensions</source>
        <translation>在原始 D 维空间中怎样衡量远近</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/embeddings_views.py" line="179" />
        <location filename="../../explorer/panels/embeddings_views.py" line="192" />
        <source>How many neighbours to list</source>
        <translation>列出多少个近邻</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/embeddings_views.py" line="186" />
        <source>in D dims</source>
        <translation>D 维中</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/embeddings_views.py" line="186" />
        <source>score</source>
        <translation>得分</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/embeddings_views.py" line="186" />
        <source>in the picture</source>
        <translation>图中</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/embeddings_views.py" line="186" />
        <source>dist</source>
        <translation>距离</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/embeddings_views.py" line="188" />
        <source>Left: nearest in the original space; right: nearest in the projection. Bold: in both lists</source>
        <translation>左：原始空间中的最近邻；右：投影中的最近邻。粗体：两边都有</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/embeddings_views.py" line="190" />
        <source>Neighbours by</source>
        <translation>近邻度量</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/embeddings_views.py" line="212" />
        <source>“{text}” is not in the vocabulary.</source>
        <translation>“{text}”不在词表中。</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/embeddings_views.py" line="214" />
        <source>“{text}” is not in the vocabulary as a token of its own; {n} tokens contain it.</source>
        <translation>“{text}”本身不是词表中的一个词元；有 {n} 个词元包含它。</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/embeddings_views.py" line="217" />
        <source>{n} words match “{text}”.</source>
        <translation>有 {n} 个词匹配“{text}”。</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/embeddings_views.py" line="219" />
        <source>“{token}” ({word_class}, {lang}): {both} of its {k} nearest neighbours in {D} dimensions are also among its nearest in the picture.</source>
        <translation>“{token}”（{word_class}，{lang}）：它在 {D} 维空间中的 {k} 个最近邻里，有 {both} 个在图中也是它的最近邻。</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/embeddings_views.py" line="221" />
        <source>no class</source>
        <translation>无词类</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/embeddings_views.py" line="223" />
        <source>Click a point to see its nearest neighbours.</source>
        <translation>点击一个点，查看它的最近邻。</translation>
    </message>
</context>
<context>
    <name>OverviewView</name>
    <message>
        <location filename="../../explorer/panels/attention/views.py" line="185" />
        <source>{kind}: one matrix per layer (L) and head (H). Click a head to open it.</source>
        <translation>{kind}：每层（L）的每个头（H）一个矩阵。点击一个头打开它。</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/views.py" line="188" />
        <source>Click a head to open it. Orange frame: the head open in the other tabs; green frame: the best-aligned cross-attention head (lowest alignment error rate, AER, against the gold alignment).</source>
        <translation>点击一个头打开它。橙色框：其他标签页中打开的头；绿色框：对齐最好的交叉注意力头（与标准对齐相比，对齐错误率 AER 最低）。</translation>
    </message>
</context>
<context>
    <name>Panels</name>
    <message>
        <location filename="../../explorer/app.py" line="76" />
        <source>Training</source>
        <translation>训练</translation>
    </message>
    <message>
        <location filename="../../explorer/app.py" line="77" />
        <source>Attention</source>
        <translation>注意力</translation>
    </message>
    <message>
        <location filename="../../explorer/app.py" line="78" />
        <source>Tokens</source>
        <translation>词元</translation>
    </message>
    <message>
        <location filename="../../explorer/app.py" line="79" />
        <source>Embeddings</source>
        <translation>词嵌入</translation>
    </message>
    <message>
        <location filename="../../explorer/app.py" line="80" />
        <source>Word2vec</source>
        <translation>Word2vec 词向量</translation>
    </message>
    <message>
        <location filename="../../explorer/app.py" line="81" />
        <source>Positional</source>
        <translation>位置编码</translation>
    </message>
    <message>
        <location filename="../../explorer/app.py" line="82" />
        <source>Analysis</source>
        <translation>分析</translation>
    </message>
</context>
<context>
    <name>PlotNavigation</name>
    <message>
        <location filename="../../explorer/widgets/plotnav.py" line="34" />
        <source>Reset view (R, double-click)</source>
        <translation>复原视图（R，双击）</translation>
    </message>
</context>
<context>
    <name>PositionalPanel</name>
    <message>
        <location filename="../../explorer/panels/positional.py" line="63" />
        <source>Sinusoidal P</source>
        <translation>正弦 P</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/positional.py" line="65" />
        <source>Sentence X + P</source>
        <translation>句子 X + P</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/positional.py" line="66" />
        <source>Learned P</source>
        <translation>可学习 P</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/positional.py" line="67" />
        <source>Rotary</source>
        <translation>旋转</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/positional.py" line="69" />
        <source>Compare</source>
        <translation>对比</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/positional.py" line="64" />
        <source>The sinusoidal table of the paper: P over position and dimension</source>
        <translation>论文中的正弦位置表：P 随位置和维度的取值</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/positional.py" line="65" />
        <source>X, P and X + P of a real sentence in the loaded model</source>
        <translation>已加载模型中一个真实句子的 X、P 和 X + P</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/positional.py" line="66" />
        <source>A learned positional table and how it changed in training</source>
        <translation>可学习的位置表，以及它在训练中如何变化</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/positional.py" line="68" />
        <source>Rotary encoding: q and k turned by an angle that grows with position</source>
        <translation>旋转位置编码：q 和 k 按随位置增大的角度旋转</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/positional.py" line="69" />
        <source>Train small models that differ only in the encoding</source>
        <translation>训练只在位置编码上不同的小模型</translation>
    </message>
</context>
<context>
    <name>ProbeTimeline</name>
    <message>
        <location filename="../../explorer/panels/attention/timeline.py" line="23" />
        <source>Timeline:</source>
        <translation>时间轴：</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/timeline.py" line="25" />
        <source>Scrub the probe sentence's attention back through training; the right end is live</source>
        <translation>拖动以回看探针句在训练过程中的注意力；最右端是实时状态</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/timeline.py" line="76" />
        <source>live</source>
        <translation>实时</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/timeline.py" line="78" />
        <source>step {step}</source>
        <translation>第 {step} 步</translation>
    </message>
</context>
<context>
    <name>ProductTab</name>
    <message>
        <location filename="../../explorer/panels/tokens_views.py" line="283" />
        <source>“{token}” has ID {id}, and row {id} of E is not kept in the snapshot of step {step} (it keeps rows 0–{last}): select a token with a smaller ID, or go back to live.</source>
        <translation>“{token}”的 ID 是 {id}，而第 {step} 步的快照没有保存 E 的第 {id} 行（它只保存第 0–{last} 行）：请选择 ID 更小的词元，或回到实时状态。</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/tokens_views.py" line="211" />
        <source>o (V × 1)</source>
        <translation>独热向量 o（V × 1）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/tokens_views.py" line="212" />
        <source>The selected token's one-hot vector: V numbers, one of them 1</source>
        <translation>所选词元的 one-hot 向量：V 个数，其中一个是 1</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/tokens_views.py" line="213" />
        <source>E (V × D): the row o picks is highlighted</source>
        <translation>E（V × D）：高亮的是 o 取出的那一行</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/tokens_views.py" line="214" />
        <source>The embedding matrix: one row of D numbers per token of the vocabulary</source>
        <translation>词嵌入矩阵：词表中每个词元对应一行 D 个数</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/tokens_views.py" line="216" />
        <source>o × E (1 × D)</source>
        <translation>乘积 o × E（1 × D）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/tokens_views.py" line="217" />
        <source>The product: the embedding of the selected token</source>
        <translation>乘积：所选词元的词嵌入</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/tokens_views.py" line="281" />
        <source>Select a token in the table.</source>
        <translation>请在表格中选择一个词元。</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/tokens_views.py" line="288" />
        <source>“{token}” has ID {id}: its one-hot vector has its 1 at index {id} of {V}. Choose the model's tokenizer to see E.</source>
        <translation>“{token}”的 ID 是 {id}：它的 one-hot 向量在 {V} 个位置中的第 {id} 位是 1。选择模型的分词器才能看到 E。</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/tokens_views.py" line="291" />
        <source>“{token}” has ID {id}. o has V = {V} entries, all 0 except a 1 at {id}, so o × E adds up only row {id} of E: o × E = E[{id}] (largest difference {gap:.1e}). The embedding is a lookup.</source>
        <translation>“{token}”的 ID 是 {id}。o 有 V = {V} 个元素，除第 {id} 位是 1 外全是 0，所以 o × E 只累加了 E 的第 {id} 行：o × E = E[{id}]（最大差值 {gap:.1e}）。词嵌入就是查表。</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/tokens_views.py" line="296" />
        <source>Drawn: IDs {lo}–{last} of {V:,}; the other {rest:,} entries of o are all 0 and their rows of E are left out of the picture.</source>
        <translation>图中只画出 ID {lo}–{last}（共 {V:,} 个）；o 的其余 {rest:,} 个元素全是 0，E 中对应的行没有画出。</translation>
    </message>
</context>
<context>
    <name>ProjectorControls</name>
    <message>
        <location filename="../../explorer/panels/embeddings_views.py" line="51" />
        <source>translator · source E</source>
        <translation>翻译模型 · 源语言 E</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/embeddings_views.py" line="51" />
        <source>translator · target E</source>
        <translation>翻译模型 · 目标语言 E</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/embeddings_views.py" line="52" />
        <source>translator · source + target E</source>
        <translation>翻译模型 · 源语言 + 目标语言 E</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/embeddings_views.py" line="53" />
        <source>word2vec CBOW vectors</source>
        <translation>word2vec CBOW 词向量</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/embeddings_views.py" line="54" />
        <source>encoder layer output, in context</source>
        <translation>编码器层输出（带上下文）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/embeddings_views.py" line="55" />
        <source>decoder layer output, in context</source>
        <translation>解码器层输出（带上下文）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/embeddings_views.py" line="56" />
        <source>Which vectors are drawn: a row of E per token</source>
        <translation>画哪些向量：每个词元对应 E 的一行</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/embeddings_views.py" line="58" />
        <source>Which encoder/decoder layer's output to show: one point per token of {n} validation sentences, so one word gets a different vector in each sentence</source>
        <translation>显示编码器/解码器哪一层的输出：{n} 个验证集句子里的每个词元各画一个点，所以同一个词在每个句子里都有不同的向量</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/embeddings_views.py" line="60" />
        <source>layer </source>
        <translation>层 </translation>
    </message>
    <message>
        <location filename="../../explorer/panels/embeddings_views.py" line="62" />
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/embeddings_views.py" line="63" />
        <source>Ask the model for its embeddings as they are now</source>
        <translation>向模型取出它当前的词嵌入</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/embeddings_views.py" line="65" />
        <source>most frequent</source>
        <translation>最常见的</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/embeddings_views.py" line="66" />
        <source>words of the loaded sentences</source>
        <translation>已加载句子中的词</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/embeddings_views.py" line="67" />
        <source>search matches</source>
        <translation>搜索结果</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/embeddings_views.py" line="69" />
        <source>A large vocabulary is projected as a chosen subset of its rows, never all of them</source>
        <translation>大词表只投影选出的一部分行，从不投影全部</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/embeddings_views.py" line="71" />
        <source>How many rows of the vocabulary become points</source>
        <translation>词表中有多少行成为点</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/embeddings_views.py" line="72" />
        <source>rows</source>
        <translation>行</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/embeddings_views.py" line="77" />
        <source>PCA: instant, linear, keeps global layout. t-SNE / UMAP: non-linear, keep neighbourhoods; run in the background</source>
        <translation>PCA：即时完成，线性，保留整体布局。t-SNE / UMAP：非线性，保留邻域关系；在后台运行</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/embeddings_views.py" line="80" />
        <source>2D</source>
        <translation>二维</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/embeddings_views.py" line="80" />
        <source>3D</source>
        <translation>三维</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/embeddings_views.py" line="81" />
        <source>Project to two or three dimensions</source>
        <translation>降维到二维或三维</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/embeddings_views.py" line="82" />
        <source>Project</source>
        <translation>投影</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/embeddings_views.py" line="83" />
        <source>Lay out the points with the chosen method (Ctrl+R)</source>
        <translation>用所选方法排布这些点（Ctrl+R）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/embeddings_views.py" line="84" />
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/embeddings_views.py" line="85" />
        <source>Stop a running t-SNE / UMAP (Esc)</source>
        <translation>停止正在运行的 t-SNE / UMAP（Esc）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/embeddings_views.py" line="87" />
        <source>How far the running projection has got</source>
        <translation>正在进行的投影完成了多少</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/embeddings_views.py" line="90" />
        <source>word class</source>
        <translation>词类</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/embeddings_views.py" line="91" />
        <source>frequency</source>
        <translation>词频</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/embeddings_views.py" line="92" />
        <source>language</source>
        <translation>语言</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/embeddings_views.py" line="94" />
        <source>Colour the points by semantic word class, by how often the token occurs in the training text, or by language</source>
        <translation>按语义词类、按词元在训练文本中出现的频率，或按语言给点着色</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/embeddings_views.py" line="98" />
        <source>search words…</source>
        <translation>搜索词…</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/embeddings_views.py" line="99" />
        <source>regex</source>
        <translation>正则</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/embeddings_views.py" line="100" />
        <source>Treat the search as a regular expression</source>
        <translation>把搜索内容当作正则表达式</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/embeddings_views.py" line="101" />
        <source>labels</source>
        <translation>标签</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/embeddings_views.py" line="102" />
        <source>Write every word next to its point (up to a few hundred points)</source>
        <translation>在每个点旁写出它的词（最多几百个点）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/embeddings_views.py" line="103" />
        <source>Follow training</source>
        <translation>跟随训练</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/embeddings_views.py" line="104" />
        <source>Fix the PCA axes now and redraw new snapshots in them while the translator trains: the points move as it learns</source>
        <translation>现在固定 PCA 坐标轴，翻译模型训练时在同一坐标系里重画新的快照：点会随着学习而移动</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/embeddings_views.py" line="106" />
        <source>trails</source>
        <translation>轨迹</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/embeddings_views.py" line="107" />
        <source>A line from where each point was in the previous snapshot</source>
        <translation>从每个点在上一个快照中的位置连一条线</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/embeddings_views.py" line="110" />
        <source>A training step kept on the timeline</source>
        <translation>时间线上保存的一个训练步</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/embeddings_views.py" line="113" />
        <source>Compare steps</source>
        <translation>比较两步</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/embeddings_views.py" line="114" />
        <source>PCA axes of the later step; trails from the earlier step</source>
        <translation>使用较晚那一步的 PCA 坐标轴；轨迹从较早那一步画起</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/embeddings_views.py" line="121" />
        <source>Points</source>
        <translation>点</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/embeddings_views.py" line="121" />
        <source>Which vectors become the points</source>
        <translation>哪些向量画成点</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/embeddings_views.py" line="124" />
        <source>Method</source>
        <translation>方法</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/embeddings_views.py" line="124" />
        <source>How the D-dimensional vectors are laid out in 2D or 3D</source>
        <translation>怎样把 D 维向量摆到二维或三维里</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/embeddings_views.py" line="126" />
        <source>Colour</source>
        <translation>颜色</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/embeddings_views.py" line="126" />
        <source>What the colours of the points mean</source>
        <translation>点的颜色代表什么</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/embeddings_views.py" line="129" />
        <source>Timeline</source>
        <translation>时间线</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/embeddings_views.py" line="129" />
        <source>Compare two training steps kept on the timeline</source>
        <translation>比较时间线上保存的两个训练步</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/embeddings_views.py" line="164" />
        <source>step {step}</source>
        <translation>第 {step} 步</translation>
    </message>
</context>
<context>
    <name>ProjectorScatter</name>
    <message>
        <location filename="../../explorer/widgets/scatter.py" line="179" />
        <source>Azimuth</source>
        <translation>方位角</translation>
    </message>
    <message>
        <location filename="../../explorer/widgets/scatter.py" line="180" />
        <source>Elevation</source>
        <translation>仰角</translation>
    </message>
    <message>
        <location filename="../../explorer/widgets/scatter.py" line="182" />
        <source>Turn the 3D points about the vertical axis</source>
        <translation>绕竖直轴旋转三维点</translation>
    </message>
    <message>
        <location filename="../../explorer/widgets/scatter.py" line="183" />
        <source>Tilt the 3D points towards or away from you</source>
        <translation>把三维点向你倾斜或向后倾斜</translation>
    </message>
    <message>
        <location filename="../../explorer/widgets/scatter.py" line="186" />
        <source>Hover over a point to see its word; click one to list its nearest neighbours</source>
        <translation>鼠标悬停在点上可看到它的词；点击可列出它的最近邻</translation>
    </message>
    <message>
        <location filename="../../explorer/widgets/scatter.py" line="188" />
        <source>What the colours mean</source>
        <translation>颜色的含义</translation>
    </message>
    <message>
        <location filename="../../explorer/widgets/scatter.py" line="368" />
        <source>other</source>
        <translation>其他</translation>
    </message>
    <message>
        <location filename="../../explorer/widgets/scatter.py" line="378" />
        <source>{n:,} points: every {k}th is drawn ({m:,}); matches and the selection always are.</source>
        <translation>共 {n:,} 个点：每 {k} 个画一个（{m:,} 个）；匹配的点和选中的点总会画出。</translation>
    </message>
    <message>
        <location filename="../../explorer/widgets/scatter.py" line="381" />
        <source>3D is drawn as a rotatable 2D view: {why}.</source>
        <translation>三维以可旋转的二维视图绘制：{why}。</translation>
    </message>
</context>
<context>
    <name>RolloutView</name>
    <message>
        <location filename="../../explorer/panels/analysis/views.py" line="215" />
        <source>Residual share:</source>
        <translation>残差份额：</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/views.py" line="216" />
        <source>Each layer's attention A becomes (1 − r)·A + r·I, rows renormalised: r stands for the residual connection</source>
        <translation>每层的注意力 A 变成 (1 − r)·A + r·I，每行重新归一化：r 代表残差连接</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/views.py" line="219" />
        <source>Encoder rollout after layer:</source>
        <translation>编码器展开到第几层：</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/views.py" line="220" />
        <source>The rollout multiplies the layers from the first up to this one</source>
        <translation>展开把从第一层到这一层的矩阵逐层相乘</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/views.py" line="237" />
        <source>Type a sentence and press Analyse.</source>
        <translation>输入一个句子，然后点“分析”。</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/views.py" line="250" />
        <source>encoder rollout after layer {layer} (source × source)</source>
        <translation>编码器展开到第 {layer} 层（源词 × 源词）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/views.py" line="251" />
        <source>output → source relevance (cross-attention × rollout)</source>
        <translation>输出 → 源词相关度（交叉注意力 × 展开）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/views.py" line="252" />
        <source>cross-attention alone (mean of layers and heads)</source>
        <translation>仅交叉注意力（各层各头的平均）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/analysis/views.py" line="256" />
        <source>Most relevant source token for each output: {pairs}</source>
        <translation>每个输出最相关的源词：{pairs}</translation>
    </message>
</context>
<context>
    <name>RotaryTab</name>
    <message>
        <location filename="../../explorer/panels/positional_tabs.py" line="300" />
        <source>positions</source>
        <translation>位置数</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/positional_tabs.py" line="300" />
        <source>How many positions m the pairs turn through</source>
        <translation>各维度对转过的位置数 m</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/positional_tabs.py" line="302" />
        <source>head</source>
        <translation>头</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/positional_tabs.py" line="302" />
        <source>The attention head of encoder layer 0 that gives q and k</source>
        <translation>提供 q 和 k 的注意力头（编码器第 0 层）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/positional_tabs.py" line="304" />
        <source>q from</source>
        <translation>q 来自</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/positional_tabs.py" line="304" />
        <source>The token whose query q is used</source>
        <translation>使用哪个词元的查询 q</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/positional_tabs.py" line="305" />
        <source>k from</source>
        <translation>k 来自</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/positional_tabs.py" line="305" />
        <source>The token whose key k is used</source>
        <translation>使用哪个词元的键 k</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/positional_tabs.py" line="326" />
        <source>rotary: (R_m q) · (R_(m+k) k)</source>
        <translation>旋转：(R_m q) · (R_(m+k) k)</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/positional_tabs.py" line="326" />
        <location filename="../../explorer/panels/positional_tabs.py" line="329" />
        <source>offset k</source>
        <translation>偏移 k</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/positional_tabs.py" line="327" />
        <location filename="../../explorer/panels/positional_tabs.py" line="329" />
        <source>score</source>
        <translation>得分</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/positional_tabs.py" line="328" />
        <source>additive: (q + p_m) · (k + p_(m+k))</source>
        <translation>相加：(q + p_m) · (k + p_(m+k))</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/positional_tabs.py" line="375" />
        <source>q of “{q_token}” and k of “{k_token}”, encoder layer 0, head {head}, Dh = {dh}, from the loaded model at step {step}</source>
        <translation>“{q_token}”的 q 和“{k_token}”的 k，编码器第 0 层，头 {head}，Dh = {dh}，来自已加载模型的第 {step} 步</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/positional_tabs.py" line="378" />
        <source>Rotary multiplies: pair (2i, 2i+1) of q and k turns by angle m·θᵢ at position m, θᵢ = 10000^(−2i/Dh). Each small plot is one pair of q on its circle over positions 0..{last} (dark = early, yellow = late): low pairs turn fast, high pairs slowly. Vectors: {source}.</source>
        <translation>旋转位置编码用乘法：q 和 k 的维度对 (2i, 2i+1) 在位置 m 处转过角度 m·θᵢ，θᵢ = 10000^(−2i/Dh)。每个小图是 q 的一个维度对在位置 0..{last} 上沿圆周的轨迹（深色 = 靠前，黄色 = 靠后）：低维的对转得快，高维的对转得慢。向量：{source}。</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/positional_tabs.py" line="385" />
        <source>pair {i}&lt;br&gt;θ={theta:.2g}, |q|={radius:.2g}</source>
        <translation>第 {i} 对&lt;br&gt;θ={theta:.2g}, |q|={radius:.2g}</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/positional_tabs.py" line="389" />
        <source>rotary: {note}</source>
        <translation>旋转：{note}</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/positional_tabs.py" line="390" />
        <source>additive: {note}</source>
        <translation>相加：{note}</translation>
    </message>
</context>
<context>
    <name>SamplesTab</name>
    <message>
        <location filename="../../explorer/panels/training_samples.py" line="48" />
        <source>source</source>
        <translation>源句</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_samples.py" line="48" />
        <source>reference</source>
        <translation>参考译文</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_samples.py" line="48" />
        <source>current output</source>
        <translation>当前输出</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_samples.py" line="49" />
        <source>Evaluate now</source>
        <translation>立即评估</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_samples.py" line="50" />
        <source>Translate the validation sentences with the model as it is now</source>
        <translation>用当前模型翻译验证集句子</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_samples.py" line="103" />
        <source>Training replay, step {step}: the model's own translations of the traced sentences at that moment.</source>
        <translation>训练回放，第 {step} 步：模型当时对所追踪句子的翻译。</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_samples.py" line="106" />
        <source>No evaluation yet: sample translations appear after each evaluation.</source>
        <translation>还没有评估：每次评估后这里会显示样例译文。</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_samples.py" line="110" />
        <source>Evaluation at step {step}: BLEU {bleu:.1f}, chrF {chrf:.1f}, valid loss {loss:.3f}, token accuracy {accuracy:.1f}%</source>
        <translation>第 {step} 步的评估：BLEU {bleu:.1f}，chrF {chrf:.1f}，验证损失 {loss:.3f}，词元准确率 {accuracy:.1f}%</translation>
    </message>
</context>
<context>
    <name>SentenceInputs</name>
    <message>
        <location filename="../../explorer/panels/attention/inputs.py" line="36" />
        <source>Source:</source>
        <translation>源句：</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/inputs.py" line="39" />
        <source>Type a sentence in the source language</source>
        <translation>输入一个源语言句子</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/inputs.py" line="38" />
        <source>The sentence to translate (Ctrl+Return runs it)</source>
        <translation>要翻译的句子（Ctrl+Return 运行）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/inputs.py" line="40" />
        <source>Reference:</source>
        <translation>参考译文：</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/inputs.py" line="44" />
        <source>Reference translation (for teacher forcing)</source>
        <translation>参考译文（用于强制解码）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/inputs.py" line="42" />
        <source>Forced through the decoder in teacher-forcing mode</source>
        <translation>在强制解码（teacher forcing）模式下送入解码器</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/inputs.py" line="47" />
        <source>Pick a corpus example (with its reference) or a line of the loaded file</source>
        <translation>选择一个语料样例（带参考译文）或已加载文件中的一行</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/inputs.py" line="54" />
        <source>Open file…</source>
        <translation>打开文件…</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/inputs.py" line="55" />
        <source>Load a text file, one sentence per line (Ctrl+O)</source>
        <translation>加载文本文件，每行一个句子（Ctrl+O）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/inputs.py" line="62" />
        <source>Translate (greedy)</source>
        <translation>翻译（贪心）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/inputs.py" line="63" />
        <source>Translate (beam search)</source>
        <translation>翻译（束搜索）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/inputs.py" line="64" />
        <source>Teacher forcing (reference)</source>
        <translation>强制解码（参考译文）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/inputs.py" line="58" />
        <source>Translate with the model's own output, or force the reference through the decoder to see attention on a known target</source>
        <translation>用模型自己的输出来翻译，或者把参考译文强制送入解码器，查看已知目标句上的注意力</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/inputs.py" line="66" />
        <source>beam </source>
        <translation>束宽 </translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/inputs.py" line="65" />
        <source>Beam width for beam search</source>
        <translation>束搜索的束宽</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/inputs.py" line="70" />
        <source>Trace the sentence through the model (Ctrl+Return)</source>
        <translation>让句子经过模型，记录下每一个注意力矩阵（Ctrl+Return）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/inputs.py" line="73" />
        <source>Follow training</source>
        <translation>跟随训练</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/inputs.py" line="74" />
        <source>Make this sentence the probe: while training plays, the view follows the model</source>
        <translation>把这个句子设为探针句：训练播放时，视图跟着模型更新</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/inputs.py" line="81" />
        <source>row predicts the word</source>
        <translation>行预测的词</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/inputs.py" line="82" />
        <source>row reads the word</source>
        <translation>行读入的词</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/inputs.py" line="77" />
        <source>Gold alignment rows: decoder row t reads target token t and predicts token t+1; choose which of the two words the row's attention is compared with</source>
        <translation>标准对齐的行：解码器第 t 行读入目标词元 t，预测词元 t+1；选择这一行的注意力与这两个词中的哪一个比较</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/inputs.py" line="179" />
        <source>Open sentences</source>
        <translation>打开句子文件</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/inputs.py" line="179" />
        <source>Text (*.txt *.tsv);;All files (*)</source>
        <translation>文本 (*.txt *.tsv);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/inputs.py" line="186" />
        <source>Force reference</source>
        <translation>强制解码</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/attention/inputs.py" line="187" />
        <source>Translate</source>
        <translation>翻译</translation>
    </message>
</context>
<context>
    <name>SentenceTab</name>
    <message>
        <location filename="../../explorer/panels/positional_tabs.py" line="145" />
        <source>a source sentence</source>
        <translation>一个源语言句子</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/positional_tabs.py" line="147" />
        <source>Trace</source>
        <translation>追踪</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/positional_tabs.py" line="148" />
        <source>Run the sentence through the loaded model</source>
        <translation>把这个句子送入已加载的模型运行</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/positional_tabs.py" line="150" />
        <source>A source sentence to run through the loaded model (Enter)</source>
        <translation>要送入已加载模型的源语言句子（回车）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/positional_tabs.py" line="159" />
        <source>X: token embeddings (× √D)</source>
        <translation>X：词元嵌入（× √D）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/positional_tabs.py" line="160" />
        <source>P: positional encoding</source>
        <translation>P：位置编码</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/positional_tabs.py" line="161" />
        <source>X + P: what the encoder receives</source>
        <translation>X + P：编码器收到的输入</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/positional_tabs.py" line="185" />
        <source>Load a model or trace a sentence to see its X, P and X + P.</source>
        <translation>加载模型或追踪一个句子，查看它的 X、P 和 X + P。</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/positional_tabs.py" line="188" />
        <source>mean row length ‖X‖ = {x:.3g}, ‖P‖ = {p:.3g}</source>
        <translation>平均行长度 ‖X‖ = {x:.3g}，‖P‖ = {p:.3g}</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/positional_tabs.py" line="191" />
        <source>This model adds no P (pos_encoding = rotary): rotary encoding rotates q and k inside attention instead. {norms}.</source>
        <translation>这个模型不加 P（pos_encoding = rotary）：旋转位置编码改为在注意力内部旋转 q 和 k。{norms}。</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/positional_tabs.py" line="194" />
        <source>This model adds no P (pos_encoding = none): this model has no positional encoding at all. {norms}.</source>
        <translation>这个模型不加 P（pos_encoding = none）：它完全没有位置编码。{norms}。</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/positional_tabs.py" line="197" />
        <source>pos_encoding = {kind}; step {step}; {norms}.</source>
        <translation>pos_encoding = {kind}；第 {step} 步；{norms}。</translation>
    </message>
</context>
<context>
    <name>SetupBox</name>
    <message>
        <location filename="../../explorer/panels/training_setup.py" line="58" />
        <source>A built-in corpus or a file (TSV / Tatoeba)</source>
        <translation>内置语料或文件（TSV / Tatoeba）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_setup.py" line="61" />
        <source>File…</source>
        <translation>文件…</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_setup.py" line="62" />
        <source>Choose a corpus file</source>
        <translation>选择一个语料文件</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_setup.py" line="65" />
        <source>How sentences are cut into tokens (applies on Rebuild; SentencePiece pieces come with a pretrained model and cannot be trained here)</source>
        <translation>句子如何切成词元（重建时生效；SentencePiece 片段随预训练模型而来，这里不能训练）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_setup.py" line="69" />
        <source>Encoder and decoder layers</source>
        <translation>编码器和解码器的层数</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_setup.py" line="71" />
        <source>Attention heads per layer (must divide d_model)</source>
        <translation>每层的注意力头数（须能整除 d_model）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_setup.py" line="73" />
        <source>Width of the token vectors</source>
        <translation>词元向量的维度</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_setup.py" line="75" />
        <source>Width of the feed-forward layer inside each block</source>
        <translation>每个块中前馈层的宽度</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_setup.py" line="77" />
        <source>Share of activations dropped at random while training</source>
        <translation>训练时随机丢弃的激活值比例</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_setup.py" line="78" />
        <source>How the model learns where each token stands</source>
        <translation>模型如何得知每个词元所在的位置</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_setup.py" line="81" />
        <source>sinusoidal</source>
        <translation>正弦</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_setup.py" line="81" />
        <source>learned</source>
        <translation>可学习</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_setup.py" line="82" />
        <source>rotary (RoPE)</source>
        <translation>旋转（RoPE）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_setup.py" line="82" />
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_setup.py" line="83" />
        <source>Where training runs: the CPU or a GPU (cuda)</source>
        <translation>在哪里训练：CPU 或 GPU（cuda）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_setup.py" line="86" />
        <source>Rebuild</source>
        <translation>重建</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_setup.py" line="87" />
        <source>A fresh, untrained model with these settings</source>
        <translation>用这些设置新建一个未训练的模型</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_setup.py" line="91" />
        <source>Corpus</source>
        <translation>语料</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_setup.py" line="91" />
        <source>Tokens</source>
        <translation>词元</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_setup.py" line="92" />
        <source>Layers</source>
        <translation>层数</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_setup.py" line="92" />
        <source>Heads</source>
        <translation>头数</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_setup.py" line="93" />
        <source>Dropout</source>
        <translation>Dropout 比例</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_setup.py" line="93" />
        <source>Position</source>
        <translation>位置编码</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_setup.py" line="94" />
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_setup.py" line="132" />
        <source>words</source>
        <translation>词</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_setup.py" line="132" />
        <source>characters</source>
        <translation>字符</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_setup.py" line="132" />
        <source>BPE subwords</source>
        <translation>BPE 子词</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_setup.py" line="133" />
        <source>SentencePiece pieces</source>
        <translation>SentencePiece 片段</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_setup.py" line="168" />
        <source>Open corpus</source>
        <translation>打开语料</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_setup.py" line="168" />
        <source>Corpora (*.tsv *.txt *.csv);;All files (*)</source>
        <translation>语料 (*.tsv *.txt *.csv);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_setup.py" line="119" />
        <source>loading…</source>
        <translation>加载中…</translation>
    </message>
</context>
<context>
    <name>Shortcuts</name>
    <message>
        <location filename="../../explorer/about.py" line="12" />
        <source>guided tour</source>
        <translation>导览</translation>
    </message>
    <message>
        <location filename="../../explorer/about.py" line="13" />
        <source>next / previous stop of the tour</source>
        <translation>导览的下一站 / 上一站</translation>
    </message>
    <message>
        <location filename="../../explorer/about.py" line="14" />
        <source>play / pause training</source>
        <translation>开始 / 暂停训练</translation>
    </message>
    <message>
        <location filename="../../explorer/about.py" line="15" />
        <source>one training step</source>
        <translation>训练一步</translation>
    </message>
    <message>
        <location filename="../../explorer/about.py" line="16" />
        <source>in a text field: leave it, so that Space and Right arrow train again</source>
        <translation>在文本框中：离开文本框，让空格键和 → 重新控制训练</translation>
    </message>
    <message>
        <location filename="../../explorer/about.py" line="17" />
        <source>open a checkpoint</source>
        <translation>打开检查点</translation>
    </message>
    <message>
        <location filename="../../explorer/about.py" line="18" />
        <source>save a checkpoint</source>
        <translation>保存检查点</translation>
    </message>
    <message>
        <location filename="../../explorer/about.py" line="19" />
        <source>export the current view: a picture, or the matrices it shows</source>
        <translation>导出当前视图：图片，或其中显示的矩阵</translation>
    </message>
    <message>
        <location filename="../../explorer/about.py" line="20" />
        <source>quit</source>
        <translation>退出</translation>
    </message>
</context>
<context>
    <name>SinusoidalTab</name>
    <message>
        <location filename="../../explorer/panels/positional_tabs.py" line="85" />
        <source>interleaved (paper)</source>
        <translation>交错（论文）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/positional_tabs.py" line="86" />
        <location filename="../../explorer/panels/positional_tabs.py" line="125" />
        <source>split halves</source>
        <translation>前后两半</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/positional_tabs.py" line="87" />
        <source>D</source>
        <translation>维度 D</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/positional_tabs.py" line="87" />
        <source>Width D of each position vector (even)</source>
        <translation>每个位置向量的宽度 D（偶数）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/positional_tabs.py" line="88" />
        <source>positions</source>
        <translation>位置数</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/positional_tabs.py" line="88" />
        <source>How many positions (rows of P) to draw</source>
        <translation>画出多少个位置（P 的行数）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/positional_tabs.py" line="89" />
        <source>sin/cos layout</source>
        <translation>sin/cos 排列</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/positional_tabs.py" line="90" />
        <source>The same numbers in another column order: compare how they look</source>
        <translation>同样的数值换一种列顺序：比较它们看起来有何不同</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/positional_tabs.py" line="126" />
        <source>layout: split halves — all sines in dimensions 0..D/2−1, their cosines in D/2..D−1 (the same numbers, reordered)</source>
        <translation>排列：前后两半——所有 sin 在维度 0..D/2−1，对应的 cos 在 D/2..D−1（同样的数值，只是换了顺序）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/positional_tabs.py" line="129" />
        <source>interleaved</source>
        <translation>交错</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/positional_tabs.py" line="130" />
        <source>layout: interleaved, as in the paper — sin at even dimensions 2i, cos at odd 2i+1</source>
        <translation>排列：交错，与论文相同——sin 在偶数维 2i，cos 在奇数维 2i+1</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/positional_tabs.py" line="131" />
        <source>sinusoidal P, D = {width}, {layout}</source>
        <translation>正弦 P，D = {width}，{layout}</translation>
    </message>
</context>
<context>
    <name>SlowMotionView</name>
    <message>
        <location filename="../../explorer/panels/training_slow.py" line="40" />
        <source>1 · Batch</source>
        <translation>1 · 批次</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_slow.py" line="41" />
        <source>2 · Forward: loss per token</source>
        <translation>2 · 前向：每个词元的损失</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_slow.py" line="42" />
        <source>3 · Backward: gradients</source>
        <translation>3 · 反向：梯度</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_slow.py" line="43" />
        <source>4 · Update: relative change</source>
        <translation>4 · 更新：相对变化</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_slow.py" line="44" />
        <source>5 · Probe attention before / after</source>
        <translation>5 · 探针句子更新前 / 后的注意力</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_slow.py" line="136" />
        <source>Step in slow motion</source>
        <translation>慢动作走一步</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_slow.py" line="137" />
        <source>Take one training step and show each of its stages</source>
        <translation>训练一步，并逐个展示它的各个阶段</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_slow.py" line="138" />
        <source>◀ Back</source>
        <translation>◀ 上一阶段</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_slow.py" line="139" />
        <source>The previous stage of the step</source>
        <translation>这一步的上一个阶段</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_slow.py" line="140" />
        <source>Next ▶</source>
        <translation>下一阶段 ▶</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_slow.py" line="141" />
        <source>The next stage of the step</source>
        <translation>这一步的下一个阶段</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_slow.py" line="220" />
        <source>Sentence</source>
        <translation>句子</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_slow.py" line="218" />
        <source>Which sentence pair of the batch to show</source>
        <translation>显示这一批中的哪个句对</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_slow.py" line="184" />
        <source>loss of each target token</source>
        <translation>每个目标词元的损失</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_slow.py" line="184" />
        <source>cross-entropy</source>
        <translation>交叉熵</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_slow.py" line="185" />
        <source>loss per target token (rows: sentences)</source>
        <translation>每个目标词元的损失（行：句子）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_slow.py" line="186" />
        <source>gradient norm per parameter group</source>
        <translation>每组参数的梯度范数</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_slow.py" line="187" />
        <source>gradient norm of Q/K/V per head</source>
        <translation>每个头的 Q/K/V 梯度范数</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_slow.py" line="188" />
        <source>relative change of each parameter group</source>
        <translation>每组参数的相对变化</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_slow.py" line="266" />
        <source>Attention</source>
        <translation>注意力</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_slow.py" line="267" />
        <source>Layer</source>
        <translation>层</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_slow.py" line="268" />
        <source>Head</source>
        <translation>头</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_slow.py" line="258" />
        <source>cross (decoder → encoder)</source>
        <translation>交叉注意力（解码器 → 编码器）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_slow.py" line="259" />
        <source>encoder self</source>
        <translation>编码器自注意力</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_slow.py" line="260" />
        <source>decoder self</source>
        <translation>解码器自注意力</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_slow.py" line="255" />
        <source>Which attention of the probe sentence to compare</source>
        <translation>比较探针句子的哪一种注意力</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_slow.py" line="261" />
        <source>Layer of that attention</source>
        <translation>该注意力所在的层</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_slow.py" line="262" />
        <source>One head, or the mean of all heads</source>
        <translation>单个头，或所有头的平均</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_slow.py" line="189" />
        <source>before the update</source>
        <translation>更新前</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_slow.py" line="190" />
        <source>after the update</source>
        <translation>更新后</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_slow.py" line="191" />
        <source>change (after − before)</source>
        <translation>变化（更新后 − 更新前）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_slow.py" line="200" />
        <source>Press “Step in slow motion” to take one training step apart.</source>
        <translation>按“慢动作走一步”，把一步训练拆开来看。</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_slow.py" line="332" />
        <source>Step {step}: {pairs} sentence pairs, {tokens} target tokens, loss {loss:.4f}, learning rate {lr:.3g}, gradient norm {grad:.3g}.</source>
        <translation>第 {step} 步：{pairs} 个句对，{tokens} 个目标词元，损失 {loss:.4f}，学习率 {lr:.3g}，梯度范数 {grad:.3g}。</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_slow.py" line="354" />
        <source>source {i}</source>
        <translation>源句 {i}</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_slow.py" line="355" />
        <source>target {i}</source>
        <translation>目标句 {i}</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_slow.py" line="366" />
        <source>mean {mean:.3f} over {n} tokens; highest at “{token}”</source>
        <translation>{n} 个词元的平均损失 {mean:.3f}；最高的是“{token}”</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_slow.py" line="374" />
        <source>sentence {i}</source>
        <translation>句子 {i}</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_slow.py" line="375" />
        <source>pos {j}</source>
        <translation>位置 {j}</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_slow.py" line="387" />
        <location filename="../../explorer/panels/training_slow.py" line="408" />
        <source>head {h}</source>
        <translation>头 {h}</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_slow.py" line="392" />
        <location filename="../../explorer/panels/training_slow.py" line="415" />
        <source>This step carried no probe sentence.</source>
        <translation>这一步没有带探针句子。</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_slow.py" line="408" />
        <source>mean of heads</source>
        <translation>各头平均</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_slow.py" line="433" />
        <source>Probe: {src}. Largest change of one attention weight: {change:.2e}</source>
        <translation>探针句子：{src}。单个注意力权重的最大变化：{change:.2e}</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_slow.py" line="436" />
        <source>Probe: {src}. The translation changed, so the maps differ in shape.</source>
        <translation>探针句子：{src}。译文变了，所以两张图的形状不同。</translation>
    </message>
</context>
<context>
    <name>SourceNotice</name>
    <message>
        <location filename="../../explorer/widgets/source_notice.py" line="19" />
        <source>The model reads every word it does not know as the same token, &lt;unk&gt;: it cannot tell them apart, and its translation of them is a guess.</source>
        <translation>模型把每个不认识的词都读成同一个词元 &lt;unk&gt;：它分不清这些词，对它们的翻译只是猜测。</translation>
    </message>
    <message>
        <location filename="../../explorer/widgets/source_notice.py" line="58" />
        <source>1 word of this sentence not in the model's vocabulary (shown as &lt;unk&gt;): </source>
        <translation>这句话中有 1 个词不在模型词表中（显示为 &lt;unk&gt;）：</translation>
    </message>
    <message>
        <location filename="../../explorer/widgets/source_notice.py" line="60" />
        <source>{n} words of this sentence not in the model's vocabulary (shown as &lt;unk&gt;): </source>
        <translation>这句话中有 {n} 个词不在模型词表中（显示为 &lt;unk&gt;）：</translation>
    </message>
    <message>
        <location filename="../../explorer/widgets/source_notice.py" line="67" />
        <source>Longer than the model reads ({tokens} tokens, at most {kept}): cut at character {cut}, before “{rest}”.</source>
        <translation>超出模型能读的长度（{tokens} 个词元，最多 {kept} 个）：在第 {cut} 个字符处截断，“{rest}”之前。</translation>
    </message>
</context>
<context>
    <name>StatusLine</name>
    <message>
        <location filename="../../explorer/panels/embeddings_views.py" line="274" />
        <source>{n:,} points ({names} at step {step}), D = {D}.</source>
        <translation>{n:,} 个点（{names}，第 {step} 步），D = {D}。</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/embeddings_views.py" line="275" />
        <source>the most frequent</source>
        <translation>最常见的词元</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/embeddings_views.py" line="275" />
        <source>the words of the loaded sentences</source>
        <translation>已加载句子中的词</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/embeddings_views.py" line="276" />
        <source>the search's matches</source>
        <translation>搜索匹配到的词</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/embeddings_views.py" line="278" />
        <source>A subset of the {vocab:,} rows: {which}.</source>
        <translation>{vocab:,} 行中的一个子集：{which}。</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/embeddings_views.py" line="286" />
        <source>Waiting for an embedding matrix.</source>
        <translation>正在等待词嵌入矩阵。</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/embeddings_views.py" line="288" />
        <source>PCA keeps {ratio:.0%} of the variance in {dim}D.</source>
        <translation>PCA 在 {dim} 维中保留了 {ratio:.0%} 的方差。</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/embeddings_views.py" line="289" />
        <source>{method} done.</source>
        <translation>{method} 已完成。</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/embeddings_views.py" line="290" />
        <source>{method} is running…</source>
        <translation>{method} 正在运行…</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/embeddings_views.py" line="291" />
        <source>UMAP: numba compiles it the first time in this run (up to a minute on a busy machine); later layouts take seconds.</source>
        <translation>UMAP：本次运行中第一次使用时由 numba 编译（繁忙的机器上最多一分钟）；之后的布局只需几秒。</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/embeddings_views.py" line="293" />
        <source>Preparing UMAP in the background (numba compiles it once per run)…</source>
        <translation>正在后台准备 UMAP（numba 每次运行编译一次）…</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/embeddings_views.py" line="294" />
        <source>{method} cancelled.</source>
        <translation>{method} 已取消。</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/embeddings_views.py" line="295" />
        <source>{method} stopped: {why}.</source>
        <translation>{method} 已停止：{why}。</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/embeddings_views.py" line="296" />
        <source>Frequencies are not counted yet (they come from the training text).</source>
        <translation>词频还没有统计出来（它们来自训练文本）。</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/embeddings_views.py" line="297" />
        <source>No CBOW vectors yet: train them in the word2vec panel and press “Open in projector”.</source>
        <translation>还没有 CBOW 词向量：请在 Word2vec 面板中训练，然后点击“在投影器中打开”。</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/embeddings_views.py" line="299" />
        <source>No rows chosen: search for words, or choose another subset.</source>
        <translation>没有选中任何行：请搜索词，或选择另一个子集。</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/embeddings_views.py" line="301" />
        <source>Training replay: step {step}, in PCA axes turned to follow the previous frame.</source>
        <translation>训练回放：第 {step} 步，PCA 坐标轴已旋转以对齐上一帧。</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/embeddings_views.py" line="302" />
        <source>Step {b} in its PCA axes; trails from step {a}.</source>
        <translation>第 {b} 步，画在它自己的 PCA 坐标轴中；轨迹从第 {a} 步画起。</translation>
    </message>
</context>
<context>
    <name>TableView</name>
    <message>
        <location filename="../../explorer/widgets/position_table.py" line="89" />
        <source>{name}: position × dimension</source>
        <translation>{name}：位置 × 维度</translation>
    </message>
    <message>
        <location filename="../../explorer/widgets/position_table.py" line="90" />
        <source>{name} · {name}ᵀ: position × position</source>
        <translation>{name} · {name}ᵀ：位置 × 位置</translation>
    </message>
    <message>
        <location filename="../../explorer/widgets/position_table.py" line="91" />
        <source>chosen dimensions over position</source>
        <translation>所选维度随位置的变化</translation>
    </message>
    <message>
        <location filename="../../explorer/widgets/position_table.py" line="91" />
        <source>position</source>
        <translation>位置</translation>
    </message>
    <message>
        <location filename="../../explorer/widgets/position_table.py" line="92" />
        <source>value</source>
        <translation>取值</translation>
    </message>
    <message>
        <location filename="../../explorer/widgets/position_table.py" line="94" />
        <source>{name}_m · {name}_(m+k) against the offset k</source>
        <translation>{name}_m · {name}_(m+k) 随偏移 k 的变化</translation>
    </message>
    <message>
        <location filename="../../explorer/widgets/position_table.py" line="95" />
        <source>offset k</source>
        <translation>偏移 k</translation>
    </message>
    <message>
        <location filename="../../explorer/widgets/position_table.py" line="95" />
        <source>dot product</source>
        <translation>点积</translation>
    </message>
    <message>
        <location filename="../../explorer/widgets/position_table.py" line="84" />
        <source>dimensions:</source>
        <translation>维度：</translation>
    </message>
    <message>
        <location filename="../../explorer/widgets/position_table.py" line="86" />
        <source>Dimensions to draw over position, separated by commas</source>
        <translation>要随位置画出的维度，用逗号分隔</translation>
    </message>
</context>
<context>
    <name>Theme</name>
    <message>
        <location filename="../../explorer/theme.py" line="159" />
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <location filename="../../explorer/theme.py" line="160" />
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <location filename="../../explorer/theme.py" line="161" />
        <source>&amp;Theme</source>
        <translation>主题(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../explorer/theme.py" line="167" />
        <source>Colours of windows, panels and text</source>
        <translation>窗口、面板和文字的配色</translation>
    </message>
</context>
<context>
    <name>TimelineBar</name>
    <message>
        <location filename="../../explorer/widgets/timeline.py" line="65" />
        <source>Training timeline:</source>
        <translation>训练时间线：</translation>
    </message>
    <message>
        <location filename="../../explorer/widgets/timeline.py" line="66" />
        <source>Replay training: every panel moves through the snapshots the model carries, from step 0</source>
        <translation>回放训练：每个面板从第 0 步起依次显示模型携带的快照</translation>
    </message>
    <message>
        <location filename="../../explorer/widgets/timeline.py" line="68" />
        <source>Replay speed</source>
        <translation>回放速度</translation>
    </message>
    <message>
        <location filename="../../explorer/widgets/timeline.py" line="69" />
        <source>Live</source>
        <translation>实时</translation>
    </message>
    <message>
        <location filename="../../explorer/widgets/timeline.py" line="70" />
        <source>Show the model as it is now</source>
        <translation>显示模型现在的样子</translation>
    </message>
    <message>
        <location filename="../../explorer/widgets/timeline.py" line="71" />
        <source>Drag to show every panel as the model was at a step of its training</source>
        <translation>拖动以让每个面板显示模型在训练中某一步时的样子</translation>
    </message>
    <message>
        <location filename="../../explorer/widgets/timeline.py" line="86" />
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <location filename="../../explorer/widgets/timeline.py" line="86" />
        <source>Replay</source>
        <translation>回放</translation>
    </message>
    <message>
        <location filename="../../explorer/widgets/timeline.py" line="90" />
        <source>Live: the model as it is now ({n} snapshots to replay)</source>
        <translation>实时：模型现在的样子（可回放 {n} 个快照）</translation>
    </message>
    <message>
        <location filename="../../explorer/widgets/timeline.py" line="91" />
        <source>Live (no training history yet)</source>
        <translation>实时（尚无训练历史）</translation>
    </message>
    <message>
        <location filename="../../explorer/widgets/timeline.py" line="94" />
        <source>Replaying step {step} ({i} of {n}): every panel shows the model as it was then; any new request returns to live</source>
        <translation>正在回放第 {step} 步（第 {i} / {n} 个）：每个面板都显示模型当时的样子；任何新的请求都会先回到实时</translation>
    </message>
</context>
<context>
    <name>TokenHeatmap</name>
    <message>
        <location filename="../../explorer/widgets/heatmap.py" line="265" />
        <source>Release the locked row/column highlight (Esc)</source>
        <translation>解除锁定的行/列高亮（Esc）</translation>
    </message>
    <message>
        <location filename="../../explorer/widgets/heatmap.py" line="387" />
        <source>Unlock {cell}</source>
        <translation>解锁 {cell}</translation>
    </message>
    <message>
        <location filename="../../explorer/widgets/heatmap.py" line="389" />
        <source>Unlock</source>
        <translation>解锁</translation>
    </message>
    <message>
        <location filename="../../explorer/widgets/heatmap.py" line="413" />
        <source>row {row} “{row_label}” × column {col} “{col_label}”</source>
        <translation>第 {row} 行“{row_label}” × 第 {col} 列“{col_label}”</translation>
    </message>
    <message>
        <location filename="../../explorer/widgets/heatmap.py" line="417" />
        <source>masked</source>
        <translation>被掩码</translation>
    </message>
</context>
<context>
    <name>TokensPanel</name>
    <message>
        <location filename="../../explorer/panels/tokens.py" line="360" />
        <source>row {id} is not kept in this snapshot (it keeps rows 0–{last} of E)</source>
        <translation>这个快照没有保存第 {id} 行（它只保存 E 的第 0–{last} 行）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/tokens.py" line="80" />
        <source>model · source tokenizer</source>
        <translation>模型 · 源语言分词器</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/tokens.py" line="81" />
        <source>model · target tokenizer</source>
        <translation>模型 · 目标语言分词器</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/tokens.py" line="82" />
        <source>word · trained on the corpus</source>
        <translation>按词 · 在语料上训练</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/tokens.py" line="83" />
        <source>char · trained on the corpus</source>
        <translation>按字符 · 在语料上训练</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/tokens.py" line="84" />
        <source>BPE · trained on the corpus</source>
        <translation>BPE · 在语料上训练</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/tokens.py" line="92" />
        <source>Text</source>
        <translation>文本</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/tokens.py" line="93" />
        <source>The sentence to split into tokens</source>
        <translation>要切分成词元的句子</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/tokens.py" line="74" />
        <source>The text to tokenize (Enter)</source>
        <translation>要分词的文本（回车）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/tokens.py" line="75" />
        <source>type a sentence…</source>
        <translation>输入一个句子…</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/tokens.py" line="86" />
        <source>Which tokenizer splits the text: the translator's own, or a word / char / BPE tokenizer trained on the corpus's training text</source>
        <translation>用哪个分词器切分文本：翻译模型自己的，或在语料训练文本上训练的按词 / 按字符 / BPE 分词器</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/tokens.py" line="89" />
        <source>Tokenize</source>
        <translation>分词</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/tokens.py" line="90" />
        <source>Split the text into tokens (Enter / Ctrl+Return)</source>
        <translation>把文本切分成词元（回车 / Ctrl+回车）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/tokens.py" line="297" />
        <source>SentencePiece pieces ({lang}), V = {V:,}: {T} pieces; ▁ marks the start of a word.</source>
        <translation>SentencePiece 子词片段（{lang}），V = {V:,}：{T} 个片段；▁ 标出一个词的开头。</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/tokens.py" line="341" />
        <source>token</source>
        <translation>词元</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/tokens.py" line="341" />
        <source>ID</source>
        <translation>ID（编号）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/tokens.py" line="341" />
        <source>piece</source>
        <translation>片段</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/tokens.py" line="342" />
        <source>one-hot (where the 1 is)</source>
        <translation>one-hot（1 所在的位置）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/tokens.py" line="342" />
        <source>embedding row</source>
        <translation>词嵌入行</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/tokens.py" line="109" />
        <source>One row per token; select one to see one-hot × E pick its row of E</source>
        <translation>每个词元一行；选中一行，看 one-hot × E 怎样取出 E 中对应的那一行</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/tokens.py" line="117" />
        <source>Compare: ID · one-hot · embedding</source>
        <translation>对比：ID · one-hot · 词嵌入</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/tokens.py" line="119" />
        <source>One-hot × E</source>
        <translation>one-hot × E（查表）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/tokens.py" line="118" />
        <source>The same tokens as IDs, one-hot vectors and embedding rows, side by side (Alt+1)</source>
        <translation>同一组词元分别表示为 ID、one-hot 向量和词嵌入行，并排对比（Alt+1）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/tokens.py" line="120" />
        <source>How multiplying a one-hot vector by E picks one row of E (Alt+2)</source>
        <translation>one-hot 向量乘以 E 怎样取出 E 的一行（Alt+2）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/tokens.py" line="302" />
        <source>No model is loaded yet: pick a tokenizer trained on the corpus, or open a checkpoint.</source>
        <translation>还没有加载模型：请选择在语料上训练的分词器，或打开一个检查点。</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/tokens.py" line="304" />
        <source>No corpus is loaded yet.</source>
        <translation>还没有加载语料。</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/tokens.py" line="305" />
        <source>Training a {kind} tokenizer on {n:,} sentences…</source>
        <translation>正在用 {n:,} 个句子训练 {kind} 分词器…</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/tokens.py" line="306" />
        <source>Training a {kind} tokenizer: {done:,} of {n:,} sentences read…</source>
        <translation>正在训练 {kind} 分词器：已读 {done:,} / {n:,} 个句子…</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/tokens.py" line="307" />
        <source>Could not train it: {error}</source>
        <translation>训练失败：{error}</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/tokens.py" line="300" />
        <source>{kind} tokenizer ({lang}), V = {V:,}: {T} tokens.</source>
        <translation>{kind} 分词器（{lang}），V = {V:,}：{T} 个词元。</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/tokens.py" line="308" />
        <source>The text holds no tokens.</source>
        <translation>这段文本没有任何词元。</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/tokens.py" line="347" />
        <source>1 at {hot} / {V}</source>
        <translation>第 {hot} 位为 1 / 共 {V} 位</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/tokens.py" line="348" />
        <source>{V} numbers: all 0 except a 1 at index {hot}</source>
        <translation>{V} 个数：除第 {hot} 位是 1 外全是 0</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/tokens.py" line="350" />
        <source>Not in the vocabulary: the tokenizer writes &lt;unk&gt; (id {id}) for it, the same token for everything it does not know</source>
        <translation>不在词表中：分词器把它写成 &lt;unk&gt;（ID {id}），所有不认识的内容都是这同一个词元</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/tokens.py" line="355" />
        <source>no embedding matrix for this tokenizer's vocabulary (choose the model's tokenizer)</source>
        <translation>这个分词器的词表没有对应的词嵌入矩阵（请选择模型的分词器）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/tokens.py" line="366" />
        <source>E[{id}] ({n} numbers):</source>
        <translation>E[{id}]（{n} 个数）：</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/tokens.py" line="373" />
        <source>&lt;b&gt;Memory per token&lt;/b&gt; — ID (int64): &lt;b&gt;8 B&lt;/b&gt;, one value, dense · one-hot (float32): 4·V = &lt;b&gt;{bytes:,} B&lt;/b&gt;, {zeros:.2%} zeros</source>
        <translation>&lt;b&gt;每个词元占用的内存&lt;/b&gt; — ID（int64）：&lt;b&gt;8 B&lt;/b&gt;，一个值，稠密 · one-hot（float32）：4·V = &lt;b&gt;{bytes:,} B&lt;/b&gt;，{zeros:.2%} 为零</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/tokens.py" line="377" />
        <source> · embedding (float32): 4·D = &lt;b&gt;{bytes:,} B&lt;/b&gt;, {zeros:.0%} zeros</source>
        <translation> · 词嵌入（float32）：4·D = &lt;b&gt;{bytes:,} B&lt;/b&gt;，{zeros:.0%} 为零</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/tokens.py" line="380" />
        <source>For these {T} tokens: {totals}.</source>
        <translation>这 {T} 个词元合计：{totals}。</translation>
    </message>
</context>
<context>
    <name>Tour</name>
    <message>
        <location filename="../../explorer/tour.py" line="160" />
        <source>Back</source>
        <translation>上一站</translation>
    </message>
    <message>
        <location filename="../../explorer/tour.py" line="161" />
        <source>The previous stop (Alt+Left)</source>
        <translation>上一站（Alt+←）</translation>
    </message>
    <message>
        <location filename="../../explorer/tour.py" line="162" />
        <source>Next</source>
        <translation>下一站</translation>
    </message>
    <message>
        <location filename="../../explorer/tour.py" line="163" />
        <source>The next stop (Alt+Right)</source>
        <translation>下一站（Alt+→）</translation>
    </message>
    <message>
        <location filename="../../explorer/tour.py" line="164" />
        <source>Leave</source>
        <translation>退出导览</translation>
    </message>
    <message>
        <location filename="../../explorer/tour.py" line="165" />
        <source>Close the tour; everything stays as it is (Esc)</source>
        <translation>关闭导览，界面保持原样（Esc）</translation>
    </message>
    <message>
        <location filename="../../explorer/tour.py" line="167" />
        <source>What this stop shows; the panel it talks about is open</source>
        <translation>这一站讲解的内容；相关面板已经打开</translation>
    </message>
    <message>
        <location filename="../../explorer/tour.py" line="265" />
        <source>Guided tour</source>
        <translation>导览</translation>
    </message>
    <message>
        <location filename="../../explorer/tour.py" line="267" />
        <source>Stop %1 of %2</source>
        <translation>第 %1 站，共 %2 站</translation>
    </message>
</context>
<context>
    <name>TrainingCurves</name>
    <message>
        <location filename="../../explorer/panels/training_curves.py" line="75" />
        <source>loss (nats)</source>
        <translation>损失（奈特）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_curves.py" line="76" />
        <source>valid token accuracy</source>
        <translation>验证集词元准确率</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_curves.py" line="77" />
        <source>learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_curves.py" line="78" />
        <source>gradient norm (before clipping)</source>
        <translation>梯度范数（裁剪前）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_curves.py" line="79" />
        <source>valid BLEU / chrF</source>
        <translation>验证集 BLEU / chrF</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_curves.py" line="80" />
        <source>tokens per second</source>
        <translation>每秒词元数</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_curves.py" line="82" />
        <source>train loss (smoothed)</source>
        <translation>训练损失（平滑）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_curves.py" line="83" />
        <source>train cross-entropy</source>
        <translation>训练交叉熵</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_curves.py" line="84" />
        <source>valid loss (smoothed)</source>
        <translation>验证损失（平滑）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_curves.py" line="85" />
        <source>valid accuracy</source>
        <translation>验证准确率</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_curves.py" line="86" />
        <source>lr</source>
        <translation>学习率</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_curves.py" line="86" />
        <source>grad norm</source>
        <translation>梯度范数</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_curves.py" line="88" />
        <source>tokens/s</source>
        <translation>词元/秒</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_curves.py" line="186" />
        <source>smoothing floor {floor:.2f}</source>
        <translation>平滑下限 {floor:.2f}</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_curves.py" line="189" />
        <source>Dashed: the least loss label smoothing {epsilon:g} allows over {vocab} tokens; the cross-entropy has no such floor</source>
        <translation>虚线：标签平滑 {epsilon:g} 在 {vocab} 个词元上所允许的最小损失；交叉熵没有这样的下限</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_curves.py" line="197" />
        <source>Run log {name}: {steps} steps, {evals} evaluations (loading or building a model shows its own curves again)</source>
        <translation>训练日志 {name}：{steps} 步，{evals} 次评估（载入或新建模型后将重新显示其自身的曲线）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_curves.py" line="204" />
        <source>Validation points come every {every} steps</source>
        <translation>每 {every} 步得到一个验证点</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_curves.py" line="205" />
        <source>Validation is off while training</source>
        <translation>训练时不做验证</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_curves.py" line="206" />
        <source>; “Evaluate now” on the Samples tab adds one at the current step.</source>
        <translation>；“样例”标签页上的“立即评估”会在当前步数添加一个。</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training_curves.py" line="208" />
        <source>This model carries no training history: its curves start now, at step {step}. </source>
        <translation>这个模型没有带训练历史：曲线从现在、第 {step} 步开始。</translation>
    </message>
</context>
<context>
    <name>TrainingPanel</name>
    <message>
        <location filename="../../explorer/panels/training.py" line="112" />
        <source>Curves</source>
        <translation>曲线</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training.py" line="113" />
        <source>Samples</source>
        <translation>样例</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training.py" line="114" />
        <source>Slow motion</source>
        <translation>慢动作</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training.py" line="115" />
        <source>Data and model</source>
        <translation>数据与模型</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training.py" line="305" />
        <source>Tokens</source>
        <translation>分词</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training.py" line="155" />
        <source>How many steps “Step N” takes</source>
        <translation>“走 N 步”一次走多少步</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training.py" line="157" />
        <source>Take that many training steps</source>
        <translation>训练这么多步</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training.py" line="168" />
        <source>The learning rate: the schedule's while “Fixed lr” is unticked</source>
        <translation>学习率：不勾选“固定学习率”时显示调度给出的值</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training.py" line="452" />
        <source>step %v / %m</source>
        <translation>第 %v / %m 步</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training.py" line="312" />
        <source>Model config</source>
        <translation>模型配置</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training.py" line="314" />
        <source>Rebuilding the model</source>
        <translation>重建模型</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training.py" line="378" />
        <source>Play</source>
        <translation>播放</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training.py" line="394" />
        <source>No model loaded yet: the curves, samples and slow motion stay empty until a checkpoint is opened or a model is built.</source>
        <translation>还没有加载模型：打开检查点或新建模型之前，曲线、样例和慢动作都是空的。</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training.py" line="455" />
        <source>step %v</source>
        <translation>第 %v 步</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training.py" line="464" />
        <source>Step {step}. Not trained in this session yet.</source>
        <translation>第 {step} 步。本次运行中还没有训练过。</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training.py" line="467" />
        <source>Step {step}   loss {loss:.4f}   lr {lr:.3g}   grad norm {grad:.3g}   {speed:,.0f} tokens/s</source>
        <translation>第 {step} 步   损失 {loss:.4f}   学习率 {lr:.3g}   梯度范数 {grad:.3g}   {speed:,.0f} 词元/秒</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training.py" line="143" />
        <source>Train continuously / pause (Space)</source>
        <translation>持续训练 / 暂停（空格键）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training.py" line="148" />
        <location filename="../../explorer/panels/training.py" line="152" />
        <source>Step</source>
        <translation>单步</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training.py" line="144" />
        <source>One training step (Right arrow)</source>
        <translation>训练一步（→ 键）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training.py" line="156" />
        <source>Step N</source>
        <translation>走 N 步</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training.py" line="159" />
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training.py" line="160" />
        <source>Stop the steps of “Step N” not taken yet (Space)</source>
        <translation>停止“走 N 步”中还没走的步（空格）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training.py" line="162" />
        <location filename="../../explorer/panels/training.py" line="291" />
        <source>Reset</source>
        <translation>重置</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training.py" line="163" />
        <source>Fresh random weights, step 0</source>
        <translation>重新随机初始化权重，回到第 0 步</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training.py" line="165" />
        <source>Fixed lr</source>
        <translation>固定学习率</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training.py" line="166" />
        <source>Unticked: the schedule sets the learning rate</source>
        <translation>不勾选时由学习率调度决定</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training.py" line="174" />
        <source>Play stops at this step</source>
        <translation>播放到这一步时停止</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training.py" line="177" />
        <source>The model's step; once Play trains towards the target, the steps towards it</source>
        <translation>模型的步数；“播放”朝目标训练后，显示朝目标已训练的步数</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training.py" line="231" />
        <source>Off: the training corpus {corpus} of this model could not be read ({error}), so the model is open for inspection only. To train it, put the corpus where the checkpoint names it and open the checkpoint again.</source>
        <translation>已停用：这个模型的训练语料 {corpus} 无法读取（{error}），模型只能用于查看。要训练它，请把语料放回检查点所记录的位置，再重新打开检查点。</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training.py" line="471" />
        <source>   cross-entropy {ce:.3f}</source>
        <translation>   交叉熵 {ce:.3f}</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training.py" line="172" />
        <source>Target</source>
        <translation>目标步数</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training.py" line="306" />
        <source>SentencePiece pieces come with a pretrained model and cannot be trained here: choose words, characters or BPE subwords to rebuild.</source>
        <translation>SentencePiece 片段随预训练模型而来，这里不能训练：重建时请选择词、字符或 BPE 子词。</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/training.py" line="378" />
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
</context>
<context>
    <name>Word2VecPanel</name>
    <message>
        <location filename="../../explorer/panels/word2vec.py" line="164" />
        <source>Corpus and CBOW settings</source>
        <translation>语料与 CBOW 设置</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/word2vec.py" line="168" />
        <source>translator's source sentences</source>
        <translation>翻译模型的源语言句子</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/word2vec.py" line="299" />
        <source>file: {name}</source>
        <translation>文件：{name}</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/word2vec.py" line="170" />
        <source>Learn from the source side of the translator's training corpus, or from a text file (one sentence per line)</source>
        <translation>从翻译模型训练语料的源语言一侧学习，或从文本文件学习（每行一句）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/word2vec.py" line="174" />
        <source>Odd window n: the centre token is hidden and the n − 1 tokens around it predict it</source>
        <translation>奇数窗口 n：遮住中心词元，用它周围的 n − 1 个词元来预测它</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/word2vec.py" line="177" />
        <source>D: the width of each row of E</source>
        <translation>D：E 每一行的宽度（词向量的维度）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/word2vec.py" line="179" />
        <source>Learning rate of plain SGD</source>
        <translation>普通 SGD 的学习率</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/word2vec.py" line="132" />
        <location filename="../../explorer/panels/word2vec.py" line="183" />
        <source>sum</source>
        <translation>求和</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/word2vec.py" line="127" />
        <source>decoded p: top {k}</source>
        <translation>解码后的 p：前 {k} 个</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/word2vec.py" line="128" />
        <source>‖ΔE[row]‖ of the rows changed</source>
        <translation>被改变的行的 ‖ΔE[row]‖</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/word2vec.py" line="132" />
        <location filename="../../explorer/panels/word2vec.py" line="183" />
        <source>mean</source>
        <translation>平均</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/word2vec.py" line="185" />
        <source>Add the context rows together (as in the notes) or average them</source>
        <translation>把各上下文行加在一起（与笔记相同），或取平均</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/word2vec.py" line="186" />
        <source>Build</source>
        <translation>构建</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/word2vec.py" line="187" />
        <source>A fresh E and output layer with these settings (Ctrl+B)</source>
        <translation>用这些设置新建 E 和输出层（Ctrl+B）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/word2vec.py" line="189" />
        <source>Corpus</source>
        <translation>语料</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/word2vec.py" line="189" />
        <source>Window n</source>
        <translation>窗口 n</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/word2vec.py" line="189" />
        <source>D</source>
        <translation>维度 D</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/word2vec.py" line="190" />
        <source>Learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/word2vec.py" line="190" />
        <source>Combine</source>
        <translation>合并方式</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/word2vec.py" line="205" />
        <source>Step</source>
        <translation>单步</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/word2vec.py" line="206" />
        <source>One example: hide a centre token, predict it, update (Ctrl+Right)</source>
        <translation>一个样本：遮住中心词元，预测它，再更新参数（Ctrl+→）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/word2vec.py" line="208" />
        <source>How many examples Step N trains</source>
        <translation>“走 N 步”训练多少个样本</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/word2vec.py" line="209" />
        <source>Step N</source>
        <translation>走 N 步</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/word2vec.py" line="210" />
        <source>Train N examples in the background (Ctrl+Shift+Right)</source>
        <translation>在后台训练 N 个样本（Ctrl+Shift+→）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/word2vec.py" line="211" />
        <source>Train until paused, or pause (Ctrl+P)</source>
        <translation>持续训练直到暂停，或暂停（Ctrl+P）</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/word2vec.py" line="212" />
        <source>Open in projector</source>
        <translation>在投影器中打开</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/word2vec.py" line="213" />
        <source>Show the learned rows of E in the Embeddings panel</source>
        <translation>在词嵌入面板中显示学到的 E 的各行</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/word2vec.py" line="434" />
        <source>Red bar: the hidden centre. The update changed {n} of {vocab} rows of E; ‖ΔW_out‖ = {out:.1e}.</source>
        <translation>红色柱：被隐藏的中心词。本次更新改变了 E 的 {vocab} 行中的 {n} 行；‖ΔW_out‖ = {out:.1e}。</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/word2vec.py" line="86" />
        <source>For each word with a known class (animal, colour, ...): the share of its {k} nearest words (cosine) that have the same class, averaged. Chance: what random neighbours would give.</source>
        <translation>对每个类别已知的词（动物、颜色……）：它最近的 {k} 个词（按余弦相似度）中与它同类的比例，再取平均。随机水平：随机挑选邻居时得到的值。</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/word2vec.py" line="235" />
        <source>One row of the shared E per context token; the last row is their sum (or mean), the vector that is decoded</source>
        <translation>每个上下文词元对应共享矩阵 E 的一行；最后一行是它们的和（或平均），即被解码的向量</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/word2vec.py" line="239" />
        <source>p</source>
        <translation>概率 p</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/word2vec.py" line="238" />
        <source>The decoded vector's probability for each token: the most likely ones, the hidden centre in red</source>
        <translation>解码后的向量给各词元的概率：最可能的几个，红色为被遮住的中心词元</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/word2vec.py" line="243" />
        <source>How far the update moved each row of E. Only the context rows move; with “sum” every context row gets the same gradient, so the bars are equal (a row seen twice in one window moves twice as far).</source>
        <translation>这次更新让 E 的每一行移动了多远。只有上下文行会移动；用“求和”时每个上下文行得到相同的梯度，所以柱子一样高（在一个窗口中出现两次的行移动两倍远）。</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/word2vec.py" line="250" />
        <source>loss per example</source>
        <translation>每个样本的损失</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/word2vec.py" line="251" />
        <source>step</source>
        <translation>步数</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/word2vec.py" line="249" />
        <source>Mean −log p of the hidden centres of each step's mini-batch; red: its running mean</source>
        <translation>每一步小批量中被遮住的中心词元的平均 −log p；红线：滑动平均</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/word2vec.py" line="334" />
        <location filename="../../explorer/panels/word2vec.py" line="430" />
        <source>context rows of E and their sum</source>
        <translation>E 的上下文行及其和</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/word2vec.py" line="141" />
        <source>No corpus yet: load a translator corpus or choose a text file.</source>
        <translation>还没有语料：请加载翻译语料，或选择一个文本文件。</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/word2vec.py" line="144" />
        <source>Building CBOW on {n:,} sentences of {source}…</source>
        <translation>正在用 {source} 的 {n:,} 个句子构建 CBOW…</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/word2vec.py" line="148" />
        <source>{source}: V = {vocab:,} tokens, {windows:,} windows of n = {window}, D = {dim}, {combine} of the context rows, SGD with learning rate {lr:g}.</source>
        <translation>{source}：V = {vocab:,} 个词元，{windows:,} 个 n = {window} 的窗口，D = {dim}，上下文行的合并方式：{combine}，SGD 学习率 {lr:g}。</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/word2vec.py" line="153" />
        <source>CBOW stopped: {error}</source>
        <translation>CBOW 已停止：{error}</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/word2vec.py" line="155" />
        <source>Build a CBOW model to start.</source>
        <translation>先构建一个 CBOW 模型。</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/word2vec.py" line="159" />
        <source>❚❚ Pause</source>
        <translation>❚❚ 暂停</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/word2vec.py" line="159" />
        <source>▶ Play</source>
        <translation>▶ 播放</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/word2vec.py" line="288" />
        <source>Text for CBOW</source>
        <translation>用于 CBOW 的文本</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/word2vec.py" line="289" />
        <source>Text (*.txt);;All files (*)</source>
        <translation>文本 (*.txt);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/word2vec.py" line="422" />
        <source>Step {step}: {shown}&lt;br&gt;The centre is hidden; the {n} context rows of E are added ({combine}) and decoded. p({centre}) = {p:.4f} (rank {rank} of {vocab}), loss = −log p = &lt;b&gt;{loss:.4f}&lt;/b&gt;. Mean loss of the {batch} windows of this step: {mean:.4f}.</source>
        <translation>第 {step} 步：{shown}&lt;br&gt;中心词元被遮住；E 的 {n} 个上下文行合并（{combine}）后解码。p({centre}) = {p:.4f}（在 {vocab} 个词元中排第 {rank}），损失 = −log p = &lt;b&gt;{loss:.4f}&lt;/b&gt;。这一步 {batch} 个窗口的平均损失：{mean:.4f}。</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/word2vec.py" line="467" />
        <source>Neighbour purity: no word classes known for this text.</source>
        <translation>近邻纯度：这段文本中没有类别已知的词。</translation>
    </message>
    <message>
        <location filename="../../explorer/panels/word2vec.py" line="470" />
        <source>Neighbour purity by word class (k = {k}): &lt;b&gt;{purity:.2f}&lt;/b&gt; · chance {chance:.2f}</source>
        <translation>按词类的近邻纯度（k = {k}）：&lt;b&gt;{purity:.2f}&lt;/b&gt; · 随机水平 {chance:.2f}</translation>
    </message>
</context>
<context>
    <name>Worker</name>
    <message>
        <location filename="../../explorer/worker.py" line="73" />
        <location filename="../../explorer/worker.py" line="459" />
        <source>Opened the shipped checkpoint {name}.</source>
        <translation>已打开随附的检查点 {name}。</translation>
    </message>
    <message>
        <location filename="../../explorer/worker.py" line="75" />
        <source>No shipped checkpoint found: built a fresh, untrained model on builtin:en-de.</source>
        <translation>没有找到随附的检查点：已在 builtin:en-de 上构建一个新的、未训练的模型。</translation>
    </message>
    <message>
        <location filename="../../explorer/requests.py" line="354" />
        <source>{request} failed: {error}</source>
        <translation>{request} 失败：{error}</translation>
    </message>
    <message>
        <location filename="../../explorer/requests.py" line="338" />
        <source>Could not open {file}: {error}</source>
        <translation>无法打开 {file}：{error}</translation>
    </message>
    <message>
        <location filename="../../explorer/requests.py" line="339" />
        <source>Could not save {file}: {error}</source>
        <translation>无法保存 {file}：{error}</translation>
    </message>
    <message>
        <location filename="../../explorer/requests.py" line="340" />
        <location filename="../../explorer/requests.py" line="341" />
        <source>Could not open the corpus {file}: {error}</source>
        <translation>无法打开语料库 {file}：{error}</translation>
    </message>
    <message>
        <location filename="../../explorer/requests.py" line="366" />
        <source>Training paused: at step {step} the loss ({loss}) or its gradients were no longer finite numbers. The update was skipped, but no earlier good weights had been kept. Lower the learning rate (it was {lr}), or reset the model, before training on.</source>
        <translation>训练已暂停：第 {step} 步的损失（{loss}）或其梯度不再是有限数。这次更新已跳过，但之前没有保存过正常的权重。继续训练前请调低学习率（原为 {lr}），或重置模型。</translation>
    </message>
    <message>
        <location filename="../../explorer/requests.py" line="370" />
        <source>Training paused: at step {step} the loss ({loss}) or its gradients were no longer finite numbers, so the weights and optimiser state of step {restored}, the last good ones, were put back (the model is at step {restored} again). The learning rate was {lr}: lower it, to {lower} for example, and train on.</source>
        <translation>训练已暂停：第 {step} 步的损失（{loss}）或其梯度不再是有限数，因此已恢复第 {restored} 步（最后一次正常）的权重和优化器状态（模型回到第 {restored} 步）。学习率原为 {lr}：请调低，例如调到 {lower}，再继续训练。</translation>
    </message>
    <message>
        <location filename="../../explorer/worker.py" line="253" />
        <source>Training step failed: {error}</source>
        <translation>训练步失败：{error}</translation>
    </message>
    <message>
        <location filename="../../explorer/worker.py" line="342" />
        <source>The model was reset to fresh random weights (step 0).</source>
        <translation>模型已重置为新的随机权重（第 0 步）。</translation>
    </message>
    <message>
        <location filename="../../explorer/worker.py" line="354" />
        <source>The model now runs on {device}.</source>
        <translation>模型现在运行在 {device} 上。</translation>
    </message>
    <message>
        <location filename="../../explorer/worker.py" line="400" />
        <source>Saving {path}…</source>
        <translation>正在保存 {path}…</translation>
    </message>
    <message>
        <location filename="../../explorer/worker.py" line="409" />
        <source>Loading {path}…</source>
        <translation>正在加载 {path}…</translation>
    </message>
    <message>
        <location filename="../../explorer/worker.py" line="418" />
        <source>Opened model folder {path}.</source>
        <translation>已打开模型文件夹 {path}。</translation>
    </message>
    <message>
        <location filename="../../explorer/worker.py" line="421" />
        <source>Opened checkpoint {path}.</source>
        <translation>已打开检查点 {path}。</translation>
    </message>
    <message>
        <location filename="../../explorer/worker.py" line="427" />
        <source>Opening corpus {spec}…</source>
        <translation>正在打开语料 {spec}…</translation>
    </message>
    <message>
        <location filename="../../explorer/worker.py" line="446" />
        <source>Built a fresh model on {spec}.</source>
        <translation>已在 {spec} 上构建新模型。</translation>
    </message>
    <message>
        <location filename="../../explorer/worker.py" line="375" />
        <source>Evaluating on the validation split…</source>
        <translation>正在验证集上评估…</translation>
    </message>
    <message>
        <location filename="../../explorer/worker.py" line="190" />
        <source>Training is refused while heads are switched off: switch every head on first (Attention panel, All heads on).</source>
        <translation>有头被关掉时不能训练：请先打开所有头（注意力面板，“打开所有头”）。</translation>
    </message>
    <message>
        <location filename="../../explorer/worker.py" line="432" />
        <source>Opened corpus {spec}: a fresh model with {tokenizer} tokens.</source>
        <translation>已打开语料 {spec}：一个使用 {tokenizer} 分词的新模型。</translation>
    </message>
    <message>
        <location filename="../../explorer/worker.py" line="443" />
        <location filename="../../explorer/worker.py" line="450" />
        <source>Building the model…</source>
        <translation>正在构建模型…</translation>
    </message>
    <message>
        <location filename="../../explorer/worker.py" line="454" />
        <source>Opening the en-de model…</source>
        <translation>正在打开英德（en-de）模型…</translation>
    </message>
    <message>
        <location filename="../../explorer/staging.py" line="59" />
        <source>Reading the training corpus of {name}…</source>
        <translation>正在读取 {name} 的训练语料…</translation>
    </message>
    <message>
        <location filename="../../explorer/staging.py" line="102" />
        <source>Training is refused: the training corpus {corpus} of {file} could not be read, so the model is open for inspection only ({error}).</source>
        <translation>拒绝训练：{file} 的训练语料 {corpus} 无法读取，模型只能用于查看（{error}）。</translation>
    </message>
    <message>
        <location filename="../../explorer/staging.py" line="105" />
        <source>This needs the training corpus {corpus} of {file}, which could not be read; the model is open for inspection only ({error}).</source>
        <translation>这需要 {file} 的训练语料 {corpus}，但它无法读取；模型只能用于查看（{error}）。</translation>
    </message>
    <message>
        <location filename="../../explorer/staging.py" line="127" />
        <source>Opened {file} for inspection only: its training corpus {corpus} could not be read ({error}). Traces, attention, embeddings and analyses work; training is refused.</source>
        <translation>已打开 {file}，仅供查看：它的训练语料 {corpus} 无法读取（{error}）。追踪、注意力、嵌入和分析都可用；训练被拒绝。</translation>
    </message>
</context>
</TS>