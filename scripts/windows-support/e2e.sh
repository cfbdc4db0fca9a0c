#!/usr/bin/env bash
# The Windows build end to end under Wine: the installer installs silently
# (per user), the installed tiaojie.exe keeps an encrypted ledger in a
# folder whose name has Chinese characters and a space, registers and
# grades a case, makes the case file as PDF with the font found where
# Windows keeps 宋体 (read back here), exports and imports the Excel ledger,
# backs up, verifies, syncs with a Linux hub on loopback, and keeps a
# ledger in the default folder (%LOCALAPPDATA%\Tiaojie, the desktop app's);
# then the uninstaller removes the programs and keeps the data, and a
# second install's uninstaller with /DELETEDATA removes that folder.
# Usage: scripts/windows-support/e2e.sh dist/windows/tiaojie-VERSION-setup.exe
set -euo pipefail
installer="$(realpath "$1")"
cd "$(dirname "$0")/../.."
repo="$(pwd)"
work="$(mktemp -d)"
hub_pid=""
cleanup() {
  [ -n "$hub_pid" ] && kill "$hub_pid" 2>/dev/null || true
  # Wine's server writes the prefix's registry as it stops: stop it before
  # the prefix goes.
  for server in /usr/lib/wine/wineserver64 /usr/lib/wine/wineserver "$(command -v wineserver || true)"; do
    if [ -n "$server" ] && [ -x "$server" ]; then
      WINEPREFIX="${WINEPREFIX:-}" "$server" -k 2>/dev/null || true
      break
    fi
  done
  rm -rf "$work"
}
trap cleanup EXIT
# Wine puts the user's desktop and documents in $HOME: a fresh one for the
# run, keeping where the Rust toolchain is.
export RUSTUP_HOME="${RUSTUP_HOME:-$HOME/.rustup}"
export CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}"
export HOME="$work/home"
export WINEPREFIX="$work/prefix"
export WINEDEBUG=-all
mkdir -p "$HOME"
step() { echo "== $*"; }
fail() { echo "失败：$*" >&2; exit 1; }

step "安装（静默，本用户）"
"$repo/scripts/wine-run" "$installer" /S
user="$(whoami)"
programs="$WINEPREFIX/drive_c/users/$user/AppData/Local/Programs/调解台账"
[ -f "$programs/tiaojie.exe" ] || fail "没有安装 tiaojie.exe"
[ -f "$programs/tiaojie-desktop.exe" ] || fail "没有安装 tiaojie-desktop.exe"
[ -f "$WINEPREFIX/drive_c/users/$user/AppData/Roaming/Microsoft/Windows/Start Menu/Programs/调解台账/调解台账.lnk" ] \
  || fail "开始菜单没有快捷方式"

data_unix="$WINEPREFIX/drive_c/台账 数据"
data='C:\台账 数据'
mkdir -p "$data_unix"
export TIAOJIE_PASSPHRASE='青山村 调解 2026'
# Wine has no Chinese font: a Song-style one where Windows keeps 宋体, so
# that the documents find it as they would on a Chinese Windows.
unset TIAOJIE_FONT TIAOJIE_DB
cp /usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc "$WINEPREFIX/drive_c/windows/Fonts/simsun.ttc"
t() { "$repo/scripts/wine-run" "$programs/tiaojie.exe" "$@"; }
db="$data\\青山村.sqlite3"

step "加密建账"
t --db "$db" init --unit-code 430302001001 --unit-name 青山村调解室 --level 1 --encrypt
t --db "$db" verify

step "登记、评定"
t --db "$db" --json case add --type 邻里 --source 当事人申请 --received-on 2026-03-02 \
  --facts "因排水沟堵塞发生争执" --requests "疏通排水沟" \
  --party "name=张三,id=11010519491231002X,phone=13800138000" --party "name=李四" > "$work/added.json"
number="$(sed -n 's/.*"number": *"\([^"]*\)".*/\1/p' "$work/added.json" | head -1)"
[ -n "$number" ] || fail "没有得到案号：$(cat "$work/added.json")"
t --db "$db" case grade "$number" --grade 红 --reason "有肢体冲突"
t --db "$db" case list | grep -q "张三" || fail "台账中没有张三"

step "文书（PDF，读回）"
t --db "$db" doc "$number" --kind all --format pdf --out "$data\\卷宗"
found=0
for pdf in "$data_unix/卷宗"/*.pdf; do
  if pdftotext "$pdf" - | grep -q "张三"; then found=1; fi
done
[ "$found" = 1 ] || fail "PDF 中读不到当事人姓名"
pdffonts "$(ls "$data_unix/卷宗"/*.pdf | head -1)" | grep -q "NotoSerifCJK" \
  || fail "PDF 没有用 Windows 字体文件夹中的宋体"

step "导出、导入 Excel"
t --db "$db" export --full-numbers --out "$data\\台账.xlsx"
t --db "$data\\另一本.sqlite3" init --unit-code 430302001001 --unit-name 青山村调解室 --level 1
t --db "$data\\另一本.sqlite3" --json import --file "$data\\台账.xlsx" > "$work/import.json"
grep -q '"added": *1' "$work/import.json" || fail "导入结果不对：$(cat "$work/import.json")"

step "备份、校验"
t --db "$db" backup --out "$data\\备份.sqlite3"
t --db "$data\\备份.sqlite3" verify
t --db "$db" verify

step "与 Linux 同步中心同步"
(cd "$repo" && cargo build -q --locked -p tiaojie-cli)
linux="${CARGO_TARGET_DIR:-$repo/target}/debug/tiaojie"
hubdb="sqlite:$work/hub.sqlite3"
"$linux" admin --database "$hubdb" unit add --code 430302 --name 青山区矛盾纠纷调解中心 --level 3
"$linux" admin --database "$hubdb" unit add --code 430302001 --name 青山派出所调解中心 --level 2 --parent 430302
"$linux" admin --database "$hubdb" unit add --code 430302001001 --name 青山村调解室 --level 1 --parent 430302001
"$linux" server --listen 127.0.0.1:0 --database "$hubdb" > "$work/hub.out" 2> "$work/hub.log" &
hub_pid=$!
for _ in $(seq 1 100); do
  grep -q "listening on" "$work/hub.out" 2>/dev/null && break
  sleep 0.1
done
addr="$(sed -n 's/listening on \([0-9.:]*\).*/\1/p' "$work/hub.out")"
[ -n "$addr" ] || fail "同步中心没有启动：$(cat "$work/hub.log")"
code="$("$linux" --json admin --database "$hubdb" enroll-code --unit 430302001001 | sed -n 's/.*"code": *"\([^"]*\)".*/\1/p')"
t --db "$db" sync enroll --hub "http://$addr" --code "$code"
t --db "$db" sync
t --db "$db" --json sync status | grep -q '"pending": *0' || fail "同步后仍有未上传的记录"
"$linux" --json admin --database "$hubdb" quarantine | grep -q '^\[\]$' || fail "同步中心隔离了记录"

step "默认台账位置（与桌面程序相同）"
t init --unit-code 430302001002 --unit-name 绿水村调解室 --level 1
local_data="$WINEPREFIX/drive_c/users/$user/AppData/Local/Tiaojie"
[ -f "$local_data/ledger.sqlite3" ] || fail "默认台账不在 %LOCALAPPDATA%\Tiaojie"
t verify | grep -q "台账完好" || fail "默认位置的台账校验不通过"

step "卸载（静默，保留台账）"
"$repo/scripts/wine-run" "$programs/卸载调解台账.exe" /S
for _ in $(seq 1 50); do
  [ -f "$programs/tiaojie.exe" ] || break
  sleep 0.2
done
[ ! -f "$programs/tiaojie.exe" ] || fail "卸载后程序仍在"
[ -f "$data_unix/青山村.sqlite3" ] || fail "卸载删除了台账"
[ -f "$local_data/ledger.sqlite3" ] || fail "卸载删除了默认位置的台账"

step "重新安装，卸载时删除本机台账（/DELETEDATA）"
"$repo/scripts/wine-run" "$installer" /S
[ -f "$programs/tiaojie.exe" ] || fail "重新安装失败"
t verify | grep -q "台账完好" || fail "重新安装后读不到原来的台账"
"$repo/scripts/wine-run" "$programs/卸载调解台账.exe" /S /DELETEDATA
for _ in $(seq 1 50); do
  [ -d "$local_data" ] || break
  sleep 0.2
done
[ ! -d "$local_data" ] || fail "要求删除后，默认位置的台账仍在"
[ -f "$data_unix/青山村.sqlite3" ] || fail "删除了应用数据文件夹以外的台账"
echo "Windows 端到端检查全部通过"
