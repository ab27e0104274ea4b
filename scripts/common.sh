# Shared by scripts/run and scripts/test: install what is missing, then configure and build.
# Sourced, not executed.

GRADSCOPE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# ccache keys on paths relative to the checkout, so a second clone (CI's) reuses the objects a
# first one compiled; the sanitizer builds' objects too, whose debug information (-g) would
# otherwise tie them to the build directory (their sources are named relative to it anyway).
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$GRADSCOPE_ROOT}"
export CCACHE_NOHASHDIR="${CCACHE_NOHASHDIR:-1}"

# Debian/Ubuntu packages gradscope builds, tests and runs with.
GRADSCOPE_PACKAGES=(
  build-essential cmake pkg-config ccache git
  libeigen3-dev libimgui-dev libglfw3-dev libstb-dev python3-glad
  nlohmann-json3-dev libcli11-dev libgtest-dev libgmock-dev libbenchmark-dev
  xvfb xauth xdotool libx11-dev fonts-dejavu-core fonts-nanum
  clang-14 libclang-rt-14-dev  # scripts/fuzz: libFuzzer
  desktop-file-utils appstream man-db  # the install test and scripts/package validate these
  libavcodec-dev libavformat-dev libavfilter-dev libswscale-dev libavutil-dev  # recording
  ffmpeg  # ffprobe: the recording tests read the files back
  zlib1g-dev dataset-fashion-mnist  # the fashion-mnist data set: its gzipped IDX files
  python3-torch libopenblas0-openmp  # gradscope.watch, its examples and tests, torch_parity
)

gradscope_missing_packages() {
  local p
  for p in "${GRADSCOPE_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q "install ok installed" || echo "$p"
  done
}

gradscope_install_deps() {
  if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
    echo "gradscope: this is not a Debian or Ubuntu system; install these packages (or their" >&2
    echo "equivalents) and run again:" >&2
    echo "  ${GRADSCOPE_PACKAGES[*]}" >&2
    exit 1
  fi
  local missing
  missing=$(gradscope_missing_packages)
  [ -z "$missing" ] && return 0
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
      sudo=(sudo)
    else
      echo "gradscope: missing packages and no sudo to install them; as root run:" >&2
      echo "  apt-get install -y" $missing >&2
      exit 1
    fi
  fi
  echo "gradscope: installing" $missing
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  # shellcheck disable=SC2086
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends $missing
}

# gradscope_build PRESET [TARGET...]: configure once, then build incrementally.
gradscope_build() {
  local preset="$1"; shift
  local dir="$GRADSCOPE_ROOT/build/$preset"
  cd "$GRADSCOPE_ROOT"
  if [ ! -f "$dir/CMakeCache.txt" ]; then
    cmake --preset "$preset" >/dev/null
  fi
  local targets=()
  local t
  for t in "$@"; do targets+=(--target "$t"); done
  cmake --build --preset "$preset" -j "$(nproc)" "${targets[@]}"
}

# gradscope_isa_levels: the x86-64 levels this CPU runs that the lesson claims are built at
# besides the native Release build, one a line (glibc's loader knows which ones it supports).
gradscope_isa_levels() {
  echo x86-64
  local level
  for level in x86-64-v3 x86-64-v4; do
    /lib64/ld-linux-x86-64.so.2 --help 2>/dev/null | grep -q "^ *$level (supported" && echo "$level"
  done
}

# gradscope_build_claims LEVEL: configure build/claims-LEVEL once (Release, -march=LEVEL, no app)
# and build the lesson claims there.
gradscope_build_claims() {
  local level="$1" dir="$GRADSCOPE_ROOT/build/claims-$1"
  if [ ! -f "$dir/CMakeCache.txt" ]; then
    cmake -S "$GRADSCOPE_ROOT" -B "$dir" -DCMAKE_BUILD_TYPE=Release -DGRADSCOPE_MARCH="$level" \
      -DGRADSCOPE_BUILD_APP=OFF >/dev/null
  fi
  cmake --build "$dir" -j "$(nproc)" --target lesson_claims_tests
}

# gradscope_sanitizer_env PRESET: `export NAME=VALUE` lines for the sanitizer options of that
# test preset in CMakePresets.json (the one place they are kept; ctest --preset applies them
# itself), for scripts that run a sanitized binary outside ctest: eval "$(gradscope_sanitizer_env asan)".
gradscope_sanitizer_env() {
  python3 - "$GRADSCOPE_ROOT" "$1" <<'PY'
import json, shlex, sys
root, name = sys.argv[1], sys.argv[2]
presets = json.load(open(root + "/CMakePresets.json"))["testPresets"]
env = next(p for p in presets if p["name"] == name).get("environment", {})
for key, value in env.items():
    print("export %s=%s" % (key, shlex.quote(value.replace("${sourceDir}", root))))
PY
}
