// The legacy protocol's settings (`ctx.config`), validated, with the real service as default.
// Tests point `url` and `mediaHost` at the reference server and shrink the timing knobs.

import { z } from 'zod'
import { JunctionError, type Reason } from '../../../../shared/errors'

const wsUrl = z
  .string()
  .url()
  .refine((u) => /^wss?:\/\//.test(u), 'must be a ws:// or wss:// URL')
const httpOrigin = z
  .string()
  .url()
  .refine((u) => /^https?:\/\//.test(u), 'must be an http(s) URL')

export const configSchema = z.strictObject({
  /** spec §1.1: all libraries since 2019 use the bare host. */
  url: wsUrl.default('wss://web.whatsapp.com/ws'),
  /** spec §1.1: without this Origin the server refuses the upgrade. */
  origin: httpOrigin.default('https://web.whatsapp.com'),
  /** Replaces scheme, host and port of media URLs (e.g. a reference server); null keeps the message's URL. */
  mediaHost: httpOrigin.nullable().default(null),
  /** spec §2.1: the WA Web version triple; too old a version gets `["Cmd",{"type":"update"}]`. */
  version: z.tuple([z.number().int().min(0), z.number().int().min(0), z.number().int().min(0)]).default([2, 2147, 14]),
  /** spec §2.1: what the phone lists under "WhatsApp Web" is the first string. */
  browser: z.tuple([z.string().min(1), z.string().min(1), z.string().min(1)]).default(['Junction', 'Desktop', '0.1']),
  requestTimeoutMs: z.number().int().min(10).max(600_000).default(20_000),
  /** spec §1.4: 20 s, and the link counts as lost after ~25–30 s of silence. */
  keepAliveIntervalMs: z.number().int().min(10).max(600_000).default(20_000),
  linkLostAfterMs: z.number().int().min(20).max(600_000).default(27_000),
  /** The supervisor's back-off (networks/supervisor.ts): first wait and cap. */
  reconnectBaseMs: z.number().int().min(1).max(600_000).default(1_000),
  reconnectMaxMs: z.number().int().min(1).max(3_600_000).default(60_000),
  /** How often the supervisor probes the endpoint while it waits after an unreachable network. */
  probeIntervalMs: z.number().int().min(10).max(600_000).default(3_000),
  /** How long to wait after login for the pushed chat and contact lists before querying them. */
  syncWaitMs: z.number().int().min(0).max(600_000).default(5_000),
  /** The largest media file fetchMedia downloads. */
  maxMediaBytes: z
    .number()
    .int()
    .min(1)
    .max(1024 * 1024 * 1024)
    .default(64 * 1024 * 1024)
})

export type WhatsAppConfig = z.infer<typeof configSchema>

export function parseConfig(raw: Record<string, unknown>): WhatsAppConfig {
  const result = configSchema.safeParse(raw)
  if (!result.success) {
    const first = result.error.issues[0]
    const where = first?.path.join('.') || 'config'
    throw new JunctionError('invalid-argument', `The WhatsApp settings are not valid: ${where} ${first?.message ?? 'is wrong'}.`)
  }
  return result.data
}

/** For `setupProblem`: why the settings cannot be used (the renderer words it), or null. */
export function configProblem(raw: Record<string, unknown>): Reason | null {
  const result = configSchema.safeParse(raw)
  if (result.success) return null
  const first = result.error.issues[0]
  return { code: 'setup-required', params: { what: 'settings', detail: first?.path.join('.') || 'config' } }
}
