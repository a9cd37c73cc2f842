; Inno Setup script: wraps the PyInstaller onedir bundle into a per-user installer and
; registers .aisite project files. Build on Windows after pyinstaller:
;     iscc installer\windows\aisite.iss
#define AppVersion GetEnv("AISITE_VERSION")
[Setup]
AppName=AI Site Planner
AppVersion={#AppVersion}
AppPublisher=AI Site Planner
DefaultDirName={autopf}\AI Site Planner
DefaultGroupName=AI Site Planner
PrivilegesRequired=lowest
OutputBaseFilename=AISitePlanner-{#AppVersion}-setup
Compression=lzma2
SolidCompression=yes
ChangesAssociations=yes

[Files]
Source: "..\..\dist\AISitePlanner\*"; DestDir: "{app}"; Flags: recursesubdirs ignoreversion

[Icons]
Name: "{group}\AI Site Planner"; Filename: "{app}\AISitePlanner.exe"; Parameters: "gui"
Name: "{group}\Uninstall AI Site Planner"; Filename: "{uninstallexe}"

[Registry]
Root: HKCU; Subkey: "Software\Classes\.aisite"; ValueType: string; ValueData: "AISitePlanner.Project"; Flags: uninsdeletevalue
Root: HKCU; Subkey: "Software\Classes\AISitePlanner.Project\shell\open\command"; ValueType: string; ValueData: """{app}\AISitePlanner.exe"" gui ""%1"""; Flags: uninsdeletekey
