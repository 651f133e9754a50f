; Dialler Bridge additions to electron-builder's NSIS installer (electron-builder.yml: nsis.include).
;
; Per-machine installs run elevated, so they can trust a certificate for every user without a prompt:
; if IT placed the bridge's certificate at %ProgramData%\Dialler Bridge\bridge-cert.pem before installing,
; the installed app checks it and adds it to the machine's Trusted Root store
; ("Dialler Bridge.exe" --trust-machine-certificate FILE, src/main/electron/machine-trust.ts): only if the
; folder and the file can be written by administrators only, and the certificate is a self-signed non-CA
; leaf naming only the bridge's addresses. Otherwise nothing is trusted and the reason goes to the install
; log. Uninstalling (not upgrading) removes it again. Per-user installs leave trust to the app, where
; Windows asks the user. See docs/desktop.md, "IT deployment".
;
; Per-machine installs also register tel: and callto: for every user (HKLM): a ProgID, the Capabilities
; that list the app under Settings > Default apps, and the scheme keys themselves only where no other app
; owns them yet. The app registers per user at start as well (HKCU), unless IT's policy turns links off.

!macro diallerRegisterScheme SCHEME
  WriteRegStr HKLM "Software\Dialler Bridge\Capabilities\URLAssociations" "${SCHEME}" "DiallerBridge.PhoneLink"
  ReadRegStr $R7 HKLM "Software\Classes\${SCHEME}\shell\open\command" ""
  ${if} $R7 == ""
    WriteRegStr HKLM "Software\Classes\${SCHEME}" "" "URL:${SCHEME}"
    WriteRegStr HKLM "Software\Classes\${SCHEME}" "URL Protocol" ""
    WriteRegStr HKLM "Software\Classes\${SCHEME}\shell\open\command" "" '"$INSTDIR\${APP_EXECUTABLE_FILENAME}" "%1"'
  ${endIf}
!macroend

!macro diallerUnregisterScheme SCHEME
  ReadRegStr $R7 HKLM "Software\Classes\${SCHEME}\shell\open\command" ""
  ${if} $R7 == '"$INSTDIR\${APP_EXECUTABLE_FILENAME}" "%1"'
    DeleteRegKey HKLM "Software\Classes\${SCHEME}"
  ${endIf}
!macroend

!macro customInstall
  ${if} $installMode == "all"
    WriteRegStr HKLM "Software\Classes\DiallerBridge.PhoneLink" "" "Dialler Bridge phone link"
    WriteRegStr HKLM "Software\Classes\DiallerBridge.PhoneLink" "URL Protocol" ""
    WriteRegStr HKLM "Software\Classes\DiallerBridge.PhoneLink\shell\open\command" "" '"$INSTDIR\${APP_EXECUTABLE_FILENAME}" "%1"'
    WriteRegStr HKLM "Software\Dialler Bridge\Capabilities" "ApplicationName" "Dialler Bridge"
    WriteRegStr HKLM "Software\Dialler Bridge\Capabilities" "ApplicationDescription" "Dial phone links through the PBX"
    !insertmacro diallerRegisterScheme "tel"
    !insertmacro diallerRegisterScheme "callto"
    WriteRegStr HKLM "Software\RegisteredApplications" "Dialler Bridge" "Software\Dialler Bridge\Capabilities"
    ReadEnvStr $R9 ProgramData
    ${if} ${FileExists} "$R9\Dialler Bridge\bridge-cert.pem"
      DetailPrint "Checking the Dialler Bridge certificate IT provided"
      nsExec::ExecToLog '"$INSTDIR\${APP_EXECUTABLE_FILENAME}" --trust-machine-certificate "$R9\Dialler Bridge\bridge-cert.pem"'
      Pop $R8
      DetailPrint "certificate trust exit code (0 = trusted): $R8"
    ${endIf}
  ${endIf}
!macroend

!macro customUnInstall
  ${ifNot} ${isUpdated}
    ${if} $installMode == "all"
      !insertmacro diallerUnregisterScheme "tel"
      !insertmacro diallerUnregisterScheme "callto"
      DeleteRegValue HKLM "Software\RegisteredApplications" "Dialler Bridge"
      DeleteRegKey HKLM "Software\Dialler Bridge\Capabilities"
      DeleteRegKey HKLM "Software\Classes\DiallerBridge.PhoneLink"
      ReadEnvStr $R9 ProgramData
      ${if} ${FileExists} "$R9\Dialler Bridge\bridge-cert.pem"
        DetailPrint "Removing the Dialler Bridge certificate from the machine's Root store"
        nsExec::ExecToLog `"$SYSDIR\WindowsPowerShell\v1.0\powershell.exe" -NoProfile -NonInteractive -Command "$$c = New-Object System.Security.Cryptography.X509Certificates.X509Certificate2('$R9\Dialler Bridge\bridge-cert.pem'); Remove-Item -LiteralPath ('Cert:\LocalMachine\Root\' + $$c.Thumbprint) -ErrorAction SilentlyContinue"`
        Pop $R8
      ${endIf}
    ${endIf}
  ${endIf}
!macroend
