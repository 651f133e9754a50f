// Identity of the desktop app. APP_ID must equal electron-builder.yml `appId` and never change after release:
// Windows ties notifications, the taskbar and silent upgrades to it.
export const APP_ID = 'com.diallerbridge.desktop';
export const PRODUCT_NAME = 'Dialler Bridge';
/** Passed by the login item so a start at login stays in the tray instead of opening the window. */
export const HIDDEN_ARG = '--hidden';
