// The Skype Connector's endpoints and settings (spec §10.6: every host is
// configurable). Defaults are the real Microsoft services; the sandbox and the tests
// point every one of them at the reference server on 127.0.0.1.

import { z } from 'zod'

const url = z
  .string()
  .url()
  .refine((u) => /^https?:\/\//.test(u), 'must be an http(s) URL')

/** spec §10.3: the per-service scopes the refresh token is exchanged for. */
export const DEFAULT_SERVICE_SCOPES = {
  loginSkype: 'service::login.skype.com::MBI_SSL',
  contacts: 'service::contacts.msn.com::MBI_SSL',
  hotmail: 'service::m.hotmail.com::MBI_SSL',
  ssl: 'service::ssl.live.com::MBI_SSL'
} as const
export type ServiceName = keyof typeof DEFAULT_SERVICE_SCOPES

const schema = z
  .object({
    /** spec §10.1: Skype 6.x's OAuth client id. */
    clientId: z.string().min(1).max(64).default('00000000480BC46C'),
    /** spec §10.1 / §17: `service::skype.com::MBI_SSL` (2014) or `service::lw.skype.com::MBI_SSL` (2017). */
    scope: z.string().min(1).max(200).default('service::skype.com::MBI_SSL'),
    serviceScopes: z
      .object({ loginSkype: z.string().min(1), contacts: z.string().min(1), hotmail: z.string().min(1), ssl: z.string().min(1) })
      .strict()
      .default({ ...DEFAULT_SERVICE_SCOPES }),
    authorizeUrl: url.default('https://login.live.com/oauth20_authorize.srf'),
    tokenUrl: url.default('https://login.live.com/oauth20_token.srf'),
    /** The only redirect Live accepts for Skype's client id (spec §10.1); Electron's sign-in window watches for it. */
    desktopRedirectUri: url.default('https://login.live.com/oauth20_desktop.srf'),
    /** spec §4.3: Passport RST2, for the MSNP21 (WLM / Escargot-style) login. */
    passportUrl: url.default('https://login.live.com/RST2.srf'),
    apiUrl: url.default('https://api.skype.com'),
    /** spec §11.5: the web-era contacts service, read for the contacts' `avatar_url` (skype/avatars.ts). */
    contactsUrl: url.default('https://contacts.skype.com'),
    /** spec §13.1: the Skype 2014 capture's address-book host; `ServiceHeader/PreferredHostName` is followed. */
    /**
     * The AMS object store of photos and files (not in the spec: skype4pidgin's SKYPEWEB_XFER_HOST
     * and SkPy's sendFile use it); only objects under it are downloaded (media-uriobject.ts).
     */
    amsUrl: url.default('https://api.asm.skype.com/'),
    abchUrl: url.default('https://proxy-blu-people.directory.live.com/abservice'),
    activeSyncUrl: url.default('https://m.hotmail.com/Microsoft-Server-ActiveSync'),
    /** spec §14.4: ActiveSync is partly guessed, so it can be turned off; the SOAP address book still runs. */
    activeSync: z.boolean().default(true),
    msnpDialect: z.enum(['msnp24', 'msnp21']).default('msnp24'),
    /** Defaults per dialect (spec §2): MSNP24 TLS to s.gateway.messenger.live.com:443, MSNP21 plain TCP to messenger.hotmail.com:1863. */
    msnpHost: z.string().min(1).max(253).optional(),
    msnpPort: z.number().int().min(1).max(65535).optional(),
    msnpTls: z.boolean().optional(),
    /** Extra CA certificates (PEM) to trust for the MSNP TLS connection, e.g. a reference server's. */
    msnpCa: z
      .string()
      .max(64 * 1024)
      .optional(),
    /**
     * The "Messenger (revival service)" sign-in when its server field is left empty:
     * msnp18.md §8 — Escargot's notification server `msnmsgr.escargot.chat:1863` and
     * `https://msnmsgr.escargot.chat` for every HTTP service (RST2/RST, ABCH, OIM, RSI), as
     * WebOne's `escargot.conf` maps them (citing Escargot's wiki page `urls-used-by-msn`).
     */
    messengerHost: z.string().min(1).max(253).default('msnmsgr.escargot.chat'),
    messengerPort: z.number().int().min(1).max(65535).default(1863),
    messengerServicesUrl: url.default('https://msnmsgr.escargot.chat'),
    /** msnp18.md §5.7: a switchboard with no traffic for this long is closed (reopened on the next message). */
    switchboardIdleMs: z
      .number()
      .int()
      .min(1_000)
      .max(3_600_000)
      .default(5 * 60_000),
    /** Refresh tokens this long before they expire (spec §10.6: about an hour). */
    refreshMarginMs: z
      .number()
      .int()
      .min(0)
      .default(60 * 60 * 1000),
    requestTimeoutMs: z.number().int().min(100).max(300_000).default(20_000),
    reconnectBaseMs: z.number().int().min(1).max(600_000).default(2_000),
    reconnectMaxMs: z.number().int().min(1).max(3_600_000).default(300_000),
    /** Seconds between MSNP24 PNGs before the server says otherwise (Miranda starts at 45). */
    pingIntervalSec: z.number().int().min(1).max(3_600).default(45),
    machineName: z.string().min(1).max(64).default('JUNCTION')
  })
  .strict()

export type SkypeConfig = z.infer<typeof schema> & { msnpHost: string; msnpPort: number; msnpTls: boolean }

export class SkypeConfigError extends Error {}

export function parseSkypeConfig(raw: Record<string, unknown>): SkypeConfig {
  const result = schema.safeParse(raw)
  if (!result.success) {
    const issue = result.error.issues[0]!
    throw new SkypeConfigError(`Skype setting "${issue.path.join('.') || '(root)'}": ${issue.message}`)
  }
  const c = result.data
  const msnp24 = c.msnpDialect === 'msnp24'
  return {
    ...c,
    msnpHost: c.msnpHost ?? (msnp24 ? 's.gateway.messenger.live.com' : 'messenger.hotmail.com'),
    msnpPort: c.msnpPort ?? (msnp24 ? 443 : 1863),
    msnpTls: c.msnpTls ?? msnp24
  }
}

/** The problem with a configuration, in words, or null when it is usable. */
export function configProblem(raw: Record<string, unknown>): string | null {
  try {
    parseSkypeConfig(raw)
    return null
  } catch (error) {
    return error instanceof SkypeConfigError ? error.message : 'The Skype settings could not be read.'
  }
}
