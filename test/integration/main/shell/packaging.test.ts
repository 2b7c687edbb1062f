// What can be checked of `npm run dist` on a machine without Electron's binary: the
// config loads through electron-builder's own loader and passes its schema; a real
// electron-builder run (`--dir`, with a stand-in Electron that carries the fuse sentinel)
// produces the app.asar we mean, with the native module unpacked and the fuses flipped;
// and that packaged app runs under the headless host with only what was packaged.
import { spawn, type ChildProcess } from 'node:child_process'
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { Configuration } from 'electron-builder'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DATABASE_FILE } from '../../../../src/main/core/profile'
import { tempDir } from '../../../helpers/core-harness'

const ROOT = resolve(__dirname, '../../../..')
// app-builder-lib is electron-builder's engine; these are its loader and schema check.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
  getConfig(projectDir: string, configPath: string | null, configFromOptions: unknown): Promise<Configuration>
  validateConfiguration(config: unknown, debugLogger: unknown): Promise<void>
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown }

const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'
const FUSES = [
  'RunAsNode',
  'EnableCookieEncryption',
  'EnableNodeOptionsEnvironmentVariable',
  'EnableNodeCliInspectArguments',
  'EnableEmbeddedAsarIntegrityValidation',
  'OnlyLoadAppFromAsar',
  'LoadBrowserProcessSpecificV8Snapshot',
  'GrantFileProtocolExtraPrivileges'
]

describe('electron-builder.yml', () => {
  it('loads with electron-builder’s loader and passes its schema', async () => {
    const config = await getConfig(ROOT, null, null)
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined()
    expect(config.appId).toBe('app.junction.desktop')
    expect(config.productName).toBe('Junction')
    expect(config.linux?.target).toEqual(['AppImage', 'deb'])
    expect(config.mac?.target).toEqual(['dmg'])
    expect(config.win?.target).toEqual(['nsis'])
    expect(config.asarUnpack).toContain('**/node_modules/better-sqlite3/**')
    // Signing and notarization are off unless scripts/dist.mjs is told otherwise.
    expect(config.forceCodeSigning).toBe(false)
    expect(config.mac?.notarize).toBe(false)
    expect(config.publish).toBeNull()
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true
    })
  })

  it('the schema check is real: a misspelt option is refused', async () => {
    const config = { ...(await getConfig(ROOT, null, null)), asarUnpak: ['x'] }
    await expect(validateConfiguration(config, new DebugLogger(false))).rejects.toThrow(/asarUnpak/)
  })

  it('the shell’s Windows AppUserModelID is the appId', () => {
    const paths = readFileSync(join(ROOT, 'src/main/shell/paths.ts'), 'utf8')
    expect(paths).toContain("APP_ID = 'app.junction.desktop'")
  })
})

describe('the packaged app', () => {
  const work = tempDir('junction-dist-')
  // linux-unpacked on x64, linux-arm64-unpacked on arm64.
  let appDir = ''
  let asarPath = ''
  let asar: typeof import('@electron/asar')
  let entries: string[] = []

  beforeAll(async () => {
    if (!existsSync(join(ROOT, 'out/main/index.js')) || !existsSync(join(ROOT, 'out/main/headless.js'))) {
      throw new Error('out/ is not built: run `npm run build` first (npm test does)')
    }
    // A stand-in for Electron's dist: an executable carrying the fuse wire (v1, 8 fuses, all
    // enabled), so electron-builder's @electron/fuses step has something real to flip.
    const fakeDist = join(work.path, 'electron-dist')
    mkdirSync(fakeDist, { recursive: true })
    writeFileSync(
      join(fakeDist, 'electron'),
      Buffer.concat([Buffer.from('#!/bin/sh\nexit 0\n'), Buffer.from(SENTINEL), Buffer.from([1, 8]), Buffer.from('11111111')])
    )
    chmodSync(join(fakeDist, 'electron'), 0o755)
    writeFileSync(join(fakeDist, 'version'), '45.4.1')
    writeFileSync(join(fakeDist, 'LICENSE'), 'stand-in')
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const builder = require('electron-builder') as typeof import('electron-builder')
    await builder.build({
      projectDir: ROOT,
      // The host's arch, so the packaged better-sqlite3 prebuild is one this machine can load.
      targets: builder.Platform.LINUX.createTarget('dir', process.arch === 'arm64' ? builder.Arch.arm64 : builder.Arch.x64),
      config: { electronDist: fakeDist, directories: { output: join(work.path, 'out') } }
    })
    appDir = join(
      work.path,
      'out',
      readdirSync(join(work.path, 'out')).find((d) => /^linux.*unpacked$/.test(d))!
    )
    asarPath = join(appDir, 'resources', 'app.asar')
    asar = await import('@electron/asar')
    entries = asar.listPackage(asarPath, { isPack: false })
  }, 240_000)
  afterAll(() => work.remove())

  it('flips the fuses in the Electron binary', () => {
    const binary = readFileSync(join(appDir, 'junction'))
    const at = binary.indexOf(SENTINEL) + SENTINEL.length
    expect(binary[at]).toBe(1)
    const wire = Object.fromEntries(FUSES.map((name, i) => [name, String.fromCharCode(binary[at + 2 + i]!)]))
    expect(wire).toEqual({
      RunAsNode: '0',
      EnableCookieEncryption: '1',
      EnableNodeOptionsEnvironmentVariable: '0',
      EnableNodeCliInspectArguments: '0',
      EnableEmbeddedAsarIntegrityValidation: '1',
      OnlyLoadAppFromAsar: '1',
      // Not configured: left as Electron ships it (here the stand-in's '1').
      LoadBrowserProcessSpecificV8Snapshot: '1',
      GrantFileProtocolExtraPrivileges: '0'
    })
  })

  it('puts the build, the runtime assets and package.json in app.asar', () => {
    for (const path of [
      '/out/main/index.js',
      '/out/main/headless.js',
      '/out/preload/index.js',
      '/out/renderer/index.html',
      '/package.json',
      '/resources/tray.png',
      '/resources/trayTemplate@2x.png',
      '/resources/icon.png'
    ]) {
      expect(entries).toContain(path)
    }
    expect(entries.some((e) => e.startsWith('/out/renderer/assets/') && e.endsWith('.js'))).toBe(true)
    const pkg = JSON.parse(asar.extractFile(asarPath, 'package.json').toString('utf8'))
    expect(pkg.main).toBe('./out/main/index.js')
    // Production dependencies that stay external in the main build.
    for (const dep of ['better-sqlite3', 'electron-updater', 'ws', 'protobufjs']) expect(entries).toContain(`/node_modules/${dep}/package.json`)
  })

  it('leaves out sources, tests, maps, docs, build assets and development packages', () => {
    const offenders = (re: RegExp): string[] => entries.filter((e) => re.test(e))
    expect(offenders(/^\/(src|test|scripts|build|docs|dist)(\/|$)/)).toEqual([])
    expect(offenders(/\.(map|ts|tsx|mts|cts)$/)).toEqual([])
    expect(offenders(/\/(readme|changelog|history|contributing)[^/]*\.(md|markdown|txt)$/i)).toEqual([])
    // Licences stay with the packages they belong to, whatever their extension.
    expect(entries).toContain('/node_modules/ms/license.md')
    expect(entries).toContain('/node_modules/ws/LICENSE')
    expect(
      offenders(/^\/(tsconfig[^/]*\.json|electron\.vite\.config\.ts|vitest\.config\.mts|eslint\.config\.mjs|\.prettierrc\.json|electron-builder\.yml)$/)
    ).toEqual([])
    expect(offenders(/\/node_modules\/better-sqlite3\/(deps|src)\//)).toEqual([])
    for (const dev of ['electron', 'electron-builder', 'vitest', 'react', 'react-dom', 'typescript', 'playwright', 'eslint', 'pngjs']) {
      expect(entries).not.toContain(`/node_modules/${dev}`)
    }
  })

  it('keeps only this platform’s better-sqlite3 prebuilds', () => {
    const prebuilds = entries.filter((e) => e.startsWith('/node_modules/better-sqlite3/prebuilds/')).map((e) => e.split('/').pop())
    const arch = process.arch === 'arm64' ? 'arm64' : 'x64'
    // `${platform}` in electron-builder.yml is the building machine's platform.
    expect(prebuilds.sort()).toEqual([...new Set([`${process.platform}-${arch}.node`, `linuxmusl-${arch}.node`])].sort())
  })

  it('unpacks better-sqlite3 (its native module cannot load from inside an asar)', () => {
    const addon = entries.find((e) => e.startsWith('/node_modules/better-sqlite3/') && e.endsWith('.node'))
    expect(addon).toBeDefined()
    expect(asar.statFile(asarPath, addon!.slice(1))).toMatchObject({ unpacked: true })
    expect(existsSync(join(appDir, 'resources', 'app.asar.unpacked', addon!.slice(1)))).toBe(true)
  })

  it('runs under the headless host with only what was packaged', async () => {
    // The packaged app, unpacked to a plain folder: node_modules here are the packaged ones only.
    const extracted = join(work.path, 'extracted')
    asar.extractAll(asarPath, extracted)
    cpSync(join(appDir, 'resources', 'app.asar.unpacked'), extracted, { recursive: true })
    const dataDir = join(work.path, 'data')
    const child: ChildProcess = spawn(process.execPath, [join(extracted, 'out/main/headless.js'), '--data-dir', dataDir, '--port', '0'], {
      cwd: extracted,
      env: { ...process.env, JUNCTION_LOG: 'warn', NODE_PATH: '' },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let stderr = ''
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()))
    try {
      const url = await new Promise<string>((resolveUrl, reject) => {
        let out = ''
        child.stdout!.on('data', (d: Buffer) => {
          out += d.toString()
          const m = /Open (http:\/\/127\.0\.0\.1:\d+\/\S*)/.exec(out)
          if (m) resolveUrl(m[1]!)
        })
        child.once('exit', (code) => reject(new Error(`headless host exited with ${code}: ${stderr}`)))
      })
      const page = await fetch(url)
      expect(page.status).toBe(200)
      expect(await page.text()).toContain('<div id="root"></div>')
      // The profile database exists: better-sqlite3 loaded from the unpacked folder.
      expect(existsSync(join(dataDir, DATABASE_FILE))).toBe(true)
    } finally {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r))
        child.kill('SIGTERM')
        await exited
      }
    }
  }, 60_000)
})
