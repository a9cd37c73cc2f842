# Windows release build: install, test, bundle (installer\aisite.spec), self-test the bundle,
# then the installer (Inno Setup). Run from anywhere in PowerShell:
#     powershell -ExecutionPolicy Bypass -File installer\windows\build-windows.ps1
# -> dist\AISitePlanner-VERSION-windows-x64-setup.exe. Set SKIP_TESTS=1 to skip pytest.
# Signing: when SIGN_CERT_PFX (path) and SIGN_CERT_PASSWORD are set, the executables and the
# installer are signed with signtool; otherwise that step says it was skipped.
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..\..")

if (-not (Test-Path .\.venv\Scripts\python.exe)) { python -m venv .venv }
.\.venv\Scripts\python -m pip install --quiet --upgrade pip
$env:AISITE_REQUIRE_EXT = "1"
.\.venv\Scripts\python -m pip install --quiet -e ".[test,bundle]"
if ($LASTEXITCODE -ne 0) { throw "pip install failed" }
if ($env:SKIP_TESTS -ne "1") {
    $env:QT_QPA_PLATFORM = "offscreen"
    .\.venv\Scripts\python -m pytest -q -p no:cacheprovider
    if ($LASTEXITCODE -ne 0) { throw "tests failed" }
    Remove-Item Env:\QT_QPA_PLATFORM
}

$version = (.\.venv\Scripts\python installer\version_info.py).Trim()
.\.venv\Scripts\pyinstaller installer\aisite.spec --noconfirm --workpath build\pyinstaller --distpath dist
if ($LASTEXITCODE -ne 0) { throw "pyinstaller failed" }

# The bundle must run on its own and report the compiled kernels.
$summary = & .\dist\AISitePlanner\aisite.exe --self-test
$summary | Out-File -Encoding utf8 dist\self-test.json
if ($LASTEXITCODE -ne 0) { $summary; throw "bundle self-test failed" }
if (-not ($summary -match '"backend": "cython"')) { throw "bundle has no compiled kernels" }

$iscc = (Get-Command iscc.exe -ErrorAction SilentlyContinue).Source
if (-not $iscc) { $iscc = "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe" }
if (-not (Test-Path $iscc)) { choco install innosetup -y --no-progress; $iscc = "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe" }

function Sign($files) {
    if ($env:SIGN_CERT_PFX -and $env:SIGN_CERT_PASSWORD) {
        $signtool = (Get-ChildItem "${env:ProgramFiles(x86)}\Windows Kits\10\bin\*\x64\signtool.exe" | Sort-Object FullName | Select-Object -Last 1).FullName
        & $signtool sign /f $env:SIGN_CERT_PFX /p $env:SIGN_CERT_PASSWORD /fd sha256 /tr http://timestamp.digicert.com /td sha256 $files
        if ($LASTEXITCODE -ne 0) { throw "signing failed" }
    } else {
        Write-Host "Signing skipped: SIGN_CERT_PFX and SIGN_CERT_PASSWORD are not set."
    }
}
Sign @("dist\AISitePlanner\AISitePlanner.exe", "dist\AISitePlanner\aisite.exe")
& $iscc "/DAppVersion=$version" installer\windows\aisite.iss
if ($LASTEXITCODE -ne 0) { throw "iscc failed" }
Sign @("dist\AISitePlanner-$version-windows-x64-setup.exe")
Write-Host "Built dist\AISitePlanner-$version-windows-x64-setup.exe"
