; Inno Setup script: wraps the PyInstaller one-folder bundle (dist\AISitePlanner) into one
; installer. Built by installer\windows\build-windows.ps1, which passes the version read
; from core/version.py:
;     iscc /DAppVersion=0.1.0 installer\windows\aisite.iss
;
; - Installs for the current user (no administrator rights, the default) or for all users
;   (the installer asks; `/ALLUSERS` or `/CURRENTUSER` on the command line).
; - Start menu entries for the app and its uninstaller; an optional desktop icon.
; - Registers .aisite project files with their icon, opening in the app.
; - Uninstalling removes the program folder and its registry entries only: projects, the
;   sample project and settings (in the user's own folders) are never touched.
#ifndef AppVersion
  #define AppVersion GetEnv("AISITE_VERSION")
#endif
#if AppVersion == ""
  #error Pass the version: iscc /DAppVersion=X.Y.Z (build-windows.ps1 does)
#endif
#define AppName "AI Site Planner"
#define AppExe "AISitePlanner.exe"
#define ProgId "AISitePlanner.Project"

[Setup]
AppId={{5B0D7E43-2C1A-4E8B-9A57-7A3C1E0D2F61}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppName}
VersionInfoVersion={#AppVersion}
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog commandline
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=AISitePlanner-{#AppVersion}-windows-x64-setup
SetupIconFile=..\..\build\icons\aisite.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName} {#AppVersion}
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
ChangesAssociations=yes
CloseApplications=yes

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "..\..\dist\AISitePlanner\*"; DestDir: "{app}"; Flags: recursesubdirs createallsubdirs ignoreversion
Source: "..\..\build\icons\aisite.ico"; DestDir: "{app}"; Flags: ignoreversion

[InstallDelete]
; An upgrade replaces the bundle's libraries; stale ones from an older version are removed.
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; IconFilename: "{app}\aisite.ico"
Name: "{autoprograms}\{#AppName} self-test"; Filename: "{cmd}"; Parameters: "/k ""{app}\aisite.exe"" --self-test"; IconFilename: "{app}\aisite.ico"
Name: "{autoprograms}\Uninstall {#AppName}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; IconFilename: "{app}\aisite.ico"; Tasks: desktopicon

[Registry]
; HKA is HKCU for a per-user install and HKLM for an all-users install.
Root: HKA; Subkey: "Software\Classes\.aisite"; ValueType: string; ValueName: ""; ValueData: "{#ProgId}"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.aisite\OpenWithProgids"; ValueType: string; ValueName: "{#ProgId}"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\{#ProgId}"; ValueType: string; ValueName: ""; ValueData: "{#AppName} project"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\{#ProgId}\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\aisite.ico,0"
Root: HKA; Subkey: "Software\Classes\{#ProgId}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" ""%1"""
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\SupportedTypes"; ValueType: string; ValueName: ".aisite"; ValueData: ""; Flags: uninsdeletekey

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

; No [UninstallDelete] section on purpose: nothing outside {app} is removed.
