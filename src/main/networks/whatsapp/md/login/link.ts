// Linking a new device (spec §5.2–§5.6): registration connections, each answered by QR
// pairing (refs renewed across connections, at most MAX_QR_CODES codes) or by phone-number
// pairing, until pair-success; then the 515 restart (§5.5). Split from protocol.ts.

import { JunctionError } from '../../../../../shared/errors'
import type { Logger } from '../../../../base/log'
import type { LoginIO } from '../../../connector'
import type { WhatsAppMdConfig } from '../config'
import { createCredentials, type MdCredentials } from '../credentials'
import { RestartRequired } from '../errors'
import type { MdSession } from '../session'
import { pairByCode } from './pairing-code'
import { buildRegistrationPayload, encodeDeviceProps } from './payload'
import { pairByQr } from './qr'

/** spec §5.2: after this many QR codes without a scan, the login gives up. */
const MAX_QR_CODES = 18

export interface LinkDeps {
  config: WhatsAppMdConfig
  log: Logger
  open(payload: Uint8Array, creds: MdCredentials, signal?: AbortSignal): Promise<MdSession>
}

/** Resolves with the paired credentials; `phone` set links with a code (§5.6) instead of a QR. */
export async function linkDevice(d: LinkDeps, io: LoginIO, phone: string | null): Promise<MdCredentials> {
  const fresh = createCredentials()
  const c = d.config
  const registration = buildRegistrationPayload(
    c.version,
    {
      registrationId: fresh.registrationId,
      identityPublic: fresh.identityKey.public,
      signedPreKey: { id: fresh.signedPreKey.id, public: fresh.signedPreKey.keyPair.public, signature: fresh.signedPreKey.signature }
    },
    encodeDeviceProps(c.deviceName, c.devicePlatformType)
  )
  const progress = { shown: 0, max: MAX_QR_CODES }
  let paired: MdCredentials | null = null
  while (!paired) {
    if (io.signal.aborted) throw new JunctionError('cancelled', 'The login was cancelled.')
    if (progress.shown >= progress.max) throw new JunctionError('timeout', 'No phone scanned the QR code in time.', { reason: { code: 'timeout' } })
    const session = await d.open(registration, fresh, io.signal)
    io.step({ kind: 'progress', stage: 'waiting-for-scan' })
    try {
      paired = phone
        ? await pairByCode(session, fresh, io, phone, { platformId: c.qrPlatform, platformDisplay: `${c.deviceName} (Desktop)` })
        : await pairByQr(session, fresh, io, { firstQrMs: c.firstQrMs, nextQrMs: c.nextQrMs, platform: c.qrPlatform }, progress)
    } catch (error) {
      session.end(undefined)
      throw error
    }
    if (!paired) {
      session.end(undefined)
      await session.ended
      continue
    }
    // spec §5.5: the server answers the pairing with 515; credentials are kept before reconnecting.
    const why = await Promise.race([session.ended, new Promise((r) => setTimeout(r, c.requestTimeoutMs, 'timeout'))])
    if (!(why instanceof RestartRequired)) d.log.warn({ why: why instanceof Error ? why.message : String(why) }, 'pairing ended without 515')
    session.end(undefined)
  }
  return paired
}
