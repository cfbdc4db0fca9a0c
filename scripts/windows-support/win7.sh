#!/usr/bin/env bash
# tiaojie.exe for Windows 7 SP1 (a station PC that runs the hub or the
# command): built for the tier-3 target x86_64-win7-windows-gnu with
# Debian's rustc-web, which ships that target's standard library as source
# (rust-web-src) to build with -Zbuild-std. The openssl-src crate knows no
# such target, so OpenSSL comes from the x86_64-pc-windows-gnu build (the
# same machine code; it calls nothing Windows 7 lacks). Then the program's
# imports are checked against what Windows 7 has, it runs demo and verify
# under Wine without the stand-in DLL newer Rust needs, and it is packed
# with its templates and a note into dist/windows/tiaojie-VERSION-win7.zip.
# Usage: scripts/windows-support/win7.sh (scripts/windows --win7 runs it).
set -euo pipefail
cd "$(dirname "$0")/../.."
repo="$(pwd)"

packages=(rustc-web cargo-web rust-web-src mingw-w64 wine64)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "安装系统软件包：${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -q "${missing[@]}"
fi

base="${CARGO_TARGET_DIR:-$repo/target}"
export CARGO_BUILD_JOBS="${CARGO_BUILD_JOBS:-2}"
export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=x86_64-w64-mingw32-gcc
openssl_dir() {
  ls -d "$base"/x86_64-pc-windows-gnu/release/build/openssl-sys-*/out/openssl-build/install 2>/dev/null | head -1
}
if [ -z "$(openssl_dir)" ]; then
  echo "先为 x86_64-pc-windows-gnu 构建 OpenSSL"
  cargo build --release --locked --target x86_64-pc-windows-gnu -p openssl-sys
fi

target=x86_64-win7-windows-gnu
# Debian's compiler and cargo, not rustup's (which has no such target).
export RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc RUSTC_BOOTSTRAP=1
export CARGO_TARGET_X86_64_WIN7_WINDOWS_GNU_LINKER=x86_64-w64-mingw32-gcc
export CC_x86_64_win7_windows_gnu=x86_64-w64-mingw32-gcc
export AR_x86_64_win7_windows_gnu=x86_64-w64-mingw32-ar
export OPENSSL_NO_VENDOR=1 OPENSSL_STATIC=1 OPENSSL_DIR="$(openssl_dir)"
/usr/bin/cargo build --release --locked --target "$target" --target-dir "$base/win7" \
  -Zbuild-std=std,panic_abort -p tiaojie-cli
exe="$base/win7/$target/release/tiaojie.exe"

scripts/windows-support/win7-imports.sh "$exe"

version=$(grep -m1 '^version' Cargo.toml | cut -d'"' -f2)
name="tiaojie-$version-win7"
stage="dist/windows/$name"
rm -rf "$stage"
mkdir -p "$stage"
cp "$exe" "$stage/tiaojie.exe"
x86_64-w64-mingw32-strip "$stage/tiaojie.exe"
cp -r assets/templates "$stage/templates"

echo "== 在 Wine 中运行 demo 和 verify（不放替身 DLL）"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp "$stage/tiaojie.exe" "$work/"
export WINEPREFIX="$work/prefix" WINEDEBUG=-all TIAOJIE_WINE_STANDIN=0
run() { scripts/wine-run "$work/tiaojie.exe" "$@"; }
run --db 'C:\示例 台账.sqlite3' demo > "$work/demo.txt"
grep -q "应回访" "$work/demo.txt" || { cat "$work/demo.txt"; echo "demo 的输出不对" >&2; exit 1; }
run --db 'C:\示例 台账.sqlite3' verify > "$work/verify.txt"
grep -q "台账完好" "$work/verify.txt" || { cat "$work/verify.txt"; echo "verify 没有通过" >&2; exit 1; }
[ ! -e "$work/bcryptprimitives.dll" ] || { echo "Windows 7 版不应需要替身 DLL" >&2; exit 1; }
/usr/lib/wine/wineserver64 -k 2>/dev/null || wineserver -k 2>/dev/null || true

# A note for the station, in Windows line endings and with a byte-order
# mark, so that Windows 7's Notepad shows it right.
printf '\xef\xbb\xbf' > "$stage/说明.txt"
sed 's/$/\r/' >> "$stage/说明.txt" <<NOTE
调解台账 $version（Windows 7 版命令行程序）

本文件夹中的 tiaojie.exe 可在 Windows 7 SP1（64 位）及以上运行：
同步中心（tiaojie.exe server）、台账命令（建账、登记、导出、备份、校验、同步）。
桌面程序（调解台账窗口）需要 WebView2，只支持 Windows 10 和 11。

在“命令提示符”中运行 tiaojie.exe --help 查看全部命令。
templates 文件夹是文书模板，县（区）可复制后修改，用 --templates 指定。
NOTE
(cd dist/windows && rm -f "$name.zip" && python3 -m zipfile -c "$name.zip" "$name")
echo "Windows 7 版：dist/windows/$name.zip"
