// The MSNP18 reference server keeps its state under a state dir (issue 11 point 8):
// restarted on the same dir it knows the display name set earlier, the lists changed
// earlier and the tickets it issued, so a saved sign-in still works.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { startMsnp18Server } from '../../../../../servers/skype/msnp18/server'
import { FL } from '../../../../../servers/skype/msnp18/world'
import { contactActions } from '../../../../../../src/main/networks/skype/msnp18/contact-actions'
import { signIn } from './harness'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

describe('MSNP18 reference server state', () => {
  it('resumes names, lists and tickets after a restart on the same state dir', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'msnp18-state-'))
    dirs.push(dir)
    const first = await startMsnp18Server({ stateDir: dir })
    expect(first.restored).toBe(false)
    const alice = await signIn(first)
    await alice.session.setDisplayName('Alice A.')
    await contactActions(alice.session, alice.book).add('dave@example.com')
    alice.session.close()
    await first.close()
    expect(JSON.parse(readFileSync(join(dir, 'msnp18.json'), 'utf8')).v).toBe(1)

    const second = await startMsnp18Server({ stateDir: dir })
    try {
      expect(second.restored).toBe(true)
      expect(second.world.get('alice@example.com')?.friendly).toBe('Alice A.')
      expect(second.world.bits('alice@example.com', 'dave@example.com') & FL).toBe(FL)
      // The ticket issued before the restart still signs in.
      const again = await signIn(second, { tickets: alice.tickets })
      expect(again.rec.contacts[0]!.contacts.map((c) => c.account)).toContain('dave@example.com')
      again.session.close()
    } finally {
      await second.close()
    }
  })
})
