// HTTP for the glue services (login.live.com, api.skype.com, the address book,
// ActiveSync): a deadline on every request, a cap on what is read, and failures turned
// into typed errors whose messages name the service but never a URL (URLs carry tokens).

import { JunctionError } from '../../../shared/errors'

export interface HttpRequest {
  method: 'GET' | 'POST'
  url: string
  headers?: Record<string, string>
  body?: string | Uint8Array
  timeoutMs: number
  signal?: AbortSignal
  maxBytes?: number
  /** `manual` keeps a 302's Location for the caller (the headless Live sign-in, spec §10.2). */
  redirect?: 'manual' | 'follow'
}

export interface HttpResponse {
  status: number
  headers: Headers
  body: Buffer
}

const DEFAULT_MAX_BYTES = 8 * 1024 * 1024

/** Sends a request; `service` names what is being asked ("the Microsoft sign-in service") in error messages. */
export async function httpRequest(req: HttpRequest, service: string): Promise<HttpResponse> {
  const timeout = AbortSignal.timeout(req.timeoutMs)
  const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout
  let res: Response
  try {
    res = await fetch(req.url, {
      method: req.method,
      headers: req.headers ?? {},
      body: req.body === undefined ? null : typeof req.body === 'string' ? req.body : Buffer.from(req.body),
      signal,
      redirect: req.redirect ?? 'follow'
    })
  } catch (error) {
    if (req.signal?.aborted) throw new JunctionError('cancelled', 'Cancelled.')
    if (timeout.aborted) throw new JunctionError('timeout', `${capitalise(service)} did not answer in time.`)
    throw new JunctionError('network', `${capitalise(service)} could not be reached.`, { cause: error })
  }
  const body = await readLimited(res, req.maxBytes ?? DEFAULT_MAX_BYTES, service)
  return { status: res.status, headers: res.headers, body }
}

async function readLimited(res: Response, maxBytes: number, service: string): Promise<Buffer> {
  const declared = Number(res.headers.get('content-length') ?? NaN)
  if (declared > maxBytes) {
    await res.body?.cancel().catch(() => {})
    throw new JunctionError('protocol', `${capitalise(service)} sent a larger answer than Junction accepts.`)
  }
  if (!res.body) return Buffer.alloc(0)
  const chunks: Buffer[] = []
  let size = 0
  try {
    for await (const chunk of res.body) {
      size += chunk.byteLength
      if (size > maxBytes) {
        await res.body.cancel().catch(() => {})
        throw new JunctionError('protocol', `${capitalise(service)} sent a larger answer than Junction accepts.`)
      }
      chunks.push(Buffer.from(chunk))
    }
  } catch (error) {
    if (error instanceof JunctionError) throw error
    throw new JunctionError('network', `The connection to ${service} dropped.`, { cause: error })
  }
  return Buffer.concat(chunks, size)
}

/** A typed error for an unexpected HTTP status. */
export function statusError(status: number, service: string): JunctionError {
  const detail = `HTTP ${status}`
  if (status === 401 || status === 403) return new JunctionError('auth-failed', `${capitalise(service)} refused the sign-in. Sign in again.`, { detail })
  if (status === 429) return new JunctionError('rate-limited', `${capitalise(service)} asked Junction to slow down.`, { detail })
  if (status >= 500) return new JunctionError('unavailable', `${capitalise(service)} is having trouble right now.`, { detail })
  return new JunctionError('rejected', `${capitalise(service)} refused the request.`, { detail })
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1)
}
