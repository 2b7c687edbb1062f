import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { MEDIA_SCHEME } from '../../../../src/main/shell/media-scheme'
import { APP_ENTRY_URL, appContentSecurityPolicy, isAppUrl, resolveAppRequest } from '../../../../src/main/shell/app-scheme'

// A renderer folder with a secret file beside it, to prove nothing outside is served.
const base = mkdtempSync(join(tmpdir(), 'junction-app-scheme-'))
const root = join(base, 'renderer')
mkdirSync(join(root, 'assets'), { recursive: true })
writeFileSync(join(root, 'index.html'), '<!doctype html>')
writeFileSync(join(root, 'assets', 'index-abc.js'), 'export {}')
writeFileSync(join(root, 'assets', 'odd name.css'), 'body{}')
writeFileSync(join(base, 'secret.txt'), 'secret')
mkdirSync(join(base, 'renderer-evil'))
writeFileSync(join(base, 'renderer-evil', 'x.js'), 'evil')
afterAll(() => rmSync(base, { recursive: true, force: true }))

const isFile = (p: string): boolean => {
  try {
    return statSync(p).isFile()
  } catch {
    return false
  }
}
const get = (url: string, method = 'GET') => resolveAppRequest(root, url, method, isFile)

describe('app:// request resolution', () => {
  it('serves the entry page with the CSP and its type', () => {
    const r = get(APP_ENTRY_URL)
    expect(r.status).toBe(200)
    if (r.status !== 200) return
    expect(r.file).toBe(join(root, 'index.html'))
    expect(r.headers['Content-Type']).toBe('text/html; charset=utf-8')
    // Media comes from junction-media: (issue 13 §7), so the page may show it and nothing else new.
    expect(r.headers['Content-Security-Policy']).toBe(appContentSecurityPolicy(['junction-media:']))
    expect(r.headers['Content-Security-Policy']).toMatch(/img-src 'self' data: junction-media:;/)
    expect(r.headers['X-Content-Type-Options']).toBe('nosniff')
  })

  it('serves / as index.html, assets by path, and decodes an encoded space', () => {
    expect(get('app://junction/').status).toBe(200)
    const js = get('app://junction/assets/index-abc.js?v=1#x')
    expect(js.status === 200 && js.file).toBe(join(root, 'assets', 'index-abc.js'))
    expect(js.headers['Content-Type']).toBe('text/javascript; charset=utf-8')
    expect(get('app://junction/assets/odd%20name.css').status).toBe(200)
  })

  it('answers 404 for unknown files, folders and other hosts or schemes', () => {
    expect(get('app://junction/nope.js').status).toBe(404)
    expect(get('app://junction/assets').status).toBe(404)
    expect(get('app://other/index.html').status).toBe(404)
    expect(get('file:///etc/passwd').status).toBe(404)
  })

  it.each([
    'app://junction/../secret.txt',
    'app://junction/%2e%2e/secret.txt',
    'app://junction/%2E%2E%2Fsecret.txt',
    'app://junction/assets/..%2F..%2Fsecret.txt',
    'app://junction/..%5Csecret.txt',
    'app://junction/%2e%2e%5csecret.txt',
    'app://junction/.%2e/secret.txt',
    'app://junction/..%2frenderer-evil/x.js',
    'app://junction/index.html%00.js',
    'app://junction//etc/passwd',
    'app://junction/%2Fetc%2Fpasswd'
  ])('never leaves the renderer folder: %s', (url) => {
    const r = get(url)
    expect(r.status).not.toBe(200)
  })

  it('answers 400 for malformed escapes instead of throwing', () => {
    for (const url of ['app://junction/%ZZ', 'app://junction/%', 'app://junction/%E0%A4%A', 'app://junction/%c0%ae%c0%ae/x']) {
      expect(() => get(url)).not.toThrow()
      expect(get(url).status).toBe(400)
    }
    expect(get('not a url').status).toBe(400)
  })

  it('only answers GET and HEAD', () => {
    expect(get(APP_ENTRY_URL, 'HEAD').status).toBe(200)
    expect(get(APP_ENTRY_URL, 'POST').status).toBe(405)
  })

  it('recognises its own pages only', () => {
    expect(isAppUrl('app://junction/index.html#/chat/1')).toBe(true)
    expect(isAppUrl('app://junction.evil/index.html')).toBe(false)
    expect(isAppUrl('https://junction/index.html')).toBe(false)
    expect(isAppUrl('file:///index.html')).toBe(false)
    expect(isAppUrl('::')).toBe(false)
  })

  it('has a CSP that allows only its own origin for scripts and connections', () => {
    const csp = appContentSecurityPolicy()
    expect(csp).toContain("default-src 'none'")
    expect(csp).toContain("script-src 'self';")
    expect(csp).toContain("connect-src 'self';")
    expect(csp).toContain("frame-ancestors 'none'")
    expect(csp).not.toContain('unsafe')
    expect(appContentSecurityPolicy(['junction-media:'])).toContain("img-src 'self' data: junction-media:")
  })

  it('the page’s own meta policy (enforced beside the header) lets images come from the media scheme, and no blob: URLs', async () => {
    const { readFileSync } = await import('node:fs')
    const html = readFileSync(join(__dirname, '../../../../src/renderer/index.html'), 'utf8')
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1] ?? ''
    const img =
      meta
        .split(';')
        .map((d) => d.trim())
        .find((d) => d.startsWith('img-src')) ?? ''
    expect(img.split(' ')).toContain(`${MEDIA_SCHEME}:`)
    expect(meta).not.toContain('blob:')
    expect(appContentSecurityPolicy([`${MEDIA_SCHEME}:`])).not.toContain('blob:')
  })
})
