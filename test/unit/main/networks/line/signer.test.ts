// Finding the LINE Chrome extension's signing module and loading it (spec §2.2). No real
// extension exists on this machine, so the bundle here is a stand-in with the same webpack
// and Emscripten shape (a factory taking `wasmBinary`, classes SecureKey and Hmac): it pins
// the detection, the extraction and the calling convention, not LINE's white-box key.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createHash, generateKeyPairSync } from 'node:crypto'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  browserDataDirs,
  extensionIdOf,
  findLineExtension,
  LINE_EXTENSION_ID,
  missingSignerMessage
} from '../../../../../src/main/networks/line/signer/extension'
import { indexModules, matchBrace } from '../../../../../src/main/networks/line/signer/bundle'
import { forkIsolated, loadLtsmSigner, LTSM_STATIC_TOKEN, type SpawnIsolated } from '../../../../../src/main/networks/line/signer/isolated'
import { lineNetwork } from '../../../../../src/main/networks/line'
import { silentLogger } from '../../../../../src/main/base/log'
import type { ConnectorContext } from '../../../../../src/main/networks/connector'

/**
 * The LINE extension's public key, as its manifest carries it (`key`); Chrome derives the id
 * ophjlpahpchlmihnnnihgmmeilfjmjjc from it (the first test below checks exactly that).
 */
export const LINE_MANIFEST_KEY =
  'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAuOql7UFiY9pkxo4aAmuN2HHlZhNT5ws6knRdxYhOACJcm1sBfB7GIIMuBwtpYSb3B3m7jbrKqX2iDdgYLxE9ZmFjYgrD6p4D4H9/4FCz/a7h66vp0onNu2PmbZOEnpZKeCgUGMDDcXk673R8tPfkBbmuzQ0rvpc1Z8hWgHo1jLtnjpkTlH4vzu9FGRQFsCuqUzJPjoPpa2rozvTPpmiO2qfcqH3FJoGJbKwXIPZ74JI8cY//o6xFDVhugveN1VqoGZA8PsVliAa5fgBqDohfiv36xkuD88BqynKNn00hGibuXrj4L6mnR+9I68dhwAiXY01gihtI6KhbekToLfoJmwIDAQAB'

/** Another extension's key: a fresh RSA key, which gives some other id. */
const OTHER_KEY = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'der' }).toString('base64')

function context(config: Record<string, unknown>): ConnectorContext {
  return { config, log: silentLogger, keyStore: { get: () => null, list: () => [], commit: () => {} }, connectivity: { onOnline: () => () => {} } }
}

/** The default spawner, with a record of what it was asked to start. */
function recordingSpawn(): { spawn: SpawnIsolated; started: string[] } {
  const started: string[] = []
  return { started, spawn: (path) => (started.push(path), forkIsolated(path)) }
}

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

const signers: Array<{ close(): void }> = []

afterEach(() => {
  for (const s of signers.splice(0)) s.close()
  rmSync(root, { recursive: true, force: true })
})

function install(version: string, files = true, options: { key?: string; bundle?: string } = {}): string {
  const dir = join(root, '.config', 'google-chrome', 'Profile 1', 'Extensions', LINE_EXTENSION_ID, `${version}_0`)
  mkdirSync(join(dir, 'static', 'js'), { recursive: true })
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ name: 'LINE', key: options.key ?? LINE_MANIFEST_KEY, version }))
  if (files) {
    writeFileSync(join(dir, 'static', 'js', 'ltsmSandbox.js'), options.bundle ?? BUNDLE)
    writeFileSync(join(dir, 'ltsm.wasm'), Buffer.from([0, 0x61, 0x73, 0x6d]))
  }
  return dir
}

const env = () => ({ platform: 'linux' as const, home: root, env: {} })

describe('identifying the LINE extension', () => {
  it('derives the extension id from the manifest key as Chrome does', () => {
    expect(extensionIdOf(LINE_MANIFEST_KEY)).toBe(LINE_EXTENSION_ID)
    expect(extensionIdOf(OTHER_KEY)).toMatch(/^[a-p]{32}$/)
    expect(extensionIdOf(OTHER_KEY)).not.toBe(LINE_EXTENSION_ID)
    expect(extensionIdOf('not base64!')).toBeNull()
  })

  it('refuses a folder whose manifest key gives another id, before any of its code runs', async () => {
    const dir = install('3.7.2', true, { key: OTHER_KEY })
    const search = findLineExtension(dir, env())
    expect(search).toMatchObject({ found: null, refusal: 'line-signer' })
    // Even in the usual places, under the LINE extension's folder name.
    expect(findLineExtension(null, env())).toMatchObject({ found: null, refusal: 'line-signer' })
    expect(lineNetwork.setupProblem(context({ signerPath: dir }))).toEqual({
      code: 'setup-required',
      params: { what: 'line-signer', component: 'the LINE Chrome extension' }
    })
    // Handed straight to the loader, it is refused too, and no process is started.
    const { spawn, started } = recordingSpawn()
    const module = { dir, wasmPath: join(dir, 'ltsm.wasm'), sandboxPath: join(dir, 'static', 'js', 'ltsmSandbox.js'), version: '3.7.2' }
    await expect(loadLtsmSigner(module, { spawn })).rejects.toMatchObject({
      code: 'setup-required',
      reason: { code: 'setup-required', params: { what: 'line-signer', component: 'the LINE Chrome extension' } }
    })
    expect(started).toEqual([])
    // A manifest without a key is not the extension either.
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ version: '3.7.2' }))
    expect(findLineExtension(dir, env())).toMatchObject({ found: null, refusal: 'line-signer' })
  })

  it('refuses a version whose signatures are not known (spec §2.3: 3.7.1, 3.7.2) with its own reason', () => {
    const dir = install('3.8.0')
    expect(findLineExtension(dir, env())).toMatchObject({ found: null, refusal: 'line-signer-version', version: '3.8.0' })
    expect(lineNetwork.setupProblem(context({ signerPath: dir }))).toEqual({
      code: 'setup-required',
      params: { what: 'line-signer-version', component: 'the LINE Chrome extension', version: '3.8.0' }
    })
    // With a supported version beside it, that one is used.
    install('3.7.1')
    expect(findLineExtension(null, env()).found?.version).toBe('3.7.1')
  })
})

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
    // The add-account dialog words this reason and disables LINE.
    expect(lineNetwork.setupProblem(context({ signerPath: join(root, 'nope') }))).toEqual({
      code: 'setup-required',
      params: { what: 'line-signer', component: 'the LINE Chrome extension' }
    })
    expect(lineNetwork.setupProblem(context({ signerPath: join(root, '.config') }))).not.toBeNull()
    expect(lineNetwork.setupProblem(context({ signerPath: install('3.7.2') }))).toBeNull()
  })

  it('knows the profile folders of Linux, macOS and Windows', () => {
    expect(browserDataDirs({ platform: 'linux', home: '/home/a', env: {} })).toContain('/home/a/.config/chromium')
    expect(browserDataDirs({ platform: 'darwin', home: '/Users/a', env: {} })).toContain('/Users/a/Library/Application Support/Google/Chrome')
    expect(browserDataDirs({ platform: 'win32', home: 'C:\\Users\\a', env: { LOCALAPPDATA: 'C:\\Users\\a\\AppData\\Local' } })).toContain(
      'C:\\Users\\a\\AppData\\Local\\Google\\Chrome\\User Data'
    )
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
    const { spawn, started } = recordingSpawn()
    const signer = await loadLtsmSigner(found, { spawn })
    signers.push(signer)
    expect(started).toHaveLength(1)
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

  it('fails with a typed setup-required error when the bundle has no module', async () => {
    const dir = install('3.7.2')
    writeFileSync(join(dir, 'static', 'js', 'ltsmSandbox.js'), '(()=>{var o={1:e=>{e.exports=1}}})()')
    await expect(loadLtsmSigner(findLineExtension(dir, env()).found!)).rejects.toMatchObject({
      code: 'setup-required',
      reason: { code: 'setup-required', params: { what: 'line-signer', component: 'the LINE Chrome extension' } }
    })
  })

  it('fails with a typed error when the module does not start, and ends its process', async () => {
    const dir = install('3.7.2', true, { bundle: BUNDLE.replace('m.wasmBinary.length!==4', 'true') })
    await expect(loadLtsmSigner(findLineExtension(dir, env()).found!)).rejects.toMatchObject({
      code: 'setup-required',
      message: expect.stringContaining('no wasm')
    })
  })
})

/**
 * A planted bundle that tries to leave its sandbox: each byte of its "digest" says whether
 * one way out reached something (1) or nothing (0). Run isolated, every way is closed.
 */
const ESCAPES = `
function tries(){var out=[];function t(f){try{var v=f();out.push(v===undefined||v===null?0:1)}catch(e){out.push(0)}}
t(function(){return typeof process==='undefined'?undefined:process});
t(function(){return typeof require==='undefined'?undefined:require});
t(function(){return globalThis.constructor.constructor('return process')()});
t(function(){return this.constructor.constructor('return process')()});
t(function(){return Object.getPrototypeOf(globalThis).constructor.constructor('return process')()});
t(function(){return eval('1+1')});
t(function(){return Function('return 1')()});
t(function(){return r.constructor.constructor('return process')()});
t(function(){return e.constructor.constructor('return process')()});
t(function(){return crypto.getRandomValues.constructor('return process')()});
t(function(){return (function(){return this})().process});
t(function(){return typeof module!=='undefined'&&module.require?module.require('fs'):undefined});
t(function(){return typeof Buffer==='undefined'?undefined:Buffer});
t(function(){return typeof setTimeout.call==='function'&&setTimeout.constructor!==Function?setTimeout:undefined});
while(out.length<32)out.push(0);return new Uint8Array(out)}`

const ESCAPE_BUNDLE = `(()=>{var o={5:(e,t,r)=>{${ESCAPES}
e.exports=function(m){return Promise.resolve({SecureKey:{loadToken:function(){return{deriveKey:function(){return{}}}}},Hmac:function(){this.digest=function(){return tries()}}})}}};})();`.replace(
  'e.exports=function(m)',
  'var wasmBinary;e.exports=function(m)'
)

describe('the isolated signer', () => {
  it('gives a bundle that reaches for process, require or the Function constructor nothing', async () => {
    const dir = install('3.7.2', true, { bundle: ESCAPE_BUNDLE })
    const signer = await loadLtsmSigner(findLineExtension(dir, env()).found!)
    signers.push(signer)
    const bytes = [...Buffer.from(await signer.sign({ version: '3.7.2', accessToken: '', path: '/p', body: '' }), 'base64')]
    expect(bytes.slice(0, 14)).toEqual(new Array(14).fill(0))
  })

  it('runs in a process of its own that close() ends; a closed signer fails with a typed error', async () => {
    install('3.7.2')
    let exited!: Promise<void>
    const spawn: SpawnIsolated = (path) => {
      const child = forkIsolated(path)
      exited = new Promise((resolve) => child.on('exit', () => resolve()))
      return child
    }
    const signer = await loadLtsmSigner(findLineExtension(null, env()).found!, { spawn })
    await signer.sign({ version: '3.7.2', accessToken: '', path: '/p', body: '' })
    signer.close()
    await exited
    await expect(signer.sign({ version: '3.7.2', accessToken: '', path: '/p', body: '' })).rejects.toMatchObject({ code: 'setup-required' })
  })

  it('starts the isolated process with an empty environment and no inherited stdio', async () => {
    const probe = join(root, 'probe.mjs')
    // Reports what the process was given: its environment's names, and whether stdout and stderr are /dev/null.
    writeFileSync(
      probe,
      "import { fstatSync, statSync } from 'node:fs'; const nul = statSync('/dev/null'); const isNull = (fd) => fstatSync(fd).rdev === nul.rdev; process.send({ env: Object.keys(process.env), nullStdio: isNull(1) && isNull(2) })"
    )
    process.env.JUNCTION_SECRET_FOR_TEST = 'must not leak'
    try {
      const child = forkIsolated(probe)
      const report = await new Promise<{ env: string[]; nullStdio: boolean }>((resolve) =>
        child.on('message', (m) => resolve(m as { env: string[]; nullStdio: boolean }))
      )
      child.kill()
      expect(report.env.filter((k) => k !== 'NODE_CHANNEL_FD' && k !== 'NODE_CHANNEL_SERIALIZATION_MODE')).toEqual([])
      expect(report.nullStdio).toBe(true)
    } finally {
      delete process.env.JUNCTION_SECRET_FOR_TEST
    }
  })
})
