#!/usr/bin/env bash
# `cmake --install` into a fresh prefix, then MOVE the prefix and run the moved copy from / :
# it must find its data next to itself (never the source tree), train lesson 1 headless, draw
# and save a window under Xvfb, and carry valid desktop files and manual page.
#
#   install_test.sh CMAKE BUILD_DIR PROJECT_VERSION APP_ID
set -euo pipefail
cmake_bin="$1" build="$2" version="$3" id="$4"

fail() { echo "FAIL: $*" >&2; exit 1; }
tmp="$(mktemp -d "${TMPDIR:-/tmp}/gradscope-install-test.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

"$cmake_bin" --install "$build" --prefix "$tmp/first" >/dev/null
mkdir -p "$tmp/elsewhere"
mv "$tmp/first" "$tmp/elsewhere/moved"
prefix="$tmp/elsewhere/moved"
app="$prefix/bin/gradscope"

for f in bin/gradscope share/gradscope/presets/01-deep-sigmoid.json share/gradscope/lessons/en.json \
         share/gradscope/lessons/ko.json share/gradscope/i18n/en.json share/gradscope/i18n/ko.json \
         share/applications/$id.desktop share/metainfo/$id.metainfo.xml \
         share/icons/hicolor/scalable/apps/$id.svg share/man/man1/gradscope.1; do
  [ -s "$prefix/$f" ] || fail "not installed: $f"
done
for size in 16 22 24 32 48 64 128 256; do
  png="$prefix/share/icons/hicolor/${size}x${size}/apps/$id.png"
  [ -s "$png" ] || fail "not installed: $png"
  # PNG header: width and height as big-endian 32-bit numbers at bytes 16 and 20.
  dims="$(od -An -tu1 -j16 -N8 "$png" | awk '{print $3*256+$4 "x" $7*256+$8}')"
  [ "$dims" = "${size}x${size}" ] || fail "$png is $dims, not ${size}x${size}"
done

# Away from the source tree and its build: the environment names no data directory.
cd /
unset GRADSCOPE_DATA_DIR
export HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/home/config"
mkdir -p "$HOME"

out="$("$app" --version)"
echo "$out"
[[ "$out" =~ ^gradscope\ ${version//./\\.}(\ \(git\ [0-9a-f]{7,}\))?$ ]] ||
  fail "--version printed '$out', expected 'gradscope $version' (and the git revision)"

# The Python package: under lib/python3/dist-packages, found there by --print-python-path, and
# importable from it (without torch only up to the import of torch itself).
pydir="$("$app" --print-python-path)"
[ "$pydir" = "$prefix/lib/python3/dist-packages" ] ||
  fail "--print-python-path: '$pydir', expected $prefix/lib/python3/dist-packages"
for f in __init__.py _stream.py _sink.py _watch.py; do
  [ -s "$pydir/gradscope/$f" ] || fail "not installed: lib/python3/dist-packages/gradscope/$f"
done
PYTHONPATH="$pydir" /usr/bin/python3 -B -c 'import gradscope._stream as s; assert s.FORMAT_VERSION == 1' ||
  fail "the installed package gradscope does not import"

dir="$("$app" --print-data-dir)"
[ "$dir" = "$prefix/share/gradscope" ] || fail "--print-data-dir: '$dir', expected $prefix/share/gradscope"

"$app" train --preset 01-deep-sigmoid --steps 10 >"$tmp/train.txt" || fail "train exited $?: $(cat "$tmp/train.txt")"
grep -Eq '^1 +Sigmoid +10 ' "$tmp/train.txt" || fail "train printed no summary of 10 steps: $(cat "$tmp/train.txt")"

# Without its data the moved copy says where it looked, and does not fall back to the source.
mv "$prefix/share/gradscope" "$tmp/data"
set +e
err="$("$app" train --preset 01-deep-sigmoid --steps 10 2>&1 >/dev/null)"
rc=$?
set -e
[ "$rc" = 2 ] || fail "train without data exited $rc, expected 2"
[ "$err" = "gradscope train: --preset: no built-in preset '01-deep-sigmoid' (no data directory: looked for presets/ in $prefix/share/gradscope; give a FILE.json)" ] ||
  fail "train without data said: $err"
set +e
err="$("$app" --preset 01-deep-sigmoid --frames 1 2>&1 >/dev/null)"
rc=$?
set -e
[ "$rc" = 2 ] || fail "the app without data exited $rc, expected 2"
[[ "$err" == *"no data directory: looked for presets/ in $prefix/share/gradscope" ]] ||
  fail "the app without data said: $err"
# ... and GRADSCOPE_DATA_DIR points it anywhere.
GRADSCOPE_DATA_DIR="$tmp/data" "$app" train --preset 01-deep-sigmoid --steps 10 >/dev/null ||
  fail "train with GRADSCOPE_DATA_DIR failed"
mv "$tmp/data" "$prefix/share/gradscope"

desktop-file-validate "$prefix/share/applications/$id.desktop" || fail "desktop-file-validate"
appstreamcli validate --no-net --pedantic "$prefix/share/metainfo/$id.metainfo.xml" >"$tmp/as.txt" 2>&1 ||
  fail "appstreamcli validate: $(cat "$tmp/as.txt")"
warnings="$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$prefix/share/man/man1/gradscope.1" 2>&1 >"$tmp/man.txt")"
[ -z "$warnings" ] || fail "man page warnings: $warnings"
grep -q "gradscope train" "$tmp/man.txt" || fail "man page does not render"

# The window, from the moved copy: 60 frames of lesson 1, saved as PNG.
xvfb-run -a -s "-screen 0 1700x1100x24" "$app" --fresh --preset 01-deep-sigmoid --size 1200x800 \
  --frames 60 --screenshot "$tmp/out.png" >"$tmp/app.txt" 2>&1 || fail "app exited $?: $(cat "$tmp/app.txt")"
[ -s "$tmp/out.png" ] || fail "no screenshot"
grep -q "data directory" "$tmp/app.txt" && fail "app: $(cat "$tmp/app.txt")"
size="$(stat -c %s "$tmp/out.png")"
# A window of one flat colour compresses to a few KiB; panels, text and charts do not.
[ "$size" -gt 40000 ] || fail "screenshot is only $size bytes"
echo "PASS: installed to a prefix, moved it to $prefix, ran from /: train, window ($size-byte PNG), --version"
