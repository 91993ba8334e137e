#!/usr/bin/env bash
# featherflow on a real GPU: the test suite with CuPy's GPU as the `device` fixture's GPU:0
# (FEATHERFLOW_TEST_GPU=real, tests/_gpu_mode.py), then the GPU benchmarks; logs and tables go to $OUT.
#
# Made for the device machine (/work/.library/device/README.md): one H200, 16 cores, no network. Its image has
# python3 3.12 with cupy-cuda13x 14, numpy, ml-dtypes, protobuf, pytest, pytest-xdist, hypothesis, torch and jax;
# it lacks google-crc32c (featherflow's dependency: carried as a wheel) and TensorFlow (too large to carry: the
# tests that compare with the TF oracle skip there, and this script's summary counts them). Before, with network:
#   make gpu-wheels          # which runs:
#   python3 -m pip download --no-deps --only-binary=:all: --python-version 3.12 --implementation cp \
#       --platform manylinux_2_28_x86_64 --platform manylinux_2_17_x86_64 --platform manylinux2014_x86_64 \
#       -d .whl google-crc32c==1.9.0
# then run this script there with `.whl` carried: `bash tools/gpu_check.sh`.
# Here, without a GPU, `FEATHERFLOW_TEST_GPU=standin OUT=/tmp/out bash tools/gpu_check.sh` runs the same stages
# with a simulated card standing in for the GPU (a check of this script and of the real-GPU test mode).
#
# Stages, each under its own time limit so that the whole ends within 9 minutes on 16 cores (STAGE_SCALE=2
# doubles every limit):
#   env.txt             the GPU (nvidia-smi), Python, CuPy, and the devices featherflow finds and places on
#   device_suites.log   the device suites (the `device` fixture's GPU runs, placement, variables), -x, -n 8
#   suite.log           the whole suite, -n 8, one line per test (what finished is there if time runs out)
#   nccl.txt            tools/nccl_check.py: featherflow's NCCL collectives through CuPy's binding
#   bench_gpu.txt       python benchmarks/run.py gpu
#   summary.txt         each stage's exit status (124: its time ran out) and pytest's counts
set -u
cd "$(dirname "$0")/.."
OUT=${OUT:-/tmp/featherflow_gpu_check}
mkdir -p "$OUT"
PYTHON=${PYTHON:-python3}
MODE=${FEATHERFLOW_TEST_GPU:-real}
SCALE=${STAGE_SCALE:-1}
WORKERS=${WORKERS:-8}
read -r -a SUITE <<<"${SUITE:-tests}"  # what the whole-suite stage runs (a few paths, for a quick check of this script)

summary="$OUT/summary.txt"
echo "featherflow gpu_check, mode $MODE, $(date -u +%FT%TZ)" >"$summary"

if ls .whl/*.whl >/dev/null 2>&1; then  # wheels the machine lacks, carried in .whl/ (make gpu-wheels)
    if "$PYTHON" -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade \
            --target /tmp/ff_site .whl/*.whl >>"$summary" 2>&1; then
        export PYTHONPATH=/tmp/ff_site
    else
        echo "(the wheels in .whl/ did not install: the tests that need them fail)" >>"$summary"
    fi
fi
export PYTHONPATH="$PWD/src${PYTHONPATH:+:$PYTHONPATH}"  # featherflow from this tree, no install needed
export PYTHONUNBUFFERED=1 TF_CPP_MIN_LOG_LEVEL=3 FEATHERFLOW_TEST_GPU=$MODE
unset FEATHERFLOW_SIMULATED_GPUS  # GPUs outside the fixture would turn the CPU suite's placement to GPU:0

stage() {  # stage NAME SECONDS LOG COMMAND...: runs COMMAND under a limit, its output in LOG
    local name=$1 limit=$(($2 * SCALE)) log=$3
    shift 3
    local start=$SECONDS
    timeout -k 10 "$limit" "$@" >"$log" 2>&1
    local rc=$?
    local counts
    counts=$(grep -E "^(=+ )?[0-9]+ (passed|failed|skipped|error)" "$log" | tail -1)
    echo "$name: exit $rc in $((SECONDS - start)) s (limit $limit s)${counts:+; $counts}" >>"$summary"
    [ "$rc" = 124 ] && echo "  $name ran out of time: $log holds what finished" >>"$summary"
    return 0
}

(
    [ "$MODE" = standin ] && export FEATHERFLOW_SIMULATED_GPUS=1  # (in this subshell only)
    nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv 2>&1 || echo "(no nvidia-smi)"
    "$PYTHON" - <<'EOF'
import platform, sys, time
print("python", platform.python_version(), sys.executable)
for name in ("numpy", "ml_dtypes", "cupy", "pytest", "xdist", "hypothesis", "torch", "tensorflow", "google_crc32c"):
    try:
        module = __import__(name)
        print(name, getattr(module, "__version__", "?"))
    except Exception as e:
        print(name, "missing:", type(e).__name__, e)
start = time.perf_counter()
import featherflow as tf
print(f"import featherflow: {time.perf_counter() - start:.3f} s")
start = time.perf_counter()
x = tf.constant([1.0, 2.0])  # the runtime starts: the GPU probe
print(f"first tensor (GPU probe): {time.perf_counter() - start:.3f} s")
print("physical devices:", tf.config.list_physical_devices())
print("default placement:", x.device, type(x._value).__module__ + "." + type(x._value).__name__)
v = tf.Variable([[1.0, 2.0], [3.0, 4.0]])
ptr = v._array.data.ptr if hasattr(v._array, "data") and hasattr(v._array.data, "ptr") else None
v.assign_add(tf.ones([2, 2]))
print("variable:", v.device, "pointer kept by assign_add:", ptr is not None and v._array.data.ptr == ptr)
print("matmul:", tf.matmul(v, v).numpy().tolist())
print("bfloat16:", (tf.constant([1.5], tf.bfloat16) * 2).device)
EOF
) >"$OUT/env.txt" 2>&1
echo "env: exit $? (env.txt)" >>"$summary"

DEVICE_SUITES=()
for f in tests/test_gpu_*.py tests/test_device.py tests/test_variable_device.py tests/test_device_config_gpu.py \
         tests/ops/test_linalg_nn_device.py tests/ops/*/test_*_device.py; do
    [ -f "$f" ] && DEVICE_SUITES+=("$f")
done
stage device_suites 150 "$OUT/device_suites.log" \
    "$PYTHON" -m pytest -x -rfE -p no:cacheprovider -n "$WORKERS" "${DEVICE_SUITES[@]}"  # (-q: pyproject's addopts)
stage suite 250 "$OUT/suite.log" \
    "$PYTHON" -m pytest -vv -p no:cacheprovider -n "$WORKERS" -rfE --durations=20 "${SUITE[@]}"
grep -E "^(FAILED|ERROR) " "$OUT/suite.log" | head -40 >>"$summary"

# NCCL through CuPy's binding on the GPU (a one-rank communicator: two ranks need two GPUs)
( [ "$MODE" = standin ] && export FEATHERFLOW_SIMULATED_GPUS=1; stage nccl 60 "$OUT/nccl.txt" "$PYTHON" tools/nccl_check.py )

if [ "$MODE" = standin ]; then  # the benchmark's own check mode: one simulated card, tiny sizes
    export FEATHERFLOW_SIMULATED_GPUS=1 FF_BENCH_GPU_TINY=1
fi
stage bench 90 "$OUT/bench_gpu.txt" "$PYTHON" benchmarks/run.py gpu
cat "$summary"
