// spec §5.2: QR pairing on a registration connection — acknowledge pair-device, show one QR
// per ref (the first for 60 s, the others for 20 s), and finish on pair-success (§5.4).

import { JunctionError } from '../../../../../shared/errors'
import type { LoginIO } from '../../../connector'
import type { BinaryNode } from '../binary'
import type { MdCredentials } from '../credentials'
import type { MdSession } from '../session'
import { childOf, childrenOf, node, S_WHATSAPP_NET, textOf } from '../stanza'
import { completePairing, pairErrorReply, PairingRefused } from './pair-success'

const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64')

export function qrText(ref: string, creds: MdCredentials, platform: string): string {
  return `https://wa.me/settings/linked_devices#${ref},${b64(creds.noiseKey.public)},${b64(creds.identityKey.public)},${b64(creds.advSecret)},${platform}`
}

export interface QrTiming {
  firstQrMs: number
  nextQrMs: number
  platform: string
}

/** How many QR codes have been shown so far, across connections (each one is an attempt). */
export interface QrProgress {
  shown: number
  max: number
}

/**
 * Runs pairing on one registration connection. Resolves with the paired credentials (the
 * server then sends 515), or null when this connection's refs ran out (the caller reconnects
 * for fresh refs, spec §5.2).
 */
export function pairByQr(session: MdSession, creds: MdCredentials, io: LoginIO, timing: QrTiming, progress: QrProgress): Promise<MdCredentials | null> {
  return new Promise<MdCredentials | null>((resolve, reject) => {
    let refs: string[] = []
    let timer: NodeJS.Timeout | null = null
    let done = false
    const finish = (value: MdCredentials | null, error?: unknown): void => {
      if (done) return
      done = true
      if (timer) clearTimeout(timer)
      io.signal.removeEventListener('abort', onAbort)
      if (error) reject(error)
      else resolve(value)
    }
    const onAbort = (): void => finish(null, new JunctionError('cancelled', 'The login was cancelled.'))
    io.signal.addEventListener('abort', onAbort)
    void session.ended.then((why) => finish(null, why ?? new JunctionError('network', 'The WhatsApp connection closed during pairing.')))
    const showNext = (first: boolean): void => {
      const ref = refs.shift()
      if (ref === undefined || progress.shown >= progress.max) return finish(null)
      progress.shown++
      const ttl = first ? timing.firstQrMs : timing.nextQrMs
      io.step({ kind: 'qr', payload: qrText(ref, creds, timing.platform), expiresAt: Date.now() + ttl, attempt: progress.shown, maxAttempts: progress.max })
      timer = setTimeout(() => showNext(false), ttl)
    }
    session.onStanza((n: BinaryNode) => {
      if (n.tag !== 'iq' || n.attrs.xmlns !== 'md' || n.attrs.type !== 'set') return
      const id = n.attrs.id ?? ''
      const pairDevice = childOf(n, 'pair-device')
      if (pairDevice) {
        session.send(node('iq', { to: S_WHATSAPP_NET, type: 'result', id }))
        // Refs renewed by the server replace the ones not yet shown.
        refs = childrenOf(pairDevice)
          .filter((c) => c.tag === 'ref')
          .map((c) => textOf(c) ?? '')
          .filter(Boolean)
        if (timer) clearTimeout(timer)
        showNext(true)
        return
      }
      if (childOf(n, 'pair-success')) {
        if (timer) clearTimeout(timer)
        io.step({ kind: 'progress', stage: 'verifying' })
        try {
          const paired = completePairing(n, creds)
          session.send(paired.reply)
          finish(paired.credentials)
        } catch (error) {
          const text = error instanceof PairingRefused ? error.code401Text : 'internal-error'
          session.send(pairErrorReply(id, error instanceof PairingRefused ? '401' : '500', text))
          finish(null, error)
        }
      }
    })
  })
}
