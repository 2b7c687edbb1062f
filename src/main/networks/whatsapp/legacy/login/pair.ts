// spec §2.1–§2.6: a fresh pairing. `admin init`, the QR `ref,publicKey,clientId`, ref
// renewal (§2.3), then `Conn` with `secret` → session keys (§2.5/§2.6).

import { randomBytes } from 'node:crypto'
import { JunctionError, ProtocolError } from '../../../../../shared/errors'
import type { LoginIO } from '../../../connector'
import { deriveSessionKeys, generateKeyPair } from '../crypto'
import type { WhatsAppConfig } from '../config'
import { multiDeviceError, updateRequiredError } from '../errors'
import type { WASocket } from '../transport'
import { rerefReplySchema } from '../wire-schemas'
import { b64, checkInit, credentialsFrom, initCommand, jsonOf, PushQueue, type Established } from './handshake'

/** spec §2.3: about five renewals per connection, so six codes in all. */
export const MAX_QR_ATTEMPTS = 6

/** spec §2.1–§2.5: a fresh pairing by QR. Resolves once the phone has scanned and the keys check out. */
export async function pair(socket: WASocket, config: WhatsAppConfig, io: LoginIO): Promise<Established> {
  const pushes = new PushQueue(socket)
  try {
    const clientId = b64(randomBytes(16))
    const keyPair = generateKeyPair()
    let { ref, ttl } = checkInit(jsonOf(await socket.request(initCommand(config, clientId), { long: true }), 'admin init'))
    for (let attempt = 1; ; attempt++) {
      const expiresAt = Date.now() + ttl
      io.step({ kind: 'qr', payload: `${ref},${b64(keyPair.publicKey)},${clientId}`, expiresAt, attempt, maxAttempts: MAX_QR_ATTEMPTS })
      for (;;) {
        const push = await pushes.next(expiresAt, io.signal)
        if (!push) break
        if (push === 'poked') continue
        if (push.type === 'cmd') {
          if (push.cmd.type === 'upgrade_md_prod') throw multiDeviceError()
          if (push.cmd.type === 'update') throw updateRequiredError()
          continue
        }
        if (!push.conn.secret) continue
        io.step({ kind: 'progress', stage: 'verifying' })
        const keys = deriveSessionKeys(keyPair.privateKey, Buffer.from(push.conn.secret, 'base64'))
        socket.setKeys(keys)
        return { credentials: credentialsFrom(push.conn, clientId, keys), keys, conn: push.conn }
      }
      if (attempt >= MAX_QR_ATTEMPTS) throw new JunctionError('timeout', 'No phone scanned the QR code in time.', { reason: { code: 'timeout' } })
      // spec §2.3: same key pair and client id; only the ref changes.
      const reply = rerefReplySchema.safeParse(jsonOf(await socket.request(['admin', 'Conn', 'reref']), 'reref'))
      if (!reply.success) throw new ProtocolError('WhatsApp answered reref with an unexpected shape.')
      if (reply.data.status === 200 && reply.data.ref) {
        ref = reply.data.ref
        if (reply.data.ttl && reply.data.ttl > 0) ttl = reply.data.ttl
      } else if (reply.data.status === 429) {
        throw new JunctionError('rate-limited', 'WhatsApp will not issue more QR codes on this connection.', {
          retryable: false,
          detail: '429',
          reason: { code: 'rate-limited', params: { detail: 'qr-codes' } }
        })
      } else if (reply.data.status !== 304) {
        throw new ProtocolError(`WhatsApp answered reref with status ${reply.data.status}.`)
      }
    }
  } finally {
    pushes.dispose()
  }
}
