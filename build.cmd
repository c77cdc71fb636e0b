@echo off
rem Runs the build (build\_build.csproj) with all arguments passed through unchanged:
rem   build.cmd PerfRun --scenario demo01
rem The build is compiled once into .nuke\temp\build and only recompiled when its sources change,
rem so a warm run costs one `dotnet _build.dll` instead of an MSBuild up-to-date check plus `dotnet run`.
rem The user's working directory is left alone: the build finds its own root by walking up to .nuke\.
setlocal

set "ROOT=%~dp0"
set "ROOT=%ROOT:~0,-1%"
set "TEMP_DIR=%ROOT%\.nuke\temp"
set "OUT=%TEMP_DIR%\build"
set "FINGERPRINT=%TEMP_DIR%\build.fingerprint"
set "DOTNET_USED=%TEMP_DIR%\build.dotnet"
set DOTNET_CLI_TELEMETRY_OPTOUT=1
set DOTNET_NOLOGO=1
set DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
if not exist "%TEMP_DIR%" mkdir "%TEMP_DIR%"

rem Content (not mtime) fingerprint: SHA-256 and relative path of every file under build\ except
rem bin\ and obj\, plus global.json, Directory.Build.props and .editorconfig. Exits 0 when it equals
rem the stored one and _build.dll exists; otherwise writes it to build.fingerprint.new, which is
rem moved into place only after a successful build.
rem (Built up in PS one statement per line; no double quotes or percent signs may appear in it.)
set "PS=$ErrorActionPreference='Stop'; Set-Location -LiteralPath $env:ROOT;"
set "PS=%PS% $b = (Get-Item -LiteralPath build).FullName;"
set "PS=%PS% $rel = @(Get-ChildItem -LiteralPath $b -Recurse -File -Force | ForEach-Object { 'build' + $_.FullName.Substring($b.Length) } | Where-Object { $_ -notmatch '^build\\(bin|obj)\\' });"
set "PS=%PS% $rel += @('global.json', 'Directory.Build.props', '.editorconfig' | Where-Object { Test-Path -LiteralPath $_ -PathType Leaf });"
set "PS=%PS% [string[]]$rel = $rel; [Array]::Sort($rel, [StringComparer]::Ordinal);"
set "PS=%PS% $fp = ($rel | ForEach-Object { (Get-FileHash -LiteralPath $_ -Algorithm SHA256).Hash + ' ' + $_ }) -join [char]10;"
set "PS=%PS% $old = if (Test-Path -LiteralPath $env:FINGERPRINT) { [IO.File]::ReadAllText($env:FINGERPRINT) } else { '' };"
set "PS=%PS% if ($old -ceq $fp -and (Test-Path -LiteralPath (Join-Path $env:OUT '_build.dll'))) { exit 0 };"
set "PS=%PS% [IO.File]::WriteAllText($env:FINGERPRINT + '.new', $fp); exit 1"
powershell -NoProfile -ExecutionPolicy Bypass -Command "%PS%"
if not errorlevel 1 goto up_to_date

call :resolve_sdk
if errorlevel 1 exit /b 1
rem Forget the old fingerprint first, so a failed build can never look up to date.
if exist "%FINGERPRINT%" del /q "%FINGERPRINT%"
rem Build from the root so global.json picks the SDK; keep the log quiet unless it fails.
pushd "%ROOT%"
"%DOTNET_EXE%" build build\_build.csproj -c Release -o "%OUT%" --nologo -v q -clp:NoSummary > "%TEMP_DIR%\build.log" 2>&1
set "BUILD_RC=%ERRORLEVEL%"
popd
if "%BUILD_RC%"=="0" goto built
type "%TEMP_DIR%\build.log" 1>&2
echo build.cmd: compiling build\_build.csproj failed (log: %TEMP_DIR%\build.log) 1>&2
exit /b 1

:built
rem Move into place (atomic rename) only after a successful build.
> "%DOTNET_USED%.tmp" echo %DOTNET_EXE%
move /y "%DOTNET_USED%.tmp" "%DOTNET_USED%" >nul
move /y "%FINGERPRINT%.new" "%FINGERPRINT%" >nul
goto run

:up_to_date
rem Run with the dotnet that built it, without paying for an SDK check.
if defined DOTNET_EXE goto run
if exist "%DOTNET_USED%" set /p DOTNET_EXE=<"%DOTNET_USED%"
if not defined DOTNET_EXE set "DOTNET_EXE=dotnet"
if not exist "%DOTNET_EXE%" set "DOTNET_EXE=dotnet"

:run
rem Child processes of the build that call `dotnet` should get the same private SDK.
if /i "%DOTNET_EXE%"=="%TEMP_DIR%\dotnet-win\dotnet.exe" set "DOTNET_ROOT=%TEMP_DIR%\dotnet-win"
if /i "%DOTNET_EXE%"=="%TEMP_DIR%\dotnet-win\dotnet.exe" set "PATH=%TEMP_DIR%\dotnet-win;%PATH%"
"%DOTNET_EXE%" "%OUT%\_build.dll" %*
exit /b %ERRORLEVEL%

rem An SDK that satisfies global.json: DOTNET_EXE if set, else dotnet on PATH, else a private one in
rem .nuke\temp\dotnet-win (installed on first need). `dotnet --version` fails when no SDK matches
rem global.json's version + rollForward, so it is the check.
:resolve_sdk
if defined DOTNET_EXE exit /b 0
pushd "%ROOT%"
dotnet --version >nul 2>&1
set "SDK_RC=%ERRORLEVEL%"
popd
if "%SDK_RC%"=="0" set "DOTNET_EXE=dotnet"
if "%SDK_RC%"=="0" exit /b 0

set "DOTNET_DIR=%TEMP_DIR%\dotnet-win"
if not exist "%DOTNET_DIR%\dotnet.exe" goto install_sdk
pushd "%ROOT%"
"%DOTNET_DIR%\dotnet.exe" --version >nul 2>&1
set "SDK_RC=%ERRORLEVEL%"
popd
if "%SDK_RC%"=="0" goto private_sdk

:install_sdk
rem Channel = sdk.version's major.minor from global.json (e.g. 10.0.100 -> 10.0), STS without one.
echo No .NET SDK matches global.json; installing it into %DOTNET_DIR% 1>&2
set "PS=$ErrorActionPreference='Stop'; [Net.ServicePointManager]::SecurityProtocol = 'Tls12';"
set "PS=%PS% $g = Join-Path $env:ROOT 'global.json'; $v = if (Test-Path -LiteralPath $g) { (Get-Content -Raw -LiteralPath $g | ConvertFrom-Json).sdk.version };"
set "PS=%PS% $ch = if ($v) { ($v -split '\.')[0..1] -join '.' } else { 'STS' };"
set "PS=%PS% $ps = Join-Path $env:TEMP_DIR 'dotnet-install.ps1'; Invoke-WebRequest -UseBasicParsing 'https://dot.net/v1/dotnet-install.ps1' -OutFile $ps;"
set "PS=%PS% & $ps -InstallDir $env:DOTNET_DIR -Channel $ch -NoPath"
powershell -NoProfile -ExecutionPolicy Bypass -Command "%PS%"
if errorlevel 1 exit /b 1

:private_sdk
set "DOTNET_EXE=%DOTNET_DIR%\dotnet.exe"
exit /b 0
