// Exposes `window.junction`: one named function per Api request, each bound to its own
// channel, plus `onEvent`. No generic ipcRenderer ever reaches the page.

import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import { IPC_EVENT_CHANNEL, IPC_REQUEST_PREFIX, REQUEST_NAMES, type ApiEvent, type JunctionBridge } from '../shared/api'

const bridge: Record<string, unknown> = {}
for (const name of REQUEST_NAMES) {
  bridge[name] = (arg: unknown) => ipcRenderer.invoke(IPC_REQUEST_PREFIX + name, arg)
}
bridge.onEvent = (listener: (event: ApiEvent) => void) => {
  const wrapped = (_event: IpcRendererEvent, payload: ApiEvent): void => listener(payload)
  ipcRenderer.on(IPC_EVENT_CHANNEL, wrapped)
  return () => {
    ipcRenderer.removeListener(IPC_EVENT_CHANNEL, wrapped)
  }
}

contextBridge.exposeInMainWorld('junction', bridge as JunctionBridge)
