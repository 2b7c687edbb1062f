// spec §2.5: the saved legacy session, what a restore needs (WA Web kept the same in
// localStorage). `protocol: 'legacy'` tells the WhatsApp connector which protocol owns it;
// credentials saved before the multi-device protocol existed lack it and are legacy too.

import { z } from 'zod'
import type { Credentials } from '../../connector'
import { damagedCredentialsError } from './errors'

export const LEGACY_PROTOCOL = 'legacy'

export const credentialsSchema = z.object({
  protocol: z.literal(LEGACY_PROTOCOL).optional(),
  clientId: z.string().min(1).max(64),
  clientToken: z.string().min(1).max(1024),
  serverToken: z.string().min(1).max(1024),
  browserToken: z.string().max(1024).optional(),
  encKey: z.string().min(1).max(64),
  macKey: z.string().min(1).max(64),
  wid: z.string().min(3).max(128)
})
export type WACredentials = z.infer<typeof credentialsSchema> & { protocol: typeof LEGACY_PROTOCOL }

/** Saved credentials as the legacy session; a typed `credentials-damaged` error when they cannot be one. */
export function parseCredentials(raw: Credentials): WACredentials {
  const parsed = credentialsSchema.safeParse(raw)
  if (!parsed.success) throw damagedCredentialsError()
  return { ...parsed.data, protocol: LEGACY_PROTOCOL }
}

/** What is handed to Core to seal in the Vault. */
export function toSaved(c: WACredentials): Credentials {
  return { ...c }
}
