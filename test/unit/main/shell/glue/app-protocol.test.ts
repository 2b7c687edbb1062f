// The thin Electron glue for app://, run under Node with a stand-in for `electron`: the
// handler it registers answers real Requests from the renderer folder.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it, vi } from 'vitest'

const registered = vi.hoisted(() => ({ schemes: [] as unknown[] }))
vi.mock('electron', () => ({ protocol: { registerSchemesAsPrivileged: (s: unknown[]) => registered.schemes.push(...s) } }))

const { registerAppScheme, serveAppScheme } = await import('../../../../../src/main/app-protocol')

const root = mkdtempSync(join(tmpdir(), 'junction-app-protocol-'))
mkdirSync(join(root, 'renderer'))
writeFileSync(join(root, 'renderer', 'index.html'), '<!doctype html><div id="root"></div>')
writeFileSync(join(root, 'secret.txt'), 'secret')
afterAll(() => rmSync(root, { recursive: true, force: true }))

describe('app:// in Electron', () => {
  it('registers app as a standard, secure, fetch-capable scheme', () => {
    registerAppScheme()
    expect(registered.schemes).toEqual([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
      { scheme: 'junction-media', privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } }
    ])
  })

  it('serves the renderer with its CSP and refuses the rest', async () => {
    let handler: ((r: Request) => Promise<Response>) | null = null
    const session = { protocol: { handle: (scheme: string, h: (r: Request) => Promise<Response>) => void (scheme === 'app' && (handler = h)) } }
    serveAppScheme(session as never, join(root, 'renderer'))
    expect(handler).not.toBeNull()
    const page = await handler!(new Request('app://junction/index.html'))
    expect(page.status).toBe(200)
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'")
    expect(await page.text()).toContain('<div id="root">')
    const head = await handler!(new Request('app://junction/index.html', { method: 'HEAD' }))
    expect(head.status).toBe(200)
    expect(await head.text()).toBe('')
    expect((await handler!(new Request('app://junction/%2e%2e/secret.txt'))).status).toBe(404)
    expect((await handler!(new Request('app://junction/%ZZ'))).status).toBe(400)
    expect((await handler!(new Request('app://junction/missing.js'))).status).toBe(404)
  })
})
