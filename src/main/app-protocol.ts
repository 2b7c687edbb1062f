// Electron glue for `app://junction/`: registered as privileged before `ready` (standard,
// secure, fetch-capable) and served with protocol.handle from out/renderer. Every decision
// is made by shell/app-scheme.ts.

import { statSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { protocol, type Session } from 'electron'
import { MEDIA_SCHEME_PRIVILEGES } from './media-protocol'
import { APP_SCHEME, resolveAppRequest } from './shell/app-scheme'

/** Must run before app `ready`; Electron takes every privileged scheme in one call. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }, MEDIA_SCHEME_PRIVILEGES])
}

const isFile = (path: string): boolean => {
  try {
    return statSync(path).isFile()
  } catch {
    return false
  }
}

export function serveAppScheme(session: Session, rendererDir: string): void {
  session.protocol.handle(APP_SCHEME, async (request) => {
    const decision = resolveAppRequest(rendererDir, request.url, request.method, isFile)
    if (decision.status !== 200) return new Response(null, { status: decision.status, headers: decision.headers })
    const body = request.method === 'HEAD' ? null : await readFile(decision.file)
    return new Response(body, { status: 200, headers: decision.headers })
  })
}
