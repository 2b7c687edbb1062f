// spec §2.7: a restore. `admin init` with the stored client id plus `admin login …
// takeover`, the optional HMAC challenge, and `Conn` with rotated tokens.

import { JunctionError, ProtocolError } from '../../../../../shared/errors'
import { challengeAnswer, type SessionKeys } from '../crypto'
import type { WhatsAppConfig } from '../config'
import type { WACredentials } from '../credentials'
import { challengeRefusedError, damagedCredentialsError, disconnectError, loginStatusError, multiDeviceError, updateRequiredError } from '../errors'
import type { Reply, WASocket } from '../transport'
import { statusReplySchema, type ConnInfo } from '../wire-schemas'
import { credentialsFrom, initCommand, jsonOf, PushQueue, type Established } from './handshake'

/** spec §2.7: restores a saved session. Rejects with a typed error for every refusal the spec lists. */
export async function resume(socket: WASocket, config: WhatsAppConfig, saved: WACredentials, signal?: AbortSignal): Promise<Established> {
  const pushes = new PushQueue(socket)
  const keys: SessionKeys = { encKey: Buffer.from(saved.encKey, 'base64'), macKey: Buffer.from(saved.macKey, 'base64') }
  if (keys.encKey.length !== 32 || keys.macKey.length !== 32) throw damagedCredentialsError()
  socket.setKeys(keys)
  const outcome: { error: JunctionError | null; loginOk: boolean } = { error: null, loginOk: false }
  const watch = (reply: Promise<Reply>, onValue: (value: unknown) => void): void => {
    reply.then(
      (r) => {
        try {
          onValue(jsonOf(r, 'the login'))
        } catch (error) {
          outcome.error ??= error instanceof JunctionError ? error : new ProtocolError('Unexpected login reply.')
        }
        pushes.poke()
      },
      (error: unknown) => {
        outcome.error ??= error instanceof JunctionError ? error : new JunctionError('network', 'The login failed.')
        pushes.poke()
      }
    )
  }
  try {
    // spec §2.7: init (its ref ignored) and, without waiting, the login with a new long tag.
    watch(socket.request(initCommand(config, saved.clientId), { long: true }), (value) => {
      if (Array.isArray(value)) throw updateRequiredError()
    })
    watch(socket.request(['admin', 'login', saved.clientToken, saved.serverToken, saved.clientId, 'takeover'], { long: true }), (value) => {
      const reply = statusReplySchema.safeParse(value)
      if (!reply.success) throw new ProtocolError('WhatsApp answered the login with an unexpected shape.')
      if (reply.data.status !== 200) throw loginStatusError(reply.data.status, reply.data)
      outcome.loginOk = true
    })
    const deadline = Date.now() + config.requestTimeoutMs
    let conn: ConnInfo | null = null
    let challenged = false
    for (;;) {
      if (outcome.error) throw outcome.error
      // go waits for the 200 after `s1 Conn`; after a challenge the challenge's own 200 stands in for it.
      if (conn && (outcome.loginOk || challenged)) break
      const next = await pushes.next(deadline, signal)
      if (next === 'poked') continue
      if (next === null) throw new JunctionError('timeout', 'WhatsApp did not answer the login in time.', { reason: { code: 'timeout' } })
      if (next.type === 'conn') {
        conn = next.conn
        continue
      }
      const cmd = next.cmd
      if (cmd.type === 'challenge' && cmd.challenge) {
        // spec §2.7: prove possession of macKey with a bare HMAC of the challenge bytes.
        const answer = challengeAnswer(keys.macKey, cmd.challenge)
        const reply = statusReplySchema.safeParse(
          jsonOf(await socket.request(['admin', 'challenge', answer, saved.serverToken, saved.clientId]), 'the challenge')
        )
        if (!reply.success || reply.data.status !== 200) throw challengeRefusedError()
        challenged = true
      } else if (cmd.type === 'upgrade_md_prod') throw multiDeviceError()
      else if (cmd.type === 'update') throw updateRequiredError()
      else if (cmd.type === 'disconnect') throw disconnectError(cmd.kind)
    }
    return { credentials: credentialsFrom(conn, saved.clientId, keys, saved), keys, conn }
  } finally {
    pushes.dispose()
  }
}
