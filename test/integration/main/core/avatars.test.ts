// Avatars and the nickname through Core's Api (issue 12 §3), with the fake network: the
// nickname is stored and announced, survives a restart, and leaves the network's name alone;
// AppInfo says where pictures are served.

import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { addAccountByQr, createHarness, type Harness } from '../../../helpers/core-harness'
import { waitFor } from '../../../helpers/events'
import { FakeNetwork } from '../../../doubles/fake-network'

let h: Harness
let accountId: string

beforeEach(async () => {
  const net = new FakeNetwork({ qrTtlMs: 2_000 })
  net.addUser('alice@c.us', 'Alice')
  h = await createHarness({ net, core: { mediaUrl: { base: '/media/', query: '?token=t' }, avatarUrl: { base: '/avatar/', query: '?token=t' } } })
  accountId = await addAccountByQr(h.core, h.net, 'alice@c.us')
})

afterEach(() => h.close())

describe('the account nickname', () => {
  it('is stored, announced, kept over a restart, and cleared back to the network name', async () => {
    const before = (await h.core.handlers.listAccounts())[0]!
    const heard = waitFor(h.core.events, 'account', (a) => a.nickname === 'Work phone')
    const renamed = await h.core.handlers.renameAccount({ accountId, nickname: 'Work phone' })
    expect(renamed).toMatchObject({ id: accountId, nickname: 'Work phone', displayName: before.displayName })
    await heard
    await h.restart()
    expect((await h.core.handlers.listAccounts())[0]?.nickname).toBe('Work phone')
    const cleared = await h.core.handlers.renameAccount({ accountId, nickname: null })
    expect(cleared.nickname).toBeUndefined()
    expect(cleared.displayName).toBe(before.displayName)
  })

  it('is refused for an account that does not exist', async () => {
    await expect(h.core.handlers.renameAccount({ accountId: 'acc_gone', nickname: 'x' })).rejects.toMatchObject({ code: 'not-found' })
  })
})

describe('where pictures are served', () => {
  it('is in AppInfo, beside media', async () => {
    expect((await h.core.handlers.getAppInfo()).avatars).toEqual({ base: '/avatar/', query: '?token=t' })
  })

  it('is not-found for a contact without a picture', async () => {
    await expect(h.core.avatar(accountId, 'nobody@c.us')).rejects.toMatchObject({ code: 'not-found' })
  })
})
