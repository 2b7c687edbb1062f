// Picks the transport: the preload's `window.junction` inside Electron, else the
// headless host's WebSocket, authenticated by the token in the page's URL.

import type { JunctionBridge } from '../../../shared/api'
import { createApi, type Api } from './client'
import { createWsBridge, type LinkStatus } from './ws-bridge'

declare global {
  interface Window {
    junction?: JunctionBridge
  }
}

const TOKEN_KEY = 'junction.token'

export function connectApi(onStatus: (status: LinkStatus) => void): Api {
  if (window.junction) {
    onStatus('open')
    return createApi(window.junction)
  }
  const params = new URLSearchParams(location.search)
  const token = params.get('token') ?? sessionStorage.getItem(TOKEN_KEY) ?? ''
  if (params.has('token')) {
    // Keep the token out of the address bar (and screenshots) once read.
    sessionStorage.setItem(TOKEN_KEY, token)
    history.replaceState(null, '', location.pathname)
  }
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api?token=${encodeURIComponent(token)}`
  const sessionUrl = `${location.origin}/api/session?token=${encodeURIComponent(token)}`
  return createApi(createWsBridge(url, onStatus, sessionUrl))
}

export type { Api } from './client'
export type { LinkStatus } from './ws-bridge'
