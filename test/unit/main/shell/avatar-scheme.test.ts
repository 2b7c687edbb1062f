// `junction-media://avatar/<accountId>/<remoteId>/<version>` (issue 12 §3): the Electron side of
// profile pictures. The path names an account and a remote id, never a file; anything else is 404.

import { describe, expect, it } from 'vitest'
import { JunctionError } from '../../../../src/shared/errors'
import { answerMediaRequest, parseAvatarPath } from '../../../../src/main/shell/media-scheme'

const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
const noMedia = async (): Promise<never> => {
  throw new JunctionError('not-found', 'none')
}
const asked: [string, string][] = []
const avatar = async (accountId: string, remoteId: string) => {
  asked.push([accountId, remoteId])
  if (remoteId === 'offline') throw new JunctionError('unavailable', 'offline')
  if (remoteId === 'none') throw new JunctionError('not-found', 'no picture')
  return { mime: 'image/png', bytes: png }
}

describe('junction-media://avatar/', () => {
  it('serves the picture of the account and remote id in the path, inline and inert', async () => {
    const a = await answerMediaRequest('junction-media://avatar/acc_abc123/8%3Alive%3Abob/1x2y', 'GET', noMedia, avatar)
    expect(a.status).toBe(200)
    expect(a.headers['Content-Type']).toBe('image/png')
    expect(a.headers['Content-Security-Policy']).toContain('sandbox')
    expect(a.body).toEqual(png)
    expect(asked.at(-1)).toEqual(['acc_abc123', '8:live:bob'])
  })

  it('answers a missing or unreachable picture with a status the <img> falls back on', async () => {
    // None: no content (initials, and no failed request in the page's console); unreachable: 503.
    expect((await answerMediaRequest('junction-media://avatar/acc_1/none/v1', 'GET', noMedia, avatar)).status).toBe(204)
    expect((await answerMediaRequest('junction-media://avatar/acc_1/offline/v1', 'GET', noMedia, avatar)).status).toBe(503)
  })

  it('refuses paths that are not an account, a remote id and a version', () => {
    expect(parseAvatarPath('/acc_1/u-bob/v1')).toEqual({ accountId: 'acc_1', remoteId: 'u-bob' })
    expect(parseAvatarPath('/acc_1/u-bob')).toBeNull()
    expect(parseAvatarPath('/acc_1/u-bob/v1/extra')).toBeNull()
    expect(parseAvatarPath('/../u-bob/v1')).toBeNull()
    expect(parseAvatarPath('/acc_1/%E0%A4%A/v1')).toBeNull()
    expect(parseAvatarPath('/acc_1/a%0Ab/v1')).toBeNull()
    expect(parseAvatarPath('/acc_1/u-bob/V-1')).toBeNull()
  })

  it('is 404 without an avatar source, and media still works beside it', async () => {
    expect((await answerMediaRequest('junction-media://avatar/acc_1/u-bob/v1', 'GET', noMedia)).status).toBe(404)
    expect((await answerMediaRequest('junction-media://media/7', 'GET', noMedia, avatar)).status).toBe(404)
  })
})
