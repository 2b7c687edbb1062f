// The LINE Connector's configuration: endpoints (the real service by default), the
// transport, the signer, and timings. Validated once; a bad shape is a typed error.

import { z } from 'zod'
import { JunctionError } from '../../../shared/errors'
import { isRequestSigner, type RequestSigner } from './signer'
import type { SpawnIsolated } from './signer/isolated'

const httpUrl = z
  .string()
  .url()
  .refine((u) => /^https?:\/\//.test(u), 'must be http(s)')
  .transform((u) => u.replace(/\/+$/, ''))

const timing = z
  .object({
    /** spec §4.1: QR poll retries back off 1 s, 2 s, 4 s… capped at 30 s. */
    qrRetryBaseMs: z.number().int().min(0).default(1_000),
    qrRetryMaxMs: z.number().int().min(0).default(30_000),
    /** How many QR codes (sessions) to show before giving up. */
    qrAttempts: z.number().int().min(1).max(20).default(3),
    /** spec §7.1: reconnect 1 s doubling to 30 s. */
    reconnectBaseMs: z.number().int().min(1).default(1_000),
    reconnectMaxMs: z.number().int().min(1).default(30_000),
    /** spec §7.1: LINE advertises 140 s; clients give up on a silent stream after 150 s. */
    streamIdleMs: z.number().int().min(50).default(150_000),
    requestTimeoutMs: z.number().int().min(50).default(30_000),
    /** Added to X-LST before a long poll is considered lost. */
    longPollGraceMs: z.number().int().min(0).default(15_000),
    /** spec §4.2: JQ polls 180 s, LF1/PIN 110 s; how many windows to wait for the phone. */
    loginPollWindows: z.number().int().min(1).max(20).default(3),
    /** spec §7.2: operations per fetchOperations call. */
    pollCount: z.number().int().min(1).max(500).default(50),
    /** Refresh this long before the token's refresh time is reached. */
    refreshEarlySec: z.number().int().min(0).default(60),
    /** spec §8.7: the Go bridge caches a negotiated peer key for an hour. */
    peerKeyTtlMs: z.number().int().min(0).default(3_600_000),
    /** When bootstrap messages that could not be read are tried again (bootstrap.ts), attempt by attempt. */
    rereadDelaysMs: z.array(z.number().int().min(0)).max(10).default([2_000, 15_000, 60_000, 300_000])
  })
  .prefault({})

const schema = z.object({
  gatewayUrl: httpUrl.default('https://line-chrome-gw.line-apps.com'),
  obsUrl: httpUrl.default('https://obs.line-apps.com'),
  stickerUrl: httpUrl.default('https://stickershop.line-scdn.net'),
  /** spec §6.7: profile and group pictures, `<profileUrl>/<picturePath>/preview` (public). */
  profileUrl: httpUrl.default('https://profile.line-scdn.net'),
  /** spec §9.1: the legy host of the legacy Thrift endpoints. */
  legacyUrl: httpUrl.default('https://legy-jp.line.naver.jp'),
  /** `legacy`: sendMessage and the operation stream over /S3 or /S4 Thrift (spec §9). */
  transport: z.enum(['gateway', 'legacy']).default('gateway'),
  /** 3 = TBinaryProtocol (/S3), 4 = TCompactProtocol (/S4, polls on /P4). */
  legacyProtocol: z.enum(['binary', 'compact']).default('compact'),
  /** `auto`: SSE, falling back to long polling (spec §7.2) when the stream is unavailable. */
  events: z.enum(['auto', 'sse', 'poll']).default('auto'),
  chromeVersion: z
    .string()
    .regex(/^\d+(\.\d+){1,3}$/)
    .optional(),
  /** X-LAL: locale with an underscore (spec §2.1). */
  locale: z
    .string()
    .regex(/^[a-z]{2}_[A-Z]{2}$/)
    .default('en_US'),
  userAgent: z.string().max(512).default('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/146.0.0.0 Safari/537.36'),
  /** loginV2's systemName (capture 002: "Chrome"). */
  systemName: z.string().max(64).default('Chrome'),
  signer: z.custom<RequestSigner>((v) => v === undefined || isRequestSigner(v), 'must have a sign() function').optional(),
  /** The `signerPath` setting: the LINE Chrome extension's folder (NetworkDefinition.settings). */
  signerPath: z.string().min(1).max(4096).nullish(),
  /**
   * How to start the isolated signer process (issue 11 point 12): child_process.fork by default;
   * the Electron shell passes one that uses utilityProcess.fork, and the built runner's path.
   */
  spawnIsolated: z.custom<SpawnIsolated>((v) => v === undefined || typeof v === 'function', 'must be a function').optional(),
  signerRunner: z.string().min(1).max(4096).optional(),
  timing
})

export type LineConfig = Omit<z.infer<typeof schema>, 'chromeVersion'> & { chromeVersion: string | null }
export type LineTiming = LineConfig['timing']

/** spec §2.1: the extension version the signatures and the X-Line-Chrome-Version header agree on. */
export const DEFAULT_CHROME_VERSION = '3.7.2'

export function parseLineConfig(raw: Record<string, unknown>): LineConfig {
  const result = schema.safeParse(raw ?? {})
  if (!result.success) {
    const issue = result.error.issues[0]
    throw new JunctionError('invalid-argument', `The LINE configuration is not valid: ${issue ? `${issue.path.join('.')} ${issue.message}` : 'bad shape'}.`, {
      reason: { code: 'setup-required', params: { what: 'line-config', component: 'valid LINE settings' } }
    })
  }
  return { ...result.data, chromeVersion: result.data.chromeVersion ?? null }
}
