// The headless host's profile-picture route (issue 12 §3): `/avatar/<accountId>/<remoteId>/<version>`
// is token-checked like `/media/`, and names an account and a remote id, never a file.

import { request } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestHost, type HostHarness } from '../../../helpers/host-harness'

let h: HostHarness
let token: string

beforeAll(async () => {
  h = await startTestHost()
  token = new URL(h.host.url).searchParams.get('token')!
})

afterAll(() => h.close())

function status(path: string, method = 'GET'): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: h.host.port, path, method, headers: { host: `127.0.0.1:${h.host.port}` } }, (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode!))
    })
    req.on('error', reject)
    req.end()
  })
}

describe('the /avatar/ route', () => {
  it('refuses anyone without the launch token', async () => {
    expect(await status('/avatar/acc_1/u-bob/v1')).toBe(403)
    expect(await status(`/avatar/acc_1/u-bob/v1?token=${'x'.repeat(token.length)}`)).toBe(403)
  })

  it('answers a token holder with 204 for a picture Core does not have, and 404 for malformed paths', async () => {
    // No picture is no content (the page shows initials and logs no failed request).
    expect(await status(`/avatar/acc_1/u-bob/v1?token=${token}`)).toBe(204)
    expect(await status(`/avatar/..%2F..%2Fjunction.db/x/v1?token=${token}`)).toBe(404)
    expect(await status(`/avatar/acc_1/u-bob?token=${token}`)).toBe(404)
  })

  it('is told to the page in AppInfo, with the token', async () => {
    const info = await h.host.core.handlers.getAppInfo()
    expect(info.avatars).toEqual({ base: '/avatar/', query: `?token=${encodeURIComponent(token)}` })
  })
})
