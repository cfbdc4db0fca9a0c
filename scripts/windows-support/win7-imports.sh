#!/usr/bin/env bash
# Checks that a Windows program can start on Windows 7 SP1: every DLL it
# imports is one Windows 7 has, and it imports none of the functions that
# came with Windows 8 or later (a missing import stops the program before
# it runs). Lists the imports with x86_64-w64-mingw32-objdump -p.
# Usage: scripts/windows-support/win7-imports.sh PROGRAM.exe
set -euo pipefail
exe="$1"
# DLLs every Windows 7 SP1 has (the system's own, no API sets: those of
# Windows 8 and later, such as api-ms-win-core-synch-l1-2-0, are missing).
allowed=" advapi32.dll bcrypt.dll comctl32.dll comdlg32.dll crypt32.dll dbghelp.dll
  gdi32.dll imm32.dll iphlpapi.dll kernel32.dll msvcrt.dll mswsock.dll ncrypt.dll
  normaliz.dll ntdll.dll ole32.dll oleaut32.dll psapi.dll rpcrt4.dll secur32.dll
  setupapi.dll shell32.dll shlwapi.dll user32.dll userenv.dll version.dll
  winmm.dll wldap32.dll ws2_32.dll "
# Functions of those DLLs that Windows 7 lacks, which Rust's standard
# library and common crates use on newer targets.
missing_on_7=" GetSystemTimePreciseAsFileTime WaitOnAddress WakeByAddressSingle
  WakeByAddressAll CreateFile2 ProcessPrng SetThreadDescription
  GetThreadDescription CopyFile2 GetCurrentThreadStackLimits
  PrefetchVirtualMemory "

# One line each, a space either side of every name.
allowed=" $(echo $allowed) "
missing_on_7=" $(echo $missing_on_7) "

imports="$(x86_64-w64-mingw32-objdump -p "$exe")"
bad=0
dlls="$(printf '%s\n' "$imports" | sed -n 's/^[[:space:]]*DLL Name: *//p' | tr 'A-Z' 'a-z' | sort -u)"
[ -n "$dlls" ] || { echo "没有读到 $exe 的导入表" >&2; exit 1; }
for dll in $dlls; do
  case "$allowed" in
    *" $dll "*) ;;
    *) echo "Windows 7 没有 $dll" >&2; bad=1 ;;
  esac
done
# The functions: the lines of the import tables after a "DLL Name".
functions="$(printf '%s\n' "$imports" | awk '
  /DLL Name:/ { in_dll = 1; next }
  in_dll && NF == 0 { in_dll = 0 }
  in_dll && $1 ~ /^[0-9a-f]+$/ && NF >= 3 { print $3 }')"
for f in $functions; do
  case "$missing_on_7" in
    *" $f "*) echo "Windows 7 没有函数 $f" >&2; bad=1 ;;
  esac
done
if [ "$bad" != 0 ]; then
  echo "$exe 不能在 Windows 7 上运行" >&2
  exit 1
fi
echo "$exe 只导入 Windows 7 具有的 DLL 和函数（$(echo "$dlls" | wc -l) 个 DLL，$(echo "$functions" | wc -l) 个函数）"
