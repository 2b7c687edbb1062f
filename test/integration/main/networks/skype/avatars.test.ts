// Skype (MSNP24) contact pictures through Core (issue 12 §3): the Skype token from
// `rps/skypetoken` (spec §10.4), the contacts service's `profile.avatar_url` (§11.5) as each
// contact's picture token, the picture downloaded only when asked for, once; a contact without
// one shows initials; a new URL after a contacts refresh is a new picture. The own picture for
// the rail from the single-profile request (§11.5 `users/batch/profiles`, `avatarUrl`).

import type { Browser } from 'playwright'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium } from '../../../../helpers/browser'
import { eventually } from '../../../../helpers/events'
import { SkypeAvatars } from '../../../../servers/skype/avatars'
import { addAccountWithBrowser, startSkypeHarness, type SkypeHarness } from './harness'

let browser: Browser
let s: SkypeHarness
let accountId: string

const BOB = '8:bob.smith'
const CAROL = '8:carol.jones'

beforeAll(async () => {
  browser = await launchChromium()
  s = await startSkypeHarness({ server: { seed: true } })
  s.server.avatars.set('bob')
  s.server.avatars.set('alice')
  accountId = await addAccountWithBrowser(s.core, browser)
})

afterAll(async () => {
  await s?.close()
  await browser?.close()
})

describe('Skype contact pictures', () => {
  it('takes the avatar_url of each contact from the contacts service and fetches it when asked', async () => {
    const contacts = await eventually(async () => {
      const list = await s.core.handlers.listContacts({ accountId })
      return list.some((c) => c.remoteId === BOB && c.avatar) ? list : undefined
    })
    expect(contacts.find((c) => c.remoteId === CAROL)?.avatar).toBeUndefined()
    expect(s.server.avatars.served).toEqual([])
    const bob = await s.core.avatar(accountId, BOB)
    expect(bob.mime).toBe('image/png')
    expect(Buffer.from(bob.bytes).equals(SkypeAvatars.bytesOf('bob.smith', s.server.avatars.versionOf('bob')!))).toBe(true)
    await s.core.avatar(accountId, BOB)
    expect(s.server.avatars.served).toHaveLength(1)
    await expect(s.core.avatar(accountId, CAROL)).rejects.toMatchObject({ code: 'not-found' })
  })

  it('shows the own picture that the profile names, fetched once when asked', async () => {
    const account = await eventually(async () => (await s.core.handlers.listAccounts()).find((a) => a.id === accountId && a.avatar))
    expect(account.avatar).toBeTruthy()
    const before = s.server.avatars.served.length
    const own = await s.core.avatar(accountId, account.selfId)
    expect(own.mime).toBe('image/png')
    expect(Buffer.from(own.bytes).equals(SkypeAvatars.bytesOf('live:alice_1', s.server.avatars.versionOf('alice')!))).toBe(true)
    await s.core.avatar(accountId, account.selfId)
    expect(s.server.avatars.served.length).toBe(before + 1)
  })
})
