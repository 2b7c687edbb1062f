// Finding the LINE Chrome extension's signing module and loading it (spec §2.2). No real
// extension exists on this machine, so the bundle here is a stand-in with the same webpack
// and Emscripten shape (a factory taking `wasmBinary`, classes SecureKey and Hmac): it pins
// the detection, the extraction and the calling convention, not LINE's white-box key.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createHash } from 'node:crypto'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { browserDataDirs, findLineExtension, LINE_EXTENSION_ID, missingSignerMessage } from '../../../../../src/main/networks/line/extension'
import { indexModules, loadLtsmSigner, LTSM_STATIC_TOKEN, matchBrace } from '../../../../../src/main/networks/line/ltsm-signer'
import { lineNetwork } from '../../../../../src/main/networks/line'
import { silentLogger } from '../../../../../src/main/base/log'

/** The stand-in's digest: a mix of everything it was given, so each input is visible in the output. */
const MIX = `function mix(parts){var h=new Uint8Array(32);var n=0;for(var p of parts){for(var i=0;i<p.length;i++){h[n%32]=(h[n%32]*31+p[i]+n)&255;n++}}return h}`

const BUNDLE = `(()=>{"use strict";var o={1426:e=>{e.exports={env:{},title:"browser"}},75511:(e,t,r)=>{var p=r(1426);var s="}{ not a brace";var re=/[{}]/g;var tpl=\`x\${"}"}y\`;${MIX}
var Module=function(m){if(!m||!m.wasmBinary||m.wasmBinary.length!==4)return Promise.reject(new Error("no wasm"));
var enc=new TextEncoder();
return Promise.resolve({isAvailable:function(){return true},
SecureKey:{loadToken:function(tok){var t=enc.encode(tok);return{deriveKey:function(a,b){return{k:mix([t,a,b]),delete:function(){}}}}}},
Hmac:function(key){this.digest=function(d){return mix([key.k,d])};this.delete=function(){}}})};
e.exports=Module},999:function(e,t,r){e.exports="other"}};window.__ltsm=o})();`

let root: string

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'line-ext-'))
})

afterEach(() => {
  rmSync(root, { recursive: true, force: true })
})

function install(version: string, files = true): string {
  const dir = join(root, '.config', 'google-chrome', 'Profile 1', 'Extensions', LINE_EXTENSION_ID, `${version}_0`)
  mkdirSync(join(dir, 'static', 'js'), { recursive: true })
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ version }))
  if (files) {
    writeFileSync(join(dir, 'static', 'js', 'ltsmSandbox.js'), BUNDLE)
    writeFileSync(join(dir, 'ltsm.wasm'), Buffer.from([0, 0x61, 0x73, 0x6d]))
  }
  return dir
}

const env = () => ({ platform: 'linux' as const, home: root, env: {} })

describe('finding the LINE extension', () => {
  it('finds the newest installed version in a Chrome profile', () => {
    install('3.7.1')
    const dir = install('3.7.2')
    const found = findLineExtension(null, env())
    expect(found.found?.dir).toBe(dir)
    expect(found.found?.version).toBe('3.7.2')
    expect(found.found?.sandboxPath).toBe(join(dir, 'static', 'js', 'ltsmSandbox.js'))
  })

  it('uses the signerPath setting: a version folder or the extension-id folder', () => {
    const dir = install('3.7.2')
    expect(findLineExtension(dir, env()).found?.dir).toBe(dir)
    expect(findLineExtension(join(dir, '..'), env()).found?.dir).toBe(dir)
  })

  it('says exactly what is missing and how to provide it', () => {
    install('3.7.2', false)
    const search = findLineExtension(null, env())
    expect(search.found).toBeNull()
    const message = missingSignerMessage(null, search.found ? [] : search.searched)
    expect(message).toContain('signing module of the LINE Chrome extension')
    expect(message).toContain(LINE_EXTENSION_ID)
    expect(message).toContain('Settings')
    expect(missingSignerMessage('/nowhere', ['/nowhere'])).toContain('/nowhere')
    // The add-account dialog shows this and disables LINE.
    expect(lineNetwork.setupProblem({ config: { signerPath: join(root, 'nope') }, log: silentLogger })).toContain('does not contain')
    expect(lineNetwork.setupProblem({ config: { signerPath: join(root, '.config') }, log: silentLogger })).not.toBeNull()
  })

  it('knows the profile folders of Linux, macOS and Windows', () => {
    expect(browserDataDirs({ platform: 'linux', home: '/home/a', env: {} })).toContain('/home/a/.config/chromium')
    expect(browserDataDirs({ platform: 'darwin', home: '/Users/a', env: {} })).toContain('/Users/a/Library/Application Support/Google/Chrome')
    expect(browserDataDirs({ platform: 'win32', home: 'C:\\Users\\a', env: { LOCALAPPDATA: 'C:\\Users\\a\\AppData\\Local' } })).toContain('C:\\Users\\a\\AppData\\Local\\Google\\Chrome\\User Data')
  })
})

describe('loading the signing module', () => {
  it('extracts webpack modules, skipping braces in strings, regexes and templates', () => {
    const modules = indexModules(BUNDLE)
    expect([...modules.keys()].sort()).toEqual(['1426', '75511', '999'])
    expect(modules.get('75511')!.params).toEqual(['e', 't', 'r'])
    expect(modules.get('75511')!.body).toContain('e.exports=Module')
    const src = 'x{a("}");b=/}/;c=`${"{"}`;/* } */ d}'
    expect(matchBrace(src, 1)).toBe(src.length - 1)
    // Text after an expression, a second expression and a nested template, each holding braces.
    const nested = 'f{t=`a${1}}b${`{${"}"}`}c{`;}'
    expect(matchBrace(nested, 1)).toBe(nested.length - 1)
    expect(matchBrace('f{t=`${x}`', 1)).toBe(-1)
  })

  it('signs as spec §2.2: SecureKey.loadToken(token).deriveKey(SHA-256(version), SHA-256(accessToken)), Hmac(path + body)', async () => {
    install('3.7.2')
    const found = findLineExtension(null, env()).found!
    const signer = await loadLtsmSigner(found)
    const header = await signer.sign({ version: '3.7.2', accessToken: '', path: '/api/talk/thrift/Talk/TalkService/getRSAKeyInfo', body: '[1]' })
    // The same computation, done here with the stand-in's own mix function.
    const mix = new Function(`${MIX}; return mix`)() as (parts: Uint8Array[]) => Uint8Array
    const sha = (s: string): Uint8Array => new Uint8Array(createHash('sha256').update(s).digest())
    const k = mix([new TextEncoder().encode(LTSM_STATIC_TOKEN), sha('3.7.2'), sha('')])
    const expected = Buffer.from(mix([k, new TextEncoder().encode('/api/talk/thrift/Talk/TalkService/getRSAKeyInfo[1]')])).toString('base64')
    expect(header).toBe(expected)
    expect(Buffer.from(header, 'base64')).toHaveLength(32)
    // Different inputs, different signatures; concurrent calls are serialised and all answered.
    const many = await Promise.all(['a', 'b', 'c'].map((t) => signer.sign({ version: '3.7.2', accessToken: t, path: '/p', body: '' })))
    expect(new Set(many).size).toBe(3)
  })

  it('fails with a typed signer-missing error when the bundle has no module', async () => {
    const dir = install('3.7.2')
    writeFileSync(join(dir, 'static', 'js', 'ltsmSandbox.js'), '(()=>{var o={1:e=>{e.exports=1}}})()')
    await expect(loadLtsmSigner(findLineExtension(dir, env()).found!)).rejects.toMatchObject({ code: 'signer-missing' })
  })
})
