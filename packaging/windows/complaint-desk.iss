; Inno Setup script for Complaint Desk (Windows installer). Needs Inno Setup 6.3 or later:
; `x64compatible` (6.3) and this file's UTF-8 without a byte-order mark (the Chinese texts
; below; Inno Setup reads a BOM-less script as UTF-8 since 6.3, older ones as ANSI).
; Build the bundle first on Windows: `python packaging\build.py` (makes dist\complaint-desk\),
; version.iss beside this file comes from the program's own version (app.__version__),
; written by build.py; then: `iscc packaging\windows\complaint-desk.iss`
; Output: dist\ComplaintDesk-<version>-setup.exe
;
; Code signing (README, "Windows installer"): with a code-signing certificate, define a sign
; tool named "desk" and pass its name, e.g.
;   iscc "/Sdesk=signtool.exe sign /fd sha256 /tr http://timestamp.digicert.com /td sha256
;         /f C:\keys\desk.pfx /p $qPASSWORD$q $f" /DSignTool=desk complaint-desk.iss
; The two programs, the installer and the uninstaller are then signed; without /DSignTool
; nothing is signed (SmartScreen says "unknown publisher").
;
; The user's data (database, attachments, backups) lives in %LOCALAPPDATA%\ComplaintDesk, never
; in the install folder: the uninstaller removes only what it installed and keeps that data.
; Chinese wizard texts: ChineseSimplified.isl / ChineseTraditional.isl ship with recent Inno Setup
; releases; with an older one, put the translation files from the Inno Setup translations page
; into the compiler's Languages folder.

#if Ver < EncodeVer(6, 3, 0)
  #error Inno Setup 6.3 or later is needed (x64compatible, UTF-8 script without BOM)
#endif
; AppVersion: written by packaging/build.py from app.__version__ (never typed here).
#include "version.iss"
#define AppName "Complaint Desk"
#define AppExe "complaint-desk.exe"
#define CliExe "complaint-desk-cli.exe"
#ifdef SignTool
  #define SignFlag " signonce"
#else
  #define SignFlag ""
#endif

[Setup]
AppId={{6E0B3D7A-2C1F-4B8E-9A57-0C7E1D4B9F21}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Complaint Desk
VersionInfoVersion={#AppVersion}
DefaultDirName={autopf}\Complaint Desk
DefaultGroupName=Complaint Desk
DisableProgramGroupPage=yes
; Per-user or all-users install, as the person installing chooses.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=ComplaintDesk-{#AppVersion}-setup
SetupIconFile=complaint-desk.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ShowLanguageDialog=auto
; Close a running copy before replacing its files.
CloseApplications=yes
#ifdef SignTool
SignTool={#SignTool}
SignedUninstaller=yes
#endif

[Languages]
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
Name: "chinesetraditional"; MessagesFile: "compiler:Languages\ChineseTraditional.isl"
Name: "english"; MessagesFile: "compiler:Default.isl"

[CustomMessages]
chinesesimplified.DesktopIconTask=创建桌面快捷方式
chinesetraditional.DesktopIconTask=建立桌面捷徑
english.DesktopIconTask=Create a desktop shortcut
chinesesimplified.LaunchApp=启动投诉服务台
chinesetraditional.LaunchApp=啟動投訴服務台
english.LaunchApp=Start Complaint Desk
chinesesimplified.AutostartTask=开机时启动投诉服务台
chinesetraditional.AutostartTask=開機時啟動投訴服務台
english.AutostartTask=Start Complaint Desk with Windows
chinesesimplified.StartGroup=启动：
chinesetraditional.StartGroup=啟動：
english.StartGroup=Start:

[Tasks]
Name: "desktopicon"; Description: "{cm:DesktopIconTask}"; GroupDescription: "{cm:AdditionalIcons}"
; Off unless chosen: a counter PC that opens the desk when it starts.
Name: "autostart"; Description: "{cm:AutostartTask}"; GroupDescription: "{cm:StartGroup}"; Flags: unchecked

[InstallDelete]
; An upgrade replaces the whole bundle: PyInstaller's _internal folder of an older version
; would otherwise keep libraries this version no longer ships (and may load by mistake).
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "..\..\dist\complaint-desk\{#AppExe}"; DestDir: "{app}"; Flags: ignoreversion{#SignFlag}
Source: "..\..\dist\complaint-desk\{#CliExe}"; DestDir: "{app}"; Flags: ignoreversion{#SignFlag}
Source: "..\..\dist\complaint-desk\*"; Excludes: "\{#AppExe},\{#CliExe}"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Tasks: desktopicon
; The Startup folder of this user (or of all users, for an all-users install).
Name: "{autostartup}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Tasks: autostart

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchApp}"; Flags: nowait postinstall skipifsilent

; No [UninstallDelete] entries for the data folder on purpose: complaints are kept.
