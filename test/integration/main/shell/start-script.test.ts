// `npm start` without Electron's binary explains itself in two lines and exits non-zero
// (issue 13 §9). This machine has no binary, so the real script is spawned as a person runs it.
import { spawnSync } from 'node:child_process'
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { tempDir } from '../../../helpers/core-harness'
// @ts-expect-error: a plain ESM script without types
import { electronBinaryPath, missingElectronMessage } from '../../../../scripts/start.mjs'

const ROOT = resolve(__dirname, '../../../..')
const env = { ...process.env }
delete env.ELECTRON_OVERRIDE_DIST_PATH
const binaryMissing = missingElectronMessage(ROOT, env) !== null
if (!binaryMissing)
  process.stdout.write('start-script: the spawn check is skipped — this machine has an Electron binary, so `npm start` would launch the app\n')

describe('npm start', () => {
  it.skipIf(!binaryMissing)('says what is missing and how to get it, in two lines, with exit code 1 and no stack trace', () => {
    const run = spawnSync(process.execPath, [join(ROOT, 'scripts/start.mjs')], { cwd: ROOT, env, encoding: 'utf8', timeout: 30_000 })
    expect(run.status).toBe(1)
    expect(run.stdout).toBe('')
    const lines = run.stderr.trimEnd().split('\n')
    expect(lines).toHaveLength(2)
    expect(lines[0]).toMatch(/Electron's binary is missing \(node_modules\/electron\/dist\//)
    expect(lines[1]).toContain('node node_modules/electron/install.js')
    expect(lines[1]).toContain('npm run sandbox')
    expect(run.stderr).not.toMatch(/^\s+at /m)
    expect(run.stderr).not.toMatch(/Error:/)
  })

  it('finds the binary where Electron would, including ELECTRON_OVERRIDE_DIST_PATH', () => {
    const dir = tempDir('junction-electron-')
    try {
      const root = join(dir.path, 'project')
      mkdirSync(join(root, 'node_modules/electron'), { recursive: true })
      writeFileSync(join(root, 'node_modules/electron/package.json'), '{}')
      writeFileSync(join(root, 'node_modules/electron/path.txt'), 'electron')
      expect(missingElectronMessage(root, {}, 'linux')?.[0]).toContain('node_modules/electron/dist/electron')
      const dist = join(dir.path, 'dist')
      mkdirSync(dist)
      writeFileSync(join(dist, 'electron'), '#!/bin/sh\n')
      chmodSync(join(dist, 'electron'), 0o755)
      expect(electronBinaryPath(root, { ELECTRON_OVERRIDE_DIST_PATH: dist }, 'linux')).toBe(join(dist, 'electron'))
      expect(missingElectronMessage(root, { ELECTRON_OVERRIDE_DIST_PATH: dist }, 'linux')).toBeNull()
      // Without path.txt (the download never ran), the platform's usual name.
      expect(electronBinaryPath(join(dir.path, 'none'), {}, 'darwin')).toBe(
        join(dir.path, 'none/node_modules/electron/dist/Electron.app/Contents/MacOS/Electron')
      )
      expect(missingElectronMessage(join(dir.path, 'none'), {}, 'linux')?.[0]).toContain('the electron package is not installed')
    } finally {
      dir.remove()
    }
  })
})
