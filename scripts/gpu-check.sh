#!/usr/bin/env bash
# The GPU check of issue 14, as one `device` run on a machine with an NVIDIA GPU and no Node or npm:
# it receives the working tree, the Vulkan loader debs (.gl/) and the packed bundle (dist-cli/, made
# here by `npm run bundle -- --with-node --pack`), and runs, on webgpu (Dawn → Vulkan → the GPU):
#   1. the paper preset with 100 models;
#   2. bench.mjs at 1, 10 and 100 models (teacher and distillation steps, every implementation);
# then prints wall times, model-samples/s and the six conditions against the paper's figure.
# Logs and JSON go to $OUT (what comes back from the device). Run from the repository root:
#   bash scripts/gpu-check.sh [bundle folder, default dist-cli]
# docs/performance.md, "GPU check", says how to prepare .gl/ and the `run` call. Each step has its own time limit
# so that the whole fits one 10-minute call and whatever finished comes back.
set -uo pipefail

BUNDLE=$(cd "${1:-dist-cli}" && pwd) || { echo "no bundle folder: run 'npm run bundle -- --with-node --pack' first" >&2; exit 2; }
OUT=${OUT:-$(mktemp -d)}
mkdir -p "$OUT"
BENCH_LIMIT=${BENCH_LIMIT:-240}
PAPER_LIMIT=${PAPER_LIMIT:-300}
# For a dry run on a machine without a GPU (SwiftShader), smaller work:
#   BENCH_SIZES=1 BENCH_STEPS=2 RUN_ARGS='--preset tiny --models 2' bash scripts/gpu-check.sh /tmp/bundle
BENCH_SIZES=${BENCH_SIZES:-1,10,100}
read -r -a RUN_ARGS <<<"${RUN_ARGS:---preset paper --models 100}"
BENCH_EXTRA=()
[ -n "${BENCH_STEPS:-}" ] && BENCH_EXTRA=(--steps "$BENCH_STEPS" --budget 1)

# Vulkan: the loader from the carried debs (the machine has the NVIDIA driver, not always the loader).
if ! ldconfig -p | grep -q 'libvulkan\.so\.1'; then
  shopt -s nullglob
  debs=(.gl/*.deb)
  [ ${#debs[@]} -gt 0 ] || echo "warning: no libvulkan.so.1 and no .gl/*.deb: WebGPU will not start" >&2
  for f in "${debs[@]}"; do dpkg -x "$f" /; done
  ldconfig
fi
ICD=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
if [ -f "$ICD" ] && [ -z "${VK_DRIVER_FILES:-}" ]; then
  # Both names: older loaders read VK_ICD_FILENAMES, newer ones VK_DRIVER_FILES.
  export VK_DRIVER_FILES=$ICD VK_ICD_FILENAMES=$ICD
  export __EGL_VENDOR_LIBRARY_FILENAMES=/usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json
fi

# The packed binaries (xz; Python's lzma where there is no xz tool).
unpack() {
  local file=$1
  [ -f "$file.xz" ] || return 0
  if command -v xz >/dev/null; then xz -dkf "$file.xz"
  else python3 -c 'import lzma, shutil, sys; shutil.copyfileobj(lzma.open(sys.argv[1]), open(sys.argv[2], "wb"))' "$file.xz" "$file"
  fi
}
unpack "$BUNDLE/node" && unpack "$BUNDLE/dist/linux-x64/dawn.node" || { echo "could not unpack the bundle's binaries" >&2; exit 2; }
[ -f "$BUNDLE/node" ] && chmod +x "$BUNDLE/node"
NODE=$([ -x "$BUNDLE/node" ] && echo "$BUNDLE/node" || command -v node) || { echo "no node: bundle with --with-node" >&2; exit 2; }

{
  date -u
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>&1
  "$NODE" --version
  ldconfig -p | grep libvulkan
} | tee "$OUT/machine.txt"

milliseconds() { echo $(($(date +%s%N) / 1000000)); }
since() { local ms=$(($(milliseconds) - $1)); echo "$((ms / 1000)).$(printf %03d $((ms % 1000)))"; }
cd "$BUNDLE" || exit 2

# The headline first: the paper's figure (goal: 100 models in 60 s or less on one H100/H200).
start=$(milliseconds)
timeout "$PAPER_LIMIT" "$NODE" subliminal.mjs "${RUN_ARGS[@]}" --backend webgpu --quiet --out "$OUT/paper-100.json" 2>&1 | tee "$OUT/paper-100.log"
echo "${RUN_ARGS[*]}: exit ${PIPESTATUS[0]}, $(since "$start") s wall" | tee -a "$OUT/machine.txt"

start=$(milliseconds)
timeout "$BENCH_LIMIT" "$NODE" bench.mjs --backend webgpu --sizes "$BENCH_SIZES" --budget 4 "${BENCH_EXTRA[@]}" --out "$OUT/bench-webgpu.json" 2>&1 | tee "$OUT/bench-webgpu.log"
echo "bench: exit ${PIPESTATUS[0]}, $(since "$start") s wall" | tee -a "$OUT/machine.txt"

# The summary, from the JSON files (the bundle's node; no other tool needed).
OUT="$OUT" RUN_LABEL="${RUN_ARGS[*]}" "$NODE" --input-type=module - <<'EOF' | tee "$OUT/summary.txt"
import { existsSync, readFileSync } from 'node:fs';
const out = process.env.OUT;
const read = (name) => (existsSync(`${out}/${name}`) ? JSON.parse(readFileSync(`${out}/${name}`, 'utf8')) : null);
const bench = read('bench-webgpu.json');
if (bench) {
  console.log(`bench on ${bench.description}`);
  for (const row of bench.rows) {
    const rate = row.skipped ?? `${Math.round(row.modelSamplesPerSecond).toLocaleString('en')} model-samples/s, ${(row.secondsPerStep * 1000).toFixed(1)} ms/step`;
    console.log(`  ${row.spec.kind.padEnd(8)} ×${String(row.spec.models).padEnd(4)} ${row.spec.variant.padEnd(15)} ${rate}`);
  }
} else console.log('bench: no result');
const paper = read('paper-100.json');
const PAPER = { reference: 0.1, teacher: 0.94, student_aux: 0.54, student_all: 0.91, cross_aux: 0.1, cross_all: 0.74 };
if (paper) {
  const c = paper.config;
  // Every model's teacher samples and its four students' samples.
  const samples = c.models * (c.teacherEpochs * c.trainImages + 4 * c.studentEpochs * c.noiseImages);
  console.log(`\n${process.env.RUN_LABEL}, ${c.models} models on ${paper.backend}: ${paper.seconds.toFixed(1)} s, ${Math.round(samples / paper.seconds).toLocaleString('en')} model-samples/s`);
  for (const [name, expected] of Object.entries(PAPER)) {
    const r = paper.conditions[name];
    console.log(`  ${name.padEnd(12)} ${r.mean.toFixed(3)} ± ${(r.ci95 ?? 0).toFixed(3)}   paper ${expected.toFixed(2)}`);
  }
} else console.log(`\n${process.env.RUN_LABEL}: no result (see paper-100.log)`);
EOF
