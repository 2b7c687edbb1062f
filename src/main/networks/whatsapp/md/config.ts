// The multi-device Connector's endpoints and settings. Defaults are the real service (spec
// §1.1, §2.4, §4.3); the sandbox and the tests point `wsUrl` at the reference server and pass
// its root key as `noiseRootPublicKey`. The client version is data, not code (spec §4.3, §13.7).

import { z } from 'zod'
import { ProtocolError, type Reason } from '../../../../shared/errors'

/** WhatsAppLongTerm1, serial 0 (spec §2.4), pinned by both open implementations. */
export const WHATSAPP_ROOT_PUBLIC_KEY = '142375574d0a587166aae71ebe516437c4a28b73e3695c6ce1f7f9545da8ee6b'

const hex32 = z.string().regex(/^[0-9a-f]{64}$/i, 'must be 32 bytes of hex')
const key32 = z.union([
  hex32.transform((h) => Uint8Array.from(Buffer.from(h, 'hex'))),
  z.instanceof(Uint8Array).refine((k) => k.length === 32, 'must be 32 bytes')
])

const schema = z.object({
  wsUrl: z
    .string()
    .url()
    .refine((u) => /^wss?:\/\//.test(u), 'must be a ws(s) URL')
    .default('wss://web.whatsapp.com/ws/chat'),
  /** spec §1.1: both libraries send it; the reference server checks it. */
  origin: z.string().min(1).max(200).default('https://web.whatsapp.com'),
  noiseRootPublicKey: key32.optional(),
  /** 2.3000.N, N = WA Web's client revision (spec §4.2; Baileys rc14's value). */
  clientVersion: z
    .string()
    .regex(/^\d+\.\d+\.\d+$/, 'must look like 2.3000.1035194821')
    .default('2.3000.1035194821'),
  /** What the phone lists under Linked devices (spec §4.2 DeviceProps, §14.2: Junction's own). */
  deviceName: z.string().min(1).max(50).default('Junction'),
  /** DeviceProps.PlatformType DESKTOP (spec §4.2). */
  devicePlatformType: z.number().int().min(0).max(30).default(7),
  /** The QR's PLATFORM field: 7 = Electron (spec §5.2). */
  qrPlatform: z
    .string()
    .regex(/^[0-9a-e]$/)
    .default('7'),
  /** spec §6.2: both libraries upload 812 when the server has none. */
  initialPreKeys: z.number().int().min(1).max(812).default(812),
  /** The supervisor's back-off (networks/supervisor.ts): first wait and cap. */
  reconnectBaseMs: z.number().int().min(1).max(600_000).default(1_000),
  reconnectMaxMs: z.number().int().min(1).max(3_600_000).default(60_000),
  /** How often the supervisor probes the endpoint while it waits after an unreachable network. */
  probeIntervalMs: z.number().int().min(10).max(600_000).default(3_000),
  requestTimeoutMs: z.number().int().min(100).max(300_000).default(20_000),
  handshakeTimeoutMs: z.number().int().min(100).max(120_000).default(20_000),
  /** spec §4.9: 20–30 s with jitter, 10 s answer timeout. */
  keepAliveMinMs: z.number().int().min(50).default(20_000),
  keepAliveMaxMs: z.number().int().min(50).default(30_000),
  /** spec §10.3: how long the login waits for the next history chunk before it finishes without the rest. */
  historyWaitMs: z.number().int().min(0).max(600_000).default(15_000),
  /** spec §7.4: how long after a decryption failure our phone is asked for the message (both libraries: ~5 s). */
  placeholderResendMs: z.number().int().min(0).max(600_000).default(5_000),
  /** spec §5.2: the first QR for 60 s, each further one for 20 s. */
  firstQrMs: z.number().int().min(10).default(60_000),
  nextQrMs: z.number().int().min(10).default(20_000),
  /** spec §8.3–§8.4: replaces the media_conn hosts (`http(s)://host[:port]`, a reference server); absent: the real hosts over https. */
  mediaHost: z
    .string()
    .url()
    .refine((u) => /^https?:\/\//.test(u), 'must be an http(s) URL')
    .optional(),
  /** The largest media file downloaded (the blob, before decryption). */
  maxMediaBytes: z
    .number()
    .int()
    .min(1)
    .default(128 * 1024 * 1024),
  /** Unix-seconds clock for the certificate validity checks (spec §2.4); tests inject one. */
  clock: z.custom<() => number>((v) => typeof v === 'function', 'must be a function').optional()
})

export interface WhatsAppMdConfig extends Omit<z.infer<typeof schema>, 'clock' | 'noiseRootPublicKey'> {
  noiseRootPublicKey: Uint8Array
  version: { primary: number; secondary: number; tertiary: number }
  nowSeconds: () => number
}

/** For `setupProblem`: why the multi-device settings cannot be used (the renderer words it), or null. */
export function mdConfigProblem(raw: Record<string, unknown>): Reason | null {
  const result = schema.safeParse(raw)
  if (result.success) return null
  return { code: 'setup-required', params: { what: 'settings', detail: `md.${result.error.issues[0]?.path.join('.') || 'config'}` } }
}

export function parseWhatsAppMdConfig(raw: Record<string, unknown>): WhatsAppMdConfig {
  const result = schema.safeParse(raw)
  if (!result.success) {
    const issue = result.error.issues[0]!
    throw new ProtocolError(`WhatsApp setting "${issue.path.join('.') || '(root)'}": ${issue.message}`)
  }
  const { clock, noiseRootPublicKey, ...rest } = result.data
  const [primary, secondary, tertiary] = rest.clientVersion.split('.').map(Number) as [number, number, number]
  return {
    ...rest,
    noiseRootPublicKey: noiseRootPublicKey ?? Uint8Array.from(Buffer.from(WHATSAPP_ROOT_PUBLIC_KEY, 'hex')),
    version: { primary, secondary, tertiary },
    nowSeconds: clock ? () => Number(clock()) : () => Math.floor(Date.now() / 1000)
  }
}
