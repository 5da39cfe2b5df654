@echo off
rem Double-click: a Chinese menu that makes notices, certificates, letters, review sheets, the year report.
rem The logic is in tools\windows\start.py (tested on Linux); this file only finds Python. Keep CRLF line ends.
chcp 65001 >nul
cd /d "%~dp0"
set "PYTHONUTF8=1"
set "IPREG_PY="
where py >nul 2>nul && set "IPREG_PY=py -3"
if not defined IPREG_PY where python >nul 2>nul && set "IPREG_PY=python"
if not defined IPREG_PY goto nopython
%IPREG_PY% "%~dp0tools\windows\start.py" docs
set "IPREG_RC=%errorlevel%"
pause
exit /b %IPREG_RC%

:nopython
echo.
echo 没有找到 Python。请先从 https://www.python.org/downloads/windows/ 下载安装 Python 3.11 或更高版本
echo （安装时勾选 "Add python.exe to PATH"），然后再双击本文件。详见 manual\01-安装与启动.md。
echo.
pause
exit /b 9009
