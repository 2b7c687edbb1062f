// The runtime loads proto/gen/whatsapp.json; this checks it is exactly what pbjs makes of
// proto/whatsapp.proto today, so the two cannot drift. (pbjs runs offline.)

import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

const ROOT = resolve(__dirname, '../../../../../..')
const PROTO = 'src/main/networks/whatsapp/legacy/proto/whatsapp.proto'
const GENERATED = 'src/main/networks/whatsapp/legacy/proto/gen/whatsapp.json'

describe('WhatsApp protobuf descriptor', () => {
  it('matches a fresh `pbjs -t json --keep-case` of the .proto file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wa-proto-'))
    try {
      const out = join(dir, 'whatsapp.json')
      execFileSync(join(ROOT, 'node_modules/.bin/pbjs'), ['-t', 'json', '--keep-case', '-o', out, PROTO], { cwd: ROOT, stdio: 'pipe' })
      expect(JSON.parse(readFileSync(join(ROOT, GENERATED), 'utf8'))).toEqual(JSON.parse(readFileSync(out, 'utf8')))
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
