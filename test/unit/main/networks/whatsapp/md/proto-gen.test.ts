// The runtime loads md/proto/gen/whatsapp-md.json; this checks it is exactly what pbjs makes
// of md/proto/whatsapp-md.proto today, so the two cannot drift. (pbjs runs offline.)

import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

const ROOT = resolve(__dirname, '../../../../../..')
const PROTO = 'src/main/networks/whatsapp/md/proto/whatsapp-md.proto'
const GENERATED = 'src/main/networks/whatsapp/md/proto/gen/whatsapp-md.json'

describe('WhatsApp multi-device protobuf descriptor', () => {
  it('matches a fresh `pbjs -t json --keep-case` of the .proto file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wamd-proto-'))
    try {
      const out = join(dir, 'whatsapp-md.json')
      execFileSync(join(ROOT, 'node_modules/.bin/pbjs'), ['-t', 'json', '--keep-case', '-o', out, PROTO], { cwd: ROOT, stdio: 'pipe' })
      expect(JSON.parse(readFileSync(join(ROOT, GENERATED), 'utf8'))).toEqual(JSON.parse(readFileSync(out, 'utf8')))
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }, 60_000)
})
