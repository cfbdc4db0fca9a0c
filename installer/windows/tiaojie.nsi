; The Windows installer of 调解台账, built by scripts/windows with Debian's
; makensis. Per-user: no administrator rights needed, installed under the
; user's local programs folder, listed in 程序和功能. The uninstaller keeps
; the ledger (the user's data folder) unless asked to remove it.
;
; Defines from the command line:
;   VERSION  e.g. 0.1.0
;   STAGE    the folder with tiaojie-desktop.exe, tiaojie.exe and the rest
;   OUTFILE  the installer to write

Unicode true
Target amd64-unicode
ManifestDPIAware true
RequestExecutionLevel user
SetCompressor /SOLID lzma

!include "MUI2.nsh"
!include "LogicLib.nsh"
!include "FileFunc.nsh"
!include "nsDialogs.nsh"

!define APPNAME "调解台账"
!define COMPANY "调解台账开发组"
!define APPKEY "TiaojieLedger"
!define UNINSTKEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APPKEY}"
; The ledger, where the desktop app and tiaojie.exe keep it
; (tiaojie_ledger::location).
!define DATADIR "$LOCALAPPDATA\Tiaojie"
; The window's own data (WebView2's cache and settings), under the app's id.
!define WEBDATADIR "$LOCALAPPDATA\cn.tiaojie.desktop"
; The WebView2 runtime's client id (Evergreen).
!define WEBVIEW2 "{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}"

Name "${APPNAME}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\${APPNAME}"
InstallDirRegKey HKCU "Software\${APPKEY}" "InstallDir"
BrandingText "${APPNAME} ${VERSION}"
VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=2052 "ProductName" "${APPNAME}"
VIAddVersionKey /LANG=2052 "CompanyName" "${COMPANY}"
VIAddVersionKey /LANG=2052 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "FileDescription" "${APPNAME} 安装程序"
VIAddVersionKey /LANG=2052 "LegalCopyright" "${COMPANY}"

!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\tiaojie-desktop.exe"
!define MUI_FINISHPAGE_RUN_TEXT "现在打开调解台账"
!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH

!insertmacro MUI_UNPAGE_CONFIRM
UninstPage custom un.KeepDataPage un.KeepDataLeave
!insertmacro MUI_UNPAGE_INSTFILES

!insertmacro MUI_LANGUAGE "SimpChinese"

Var DeleteData
Var DeleteDataBox

Function .onInit
  ; The desktop app needs the WebView2 runtime (built into Windows 11 and
  ; current Windows 10). Without it the app cannot open its window; the
  ; command-line tiaojie.exe works all the same.
  ClearErrors
  ReadRegStr $0 HKLM "SOFTWARE\WOW6432Node\Microsoft\EdgeUpdate\Clients\${WEBVIEW2}" "pv"
  ${If} $0 == ""
    ReadRegStr $0 HKLM "SOFTWARE\Microsoft\EdgeUpdate\Clients\${WEBVIEW2}" "pv"
  ${EndIf}
  ${If} $0 == ""
    ReadRegStr $0 HKCU "Software\Microsoft\EdgeUpdate\Clients\${WEBVIEW2}" "pv"
  ${EndIf}
  ${If} $0 == ""
  ${OrIf} $0 == "0.0.0.0"
    MessageBox MB_OK|MB_ICONEXCLAMATION "这台电脑没有安装 Microsoft Edge WebView2 运行时，调解台账的窗口需要它才能打开。$\r$\n$\r$\n请向上级或县里的信息管理员索取“WebView2 运行时”安装程序（MicrosoftEdgeWebview2Setup.exe）并安装，然后再打开调解台账。Windows 11 和已更新的 Windows 10 一般已自带。$\r$\n$\r$\n安装将继续进行。" /SD IDOK
  ${EndIf}
FunctionEnd

Section "调解台账" SecMain
  SetOutPath "$INSTDIR"
  File /r "${STAGE}/*"
  WriteUninstaller "$INSTDIR\卸载调解台账.exe"

  CreateDirectory "$SMPROGRAMS\${APPNAME}"
  CreateShortcut "$SMPROGRAMS\${APPNAME}\${APPNAME}.lnk" "$INSTDIR\tiaojie-desktop.exe"
  CreateShortcut "$SMPROGRAMS\${APPNAME}\卸载调解台账.lnk" "$INSTDIR\卸载调解台账.exe"
  CreateShortcut "$DESKTOP\${APPNAME}.lnk" "$INSTDIR\tiaojie-desktop.exe"

  WriteRegStr HKCU "Software\${APPKEY}" "InstallDir" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayName" "${APPNAME}"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTKEY}" "Publisher" "${COMPANY}"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayIcon" "$INSTDIR\tiaojie-desktop.exe"
  WriteRegStr HKCU "${UNINSTKEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTKEY}" "UninstallString" '"$INSTDIR\卸载调解台账.exe"'
  WriteRegStr HKCU "${UNINSTKEY}" "QuietUninstallString" '"$INSTDIR\卸载调解台账.exe" /S'
  WriteRegDWORD HKCU "${UNINSTKEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTKEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD HKCU "${UNINSTKEY}" "EstimatedSize" "$0"
SectionEnd

Function un.onInit
  StrCpy $DeleteData "0"
  ; A silent uninstall removes the ledger only when told to: /DELETEDATA.
  ${GetParameters} $0
  ClearErrors
  ${GetOptions} $0 "/DELETEDATA" $1
  ${IfNot} ${Errors}
    StrCpy $DeleteData "1"
  ${EndIf}
FunctionEnd

Function un.KeepDataPage
  !insertmacro MUI_HEADER_TEXT "本机台账" "卸载程序默认保留本机的台账数据"
  nsDialogs::Create 1018
  Pop $0
  ${NSD_CreateLabel} 0 0 100% 40u "本机台账保存在 ${DATADIR}。保留它，重新安装后可以继续使用；已同步到同步中心的记录在上级也有一份。"
  Pop $0
  ${NSD_CreateCheckbox} 0 50u 100% 12u "同时删除本机台账数据（删除后无法恢复）"
  Pop $DeleteDataBox
  nsDialogs::Show
FunctionEnd

Function un.KeepDataLeave
  ${NSD_GetState} $DeleteDataBox $0
  ${If} $0 == ${BST_CHECKED}
    StrCpy $DeleteData "1"
  ${EndIf}
FunctionEnd

Section "Uninstall"
  Delete "$DESKTOP\${APPNAME}.lnk"
  RMDir /r "$SMPROGRAMS\${APPNAME}"
  RMDir /r "$INSTDIR"
  DeleteRegKey HKCU "${UNINSTKEY}"
  DeleteRegKey HKCU "Software\${APPKEY}"
  ${If} $DeleteData == "1"
    RMDir /r "${DATADIR}"
    RMDir /r "${WEBDATADIR}"
  ${EndIf}
SectionEnd
