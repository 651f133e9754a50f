// Sandboxed preload (bundled to one CJS file): exposes window.dialler and nothing else.
import { contextBridge, ipcRenderer } from 'electron';
import { createDiallerApi } from './dialler-api';

contextBridge.exposeInMainWorld('dialler', createDiallerApi(ipcRenderer));
