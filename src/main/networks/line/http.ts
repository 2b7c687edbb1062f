// Small HTTP helpers shared by the gateway, the legacy transport and OBS: a fetch with a
// deadline that turns every failure into a typed error, and a body read with a bound.

import { JunctionError } from '../../../shared/errors'
import { LineError } from './errors'

export const MAX_JSON_BYTES = 16 * 1024 * 1024
export const MAX_MEDIA_BYTES = 64 * 1024 * 1024

export interface FetchOptions {
  method: 'GET' | 'POST'
  headers: Record<string, string>
  body?: string | Uint8Array
  timeoutMs: number
  signal?: AbortSignal
}

/** fetch() whose failures are typed: cancelled by the caller, timed out, or unreachable. */
export async function fetchTyped(url: string, o: FetchOptions): Promise<Response> {
  const deadline = AbortSignal.timeout(o.timeoutMs)
  const signal = o.signal ? AbortSignal.any([o.signal, deadline]) : deadline
  try {
    return await fetch(url, { method: o.method, headers: o.headers, body: o.body as string | Uint8Array<ArrayBuffer> | undefined, signal, redirect: 'error' })
  } catch (cause) {
    throw failureOf(cause, o.signal, deadline)
  }
}

export function failureOf(cause: unknown, callerSignal: AbortSignal | undefined, deadline: AbortSignal | null): JunctionError {
  if (cause instanceof JunctionError) return cause
  if (callerSignal?.aborted) return new JunctionError('cancelled', 'Cancelled.', { cause, reason: { code: 'unknown' } })
  if (deadline?.aborted) return new JunctionError('timeout', 'LINE did not answer in time.', { cause, reason: { code: 'timeout' } })
  return new LineError({ outer: null }, { cause })
}

/** Reads a body up to `limit` bytes; more than that is a typed error, not an allocation. */
export async function readBounded(res: Response, limit: number, signal?: AbortSignal): Promise<Uint8Array> {
  const declared = Number(res.headers.get('content-length') ?? NaN)
  if (declared > limit) {
    await res.body?.cancel().catch(() => undefined)
    throw new JunctionError('rejected', 'LINE sent more data than Junction accepts.', { detail: `${declared} bytes` })
  }
  if (!res.body) return new Uint8Array(0)
  const reader = res.body.getReader()
  const parts: Uint8Array[] = []
  let size = 0
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      size += value.length
      if (size > limit) {
        await reader.cancel().catch(() => undefined)
        throw new JunctionError('rejected', 'LINE sent more data than Junction accepts.', { detail: `over ${limit} bytes` })
      }
      parts.push(value)
    }
  } catch (cause) {
    throw failureOf(cause, signal, null)
  } finally {
    reader.releaseLock()
  }
  return new Uint8Array(Buffer.concat(parts))
}

/**
 * spec §2.1: `CHROMEOS\t<version>\tChrome_OS\t`, the application the token was issued to.
 * fetch() strips trailing whitespace from header values, so the trailing tab cannot be sent;
 * the Go clients send it without one too.
 */
export function lineApplication(chromeVersion: string): string {
  return `CHROMEOS\t${chromeVersion}\tChrome_OS`
}
