// Imports point down the layers of docs/architecture.md; see test/helpers/layering.ts for
// the rules. Each rule is also shown to catch a planted violation in a copy of the tree.

import { cpSync, mkdtempSync, rmSync, writeFileSync, readFileSync, appendFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { NETWORK_IDS } from '../../src/shared/model'
import { checkLayers, networkLiterals, type Rule } from '../helpers/layering'

const ROOT = resolve(__dirname, '../..')

describe('layering of the real tree', () => {
  const { imports, violations } = checkLayers(ROOT)

  it('finds the source files and import forms it checks', () => {
    expect(imports.length).toBeGreaterThan(200)
  })

  for (const rule of Object.keys(violations) as Rule[]) {
    it(`holds: ${rule}`, () => {
      expect(violations[rule]).toEqual([])
    })
  }

  it('no network id literal outside src/main/networks (NETWORK_IDS aside)', () => {
    expect(networkLiterals(ROOT, NETWORK_IDS)).toEqual([])
  })
})

describe('the layering test catches what is planted', () => {
  const copy = mkdtempSync(join(tmpdir(), 'junction-layers-'))
  cpSync(join(ROOT, 'src'), join(copy, 'src'), { recursive: true })
  writeFileSync(join(copy, 'package.json'), readFileSync(join(ROOT, 'package.json')))
  afterAll(() => rmSync(copy, { recursive: true, force: true }))

  // One planted file per rule, each using a different import form.
  const plants: Array<{ rule: Rule; file: string; text: string }> = [
    { rule: 'electron-only-in-shell', file: 'src/main/core/planted.ts', text: `const e = require('electron')\nexport default e\n` },
    { rule: 'shared-imports-nothing', file: 'src/shared/planted.ts', text: `import 'zod'\n` },
    { rule: 'renderer-no-node', file: 'src/renderer/src/planted.ts', text: `export const db = import('better-sqlite3')\n` },
    { rule: 'preload-only-shared', file: 'src/preload/planted.ts', text: `export { Core } from '../main/core/core'\n` },
    { rule: 'base-at-the-bottom', file: 'src/main/base/planted.ts', text: `import '../core/core'\n` },
    { rule: 'network-folder-self-contained', file: 'src/main/networks/skype/planted.ts', text: `export * from '../line/config'\n` },
    {
      rule: 'network-folder-self-contained',
      file: 'src/main/networks/whatsapp/planted-react.ts',
      text: `import { useState } from 'react'\nexport { useState }\n`
    },
    { rule: 'network-folder-self-contained', file: 'src/main/networks/line/planted-core.ts', text: `import '../../core/core'\n` },
    { rule: 'network-contract-below-networks', file: 'src/main/networks/planted.ts', text: '' },
    {
      rule: 'core-reaches-networks-only-through-contract',
      file: 'src/main/core/planted-line.ts',
      text: `import { parseConfig } from '../networks/line/config'\nexport { parseConfig }\n`
    },
    { rule: 'core-reaches-only-down', file: 'src/main/core/planted-host.ts', text: `export type { Host } from '../host/host'\n` },
    { rule: 'host-without-electron', file: 'src/main/host/planted.ts', text: `import '../ipc'\n` }
  ]

  for (const plant of plants) {
    it(`fails on a planted violation of ${plant.rule} (${plant.file})`, () => {
      const path = join(copy, plant.file)
      if (plant.rule === 'network-contract-below-networks') {
        // The contract files themselves: connector.ts reaching up into core.
        const connector = join(copy, 'src/main/networks/connector.ts')
        const before = readFileSync(connector, 'utf8')
        appendFileSync(connector, `\nexport type { Core } from '../core/core'\n`)
        try {
          expect(checkLayers(copy).violations[plant.rule]).toEqual(['src/main/networks/connector.ts → ../core/core'])
        } finally {
          writeFileSync(connector, before)
        }
        return
      }
      writeFileSync(path, plant.text)
      try {
        const found = checkLayers(copy).violations[plant.rule]
        expect(found.length).toBe(1)
        expect(found[0]).toMatch(new RegExp(`^${plant.file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} → `))
      } finally {
        rmSync(path)
      }
    })
  }

  it('fails on a planted network id literal in core', () => {
    const path = join(copy, 'src/main/core/planted-literal.ts')
    writeFileSync(path, `export const special = (n: string) => n === 'line'\n`)
    try {
      expect(networkLiterals(copy, NETWORK_IDS)).toEqual([`src/main/core/planted-literal.ts:1: export const special = (n: string) => n === 'line'`])
    } finally {
      rmSync(path)
    }
  })
})
