; Dialler Bridge additions to electron-builder's NSIS installer (electron-builder.yml: nsis.include).
;
; Per-machine installs run elevated, so they can trust a certificate for every user without a prompt:
; if IT placed the bridge's certificate at %ProgramData%\Dialler Bridge\bridge-cert.pem before installing,
; it is added to the machine's Trusted Root store (certutil -addstore -f Root). Uninstalling (not
; upgrading) removes it again. Per-user installs leave trust to the app, where Windows asks the user.
; See docs/desktop.md, "IT deployment".

!macro customInstall
  ${if} $installMode == "all"
    ReadEnvStr $R9 ProgramData
    ${if} ${FileExists} "$R9\Dialler Bridge\bridge-cert.pem"
      DetailPrint "Trusting the Dialler Bridge certificate for all users"
      nsExec::ExecToLog '"$SYSDIR\certutil.exe" -f -addstore Root "$R9\Dialler Bridge\bridge-cert.pem"'
      Pop $R8
      DetailPrint "certutil exit code: $R8"
    ${endIf}
  ${endIf}
!macroend

!macro customUnInstall
  ${ifNot} ${isUpdated}
    ${if} $installMode == "all"
      ReadEnvStr $R9 ProgramData
      ${if} ${FileExists} "$R9\Dialler Bridge\bridge-cert.pem"
        DetailPrint "Removing the Dialler Bridge certificate from the machine's Root store"
        nsExec::ExecToLog `"$SYSDIR\WindowsPowerShell\v1.0\powershell.exe" -NoProfile -NonInteractive -Command "$$c = New-Object System.Security.Cryptography.X509Certificates.X509Certificate2('$R9\Dialler Bridge\bridge-cert.pem'); Remove-Item -LiteralPath ('Cert:\LocalMachine\Root\' + $$c.Thumbprint) -ErrorAction SilentlyContinue"`
        Pop $R8
      ${endIf}
    ${endIf}
  ${endIf}
!macroend
