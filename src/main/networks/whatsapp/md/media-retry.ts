// spec §8.5: media the server no longer has (403/404/410) is re-uploaded by our phone on
// request. The `server-error` receipt proves we hold the media key (AES-GCM under a key
// derived from it, the message id as AAD); the phone answers with a `mediaretry`
// notification carrying the new direct path, encrypted the same way.

import { JunctionError } from '../../../../shared/errors'
import type { BinaryNode } from './binary'
import { aesGcmOpen, aesGcmSeal, hkdf, randomBytesArray } from './crypto'
import { decodeProto, encodeProto } from './proto'
import { bytesOf, childOf, node } from './stanza'

/** MediaRetryNotification.result (spec §8.5). */
export const RETRY_SUCCESS = 1
const RETRY_NOT_FOUND = 2

export function mediaRetryKey(mediaKey: Uint8Array): Uint8Array {
  return hkdf(mediaKey, 32, null, 'WhatsApp Media Retry Notification')
}

export interface RetryTarget {
  id: string
  chat: string
  fromMe: boolean
  participant?: string
}

/** The receipt that asks our phone to upload the file again. */
export function mediaRetryReceipt(t: RetryTarget, ownPn: string, mediaKey: Uint8Array, iv = randomBytesArray(12)): BinaryNode {
  const aad = new TextEncoder().encode(t.id)
  const sealed = aesGcmSeal(mediaRetryKey(mediaKey), iv, encodeProto('ServerErrorReceipt', { stanzaId: t.id }), aad)
  return node('receipt', { id: t.id, to: ownPn, type: 'server-error' }, [
    node('encrypt', {}, [node('enc_p', {}, sealed), node('enc_iv', {}, iv)]),
    node('rmr', { jid: t.chat, from_me: String(t.fromMe), ...(t.participant ? { participant: t.participant } : {}) })
  ])
}

/** The new direct path from the phone's answer; a refusal or a bad tag is a typed error. */
export function openMediaRetry(n: BinaryNode, id: string, mediaKey: Uint8Array): string {
  const error = childOf(n, 'error')
  if (error) throw new JunctionError('not-found', 'The phone could not upload the file again.', { detail: error.attrs.code ?? '' })
  const enc = childOf(n, 'encrypt')
  const sealed = bytesOf(childOf(enc, 'enc_p'))
  const iv = bytesOf(childOf(enc, 'enc_iv'))
  if (!sealed || iv?.length !== 12) throw new JunctionError('protocol', 'The phone’s media retry answer is incomplete.')
  const plain = aesGcmOpen(mediaRetryKey(mediaKey), iv, sealed, new TextEncoder().encode(id))
  const answer = decodeProto<{ stanzaId?: string; directPath?: string; result?: number }>('MediaRetryNotification', plain)
  if (answer.stanzaId !== id) throw new JunctionError('protocol', 'The phone answered a media retry for another message.')
  if (answer.result !== RETRY_SUCCESS || !answer.directPath) {
    throw new JunctionError('not-found', answer.result === RETRY_NOT_FOUND ? 'The phone no longer has the file.' : 'The phone could not upload the file again.')
  }
  return answer.directPath
}

/** Notifications awaited by message id, bounded by a timeout each. */
export class MediaRetryWaiters {
  private readonly waiting = new Map<string, (n: BinaryNode) => void>()

  wait(id: string, timeoutMs: number): Promise<BinaryNode> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id)
        reject(new JunctionError('timeout', 'The phone did not upload the file again in time.'))
      }, timeoutMs)
      this.waiting.set(id, (n) => {
        clearTimeout(timer)
        this.waiting.delete(id)
        resolve(n)
      })
    })
  }

  /** A `mediaretry` notification; false when nobody waits for it. */
  deliver(n: BinaryNode): boolean {
    const waiter = this.waiting.get(n.attrs.id ?? '')
    waiter?.(n)
    return waiter !== undefined
  }
}
