; Inno Setup 6 script for Complaint Desk (Windows installer).
; Build the bundle first on Windows: `python packaging\build.py` (makes dist\complaint-desk\),
; then: `iscc /DAppVersion=0.1.0 packaging\windows\complaint-desk.iss`
; Output: dist\ComplaintDesk-<version>-setup.exe
;
; The user's data (database, attachments, backups) lives in %LOCALAPPDATA%\ComplaintDesk, never
; in the install folder: the uninstaller removes only what it installed and keeps that data.
; Chinese wizard texts: ChineseSimplified.isl / ChineseTraditional.isl ship with recent Inno Setup
; releases; with an older one, put the translation files from the Inno Setup translations page
; into the compiler's Languages folder.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "Complaint Desk"
#define AppExe "complaint-desk.exe"

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

[Tasks]
Name: "desktopicon"; Description: "{cm:DesktopIconTask}"; GroupDescription: "{cm:AdditionalIcons}"

[Files]
Source: "..\..\dist\complaint-desk\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchApp}"; Flags: nowait postinstall skipifsilent

; No [UninstallDelete] entries for the data folder on purpose: complaints are kept.
