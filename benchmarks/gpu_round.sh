#!/usr/bin/env bash
# The GPU figures of benchmarks/README.md in one go, for a machine with a CUDA GPU that is
# lent for minutes at a time: run from the project root, logs written under $OUT.
#
#   OUT=/tmp/gpu-round bash benchmarks/gpu_round.sh
#
# 1. the CUDA path end to end (cuda_check.py);
# 2. fine-tuning at opus-mt-en-de's shape (random weights): step time, tokens a second and
#    GPU memory at 512 (the fine-tuning default), 2,048 and 8,192 target tokens a step after
#    40 warm-up steps; 60 steps from the start without and with cuDNN's attention; then
#    torch.compile at 8,192 (marian_finetune.py);
# 3. the command a user runs: `main.py train --checkpoint FOLDER` on the GPU for a minute,
#    and the checkpoint it writes (296 MB, to /tmp, not $OUT) translating on the CPU;
# 4. the training step against nn.Transformer at the opus-mt shape (train_throughput.py).
# Each part has its own time limit, so one that hangs leaves the others their time.
set -u
OUT=${OUT:-/tmp/gpu-round}
PY=${PYTHON:-python3}
mkdir -p "$OUT"
export PYTHONUNBUFFERED=1
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv | tee "$OUT/gpu.txt"
$PY -c "import sys, torch; print(sys.version.split()[0], torch.__version__, torch.cuda.is_available())" | tee -a "$OUT/gpu.txt"

echo "== 1 cuda_check"
timeout 150 $PY benchmarks/cuda_check.py --json > "$OUT/cuda_check.log" 2>&1
echo "rc=$?"; tail -n 1 "$OUT/cuda_check.log"

echo "== 2 marian_finetune"
FOLDER=$($PY -c "import sys; sys.path.insert(0, 'benchmarks'); import common; print(common.marian_folder())")
timeout 150 $PY benchmarks/marian_finetune.py --folder "$FOLDER" --device cuda \
    --batch-tokens 512 2048 8192 --warmup 40 --steps 40 --json > "$OUT/marian_finetune.log" 2>&1
echo "rc=$?"; tail -n 1 "$OUT/marian_finetune.log"
for sdp in "" --cudnn-sdp; do  # 60 steps from the start, without and with cuDNN's attention
    timeout 90 $PY benchmarks/marian_finetune.py --folder "$FOLDER" --device cuda $sdp \
        --batch-tokens 8192 --warmup 0 --steps 60 --json > "$OUT/marian_finetune_ab$sdp.log" 2>&1
    echo "rc=$?"; tail -n 1 "$OUT/marian_finetune_ab$sdp.log"
done
timeout 180 $PY benchmarks/marian_finetune.py --folder "$FOLDER" --device cuda \
    --batch-tokens 8192 --steps 20 --warmup 8 --compile --json > "$OUT/marian_finetune_compile.log" 2>&1
echo "rc=$?"; tail -n 1 "$OUT/marian_finetune_compile.log"

echo "== 3 main.py train --checkpoint FOLDER on the GPU"
timeout 150 $PY main.py train --checkpoint "$FOLDER" --corpus builtin:en-de --minutes 1 --device cuda \
    --out /tmp/gpu-round-ft.safetensors --log-every 100 --json > "$OUT/train_cli.log" 2>&1
echo "rc=$?"; tail -n 3 "$OUT/train_cli.log"
timeout 60 $PY main.py translate --checkpoint /tmp/gpu-round-ft.safetensors --device cpu \
    "A woman laughs." "The children play in the garden." > "$OUT/translate_cpu.log" 2>&1
echo "rc=$?"; cat "$OUT/translate_cpu.log"

echo "== 4 train_throughput --shape big"
timeout 100 $PY benchmarks/train_throughput.py --device cuda --shape big --rounds 3 --json \
    > "$OUT/train_throughput.log" 2>&1
echo "rc=$?"; tail -n 1 "$OUT/train_throughput.log"
