// The reference server's envelopes (spec §1.2, §1.3, capture 002) and small HTTP helpers.

import type { IncomingMessage } from 'node:http'

/** A failure the gateway answers with: HTTP status and envelope. */
export class GatewayFault extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
    readonly headers: Record<string, string> = {}
  ) {
    super(String(body.message ?? 'fault'))
  }
}

/** capture 002: `{"name":"TalkException","message":"TalkException","code":N,"reason":"…","parameterMap":…}`. */
export function talkError(code: number, reason: string, parameterMap: Record<string, string> | null = null): GatewayFault {
  return new GatewayFault(400, {
    code: 10051,
    message: 'RESPONSE_ERROR',
    data: { name: 'TalkException', message: 'TalkException', code, reason, parameterMap }
  })
}

/** spec §1.3: the QR services wrap a SecondaryQrCodeException `{code, alertMessage}`. */
export function qrError(code: number, alertMessage: string): GatewayFault {
  return new GatewayFault(400, { code: 10051, message: 'RESPONSE_ERROR', data: { code, alertMessage } })
}

export function outerError(code: number, message: string, status = 400): GatewayFault {
  return new GatewayFault(status, { code, message, data: null })
}

/** spec §4.1: a long-poll window that ends without an answer. */
export function pollTimeout(): GatewayFault {
  return new GatewayFault(400, { code: 10052, message: 'RESPONSE_HTTP_ERROR', data: { statusCode: 410 } })
}

/** spec §1.2: both `code:0` and `message:"OK"`; void methods have no `data` (capture 002 logoutV2). */
export function ok(data: unknown): Record<string, unknown> {
  return data === undefined ? { code: 0, message: 'OK' } : { code: 0, message: 'OK', data }
}

export function readBody(req: IncomingMessage, limit = 32 * 1024 * 1024): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = []
    let size = 0
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size > limit) req.destroy(new Error('too large'))
      else parts.push(c)
    })
    req.on('end', () => resolve(Buffer.concat(parts)))
    req.on('error', reject)
  })
}

export function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name]
  return Array.isArray(v) ? v[0] : v
}

export function cookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (header(req, 'cookie') ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=')
    if (k === name) return v.join('=')
  }
  return undefined
}

/** Waits until `check` answers, re-checking whenever `subscribe` fires, for at most `ms`. */
export function waitFor<T>(check: () => T | null, subscribe: (wake: () => void) => () => void, ms: number, abort: AbortSignal): Promise<T | null> {
  const first = check()
  if (first !== null) return Promise.resolve(first)
  return new Promise((resolve) => {
    const done = (value: T | null): void => {
      clearTimeout(timer)
      off()
      abort.removeEventListener('abort', onAbort)
      resolve(value)
    }
    const onAbort = (): void => done(null)
    const off = subscribe(() => {
      const v = check()
      if (v !== null) done(v)
    })
    const timer = setTimeout(() => done(null), ms)
    abort.addEventListener('abort', onAbort)
  })
}
