// What a Skype account keeps in the vault. A Microsoft-account sign-in keeps its refresh
// token and the per-service tokens; a Passport (MSNP21) sign-in keeps the password,
// because RST2 tickets are short-lived and can only be renewed with it (spec §4.3); so does a
// Messenger (revival service) sign-in, with its server and dialect.

import { z } from 'zod'
import { JunctionError } from '../../../shared/errors'
import type { Credentials } from '../connector'

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

const token = z.object({ accessToken: z.string().min(1), expiresAt: z.number(), obtainedAt: z.number() })
export type StoredToken = z.infer<typeof token>

const common = {
  v: z.literal(1),
  selfId: z.string().min(3),
  email: z.string(),
  displayName: z.string(),
  /** spec §1.2: one endpoint id per installation, kept so a restart is the same endpoint. */
  epid: z.string().regex(GUID),
  /** spec §14.2: the ActiveSync device id (`Skype-<digits>`). */
  deviceId: z.string().min(1).max(64)
}

const browser = z.object({
  ...common,
  method: z.literal('browser'),
  skypeName: z.string().min(1),
  refreshToken: z.string().min(1),
  tokens: z.record(z.string(), token)
})

const passport = z.object({ ...common, method: z.literal('passport'), password: z.string().min(1) })

/**
 * "Messenger (revival service)" (issue 16): a password, the server the person named (absent =
 * the configured default, msnp18.md §8) and the dialect negotiation settled on, so a restore
 * speaks it at once.
 */
const messenger = z.object({
  ...common,
  method: z.literal('messenger'),
  password: z.string().min(1),
  server: z
    .object({ host: z.string().min(1).max(253), port: z.number().int().min(1).max(65535), servicesUrl: z.string().url() })
    .strict()
    .optional(),
  dialect: z.enum(['msnp18', 'msnp21']).optional()
})

const shape = z.discriminatedUnion('method', [browser, passport, messenger])

export type SkypeCredentials = z.infer<typeof shape>
export type BrowserCredentials = z.infer<typeof browser>
export type PassportCredentials = z.infer<typeof passport>
export type MessengerCredentials = z.infer<typeof messenger>
export type MessengerServer = NonNullable<MessengerCredentials['server']>

export function readCredentials(raw: Credentials): SkypeCredentials {
  const parsed = shape.safeParse(raw)
  if (!parsed.success)
    throw new JunctionError('auth-failed', 'The saved Skype sign-in cannot be read. Sign in again.', { reason: { code: 'credentials-damaged' } })
  return parsed.data
}
