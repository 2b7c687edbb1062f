// The reference server's Registration rules (spec §5.4), driven command by command with the
// client's codec: a missing cookie and one rotated out are refused with 715 in the MSNP24
// error form (§12.1), the cookie rotates on PNG, and BND on the live connection renews it
// (§11.2's re-registration), voiding the old ones.

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { silentLogger } from '../../../../../src/main/base/log'
import { challengeResponse, MSNP24_PRODUCT, randomGuid } from '../../../../../src/main/networks/skype/crypto'
import { msnpCodeOf } from '../../../../../src/main/networks/skype/errors'
import type { MsnpCommand } from '../../../../../src/main/networks/skype/msnp/framing'
import { formatBlocks, splitTopBlock, type HeaderList } from '../../../../../src/main/networks/skype/msnp/mime'
import { athXml, bindXml, challengeXml, connectXml } from '../../../../../src/main/networks/skype/msnp/payloads'
import { MsnpSocket } from '../../../../../src/main/networks/skype/transport'
import { startSkypeServer, type SkypeServer } from '../../../../servers/skype/server'
import { ALICE } from '../../../../servers/skype/users'

let server: SkypeServer

beforeAll(async () => {
  server = await startSkypeServer({ tls: false })
})
afterAll(async () => {
  await server?.close()
})

const cookieOf = (reply: MsnpCommand): string | undefined => splitTopBlock(reply.payload ?? new Uint8Array()).top.get('Set-Registration')

async function signedIn(): Promise<{
  socket: MsnpSocket
  cookie: string
  epid: string
  send(name: string, typeId: string, top: HeaderList, body?: string): Promise<MsnpCommand>
}> {
  const socket = await MsnpSocket.connect({ host: '127.0.0.1', port: server.msnp24.port, tls: false }, silentLogger, 5_000)
  const send = (name: string, typeId: string, top: HeaderList, body = ''): Promise<MsnpCommand> =>
    socket.request((trid) => ({ name, trid, args: [typeId], payload: formatBlocks([top], body) }))
  await send('CNT', 'CON', [], connectXml(null))
  const ticket = server.world.issueToken('alice', 'service::ssl.live.com::MBI_SSL', 3600)
  await send('ATH', 'CON\\USER', [], athXml({ ticket, uic: '', email: ALICE.email, skypeName: ALICE.skypeName }))
  const epid = randomGuid()
  const bind = await send('BND', 'CON\\MSGR', [], bindXml(epid))
  const cookie = cookieOf(bind)!
  const nonce = /<nonce>(\d+)<\/nonce>/.exec(splitTopBlock(bind.payload!).rest.toString())![1]!
  await send('PUT', 'MSGR\\CHALLENGE', [['Registration', cookie]], challengeXml(MSNP24_PRODUCT.id, challengeResponse(nonce, MSNP24_PRODUCT)))
  return { socket, cookie, epid, send }
}

describe('the reference server and the Registration cookie', () => {
  it('refuses a missing cookie and one rotated out with 715, and accepts the latest', async () => {
    const { socket, cookie: first, send } = await signedIn()
    try {
      const missing = await send('PNG', 'CON', []).catch((e: unknown) => e)
      expect(msnpCodeOf(missing)).toBe(715)
      const second = cookieOf(await send('PNG', 'CON', [['Registration', first]]))!
      const third = cookieOf(await send('PNG', 'CON', [['Registration', second]]))!
      expect(new Set([first, second, third]).size).toBe(3)
      // Two rotations later the first cookie is stale; the one before the latest is still within the grace.
      expect(msnpCodeOf(await send('PNG', 'CON', [['Registration', first]]).catch((e: unknown) => e))).toBe(715)
      const fourth = cookieOf(await send('PNG', 'CON', [['Registration', second]]))!
      expect(fourth).toMatch(/^[A-Za-z0-9+/=]+$/)
    } finally {
      socket.close()
    }
  })

  it('renews the cookie on a BND over the live connection and voids every earlier one', async () => {
    const { socket, cookie: old, epid, send } = await signedIn()
    try {
      // Only the endpoint that bound may register again.
      expect(msnpCodeOf(await send('BND', 'CON\\MSGR', [], bindXml(randomGuid())).catch((e: unknown) => e))).toBe(201)
      const renewed = cookieOf(await send('BND', 'CON\\MSGR', [], bindXml(epid)))!
      expect(renewed).not.toBe(old)
      expect(msnpCodeOf(await send('PNG', 'CON', [['Registration', old]]).catch((e: unknown) => e))).toBe(715)
      expect(cookieOf(await send('PNG', 'CON', [['Registration', renewed]]))).toBeDefined()
      // An expired registration refuses even the latest cookie until the endpoint binds again.
      server.expireRegistration('alice')
      expect(msnpCodeOf(await send('PNG', 'CON', [['Registration', renewed]]).catch((e: unknown) => e))).toBe(715)
    } finally {
      socket.close()
    }
  })
})
