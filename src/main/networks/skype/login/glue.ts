// The Skype glue APIs (spec §10.4): `rps/me` (basic profile) and `partners/999/usermap`,
// which names the Skype identity (`live:alice_1`) behind a Microsoft account. Both
// shapes come from one 2014 capture, so every field is optional; JSONP is unwrapped.

import { z } from 'zod'
import { JunctionError } from '../../../../shared/errors'
import type { SkypeConfig } from '../config'
import { httpRequest, statusError } from '../http'

const API = 'the Skype account service'

const profileShape = z.object({
  firstName: z.string().optional(),
  lastName: z.string().optional(),
  email: z.string().optional(),
  cid: z.union([z.string(), z.number()]).optional()
})
const usermapShape = z.object({
  uid: z.union([z.string(), z.number()]).optional(),
  username: z.string().optional(),
  status: z.string().optional(),
  partnerUsername: z.string().optional()
})

export interface SkypeProfile {
  firstName?: string
  lastName?: string
  email?: string
}

export interface UserMap {
  skypeName: string
  partnerUsername?: string
}

/** Strips a JSONP wrapper `callback( … )` if there is one. */
export function unwrapJsonp(text: string): string {
  const m = /^\s*[A-Za-z_$][\w$.]*\s*\(([\s\S]*)\)\s*;?\s*$/.exec(text)
  return m ? m[1]! : text
}

async function getJson(config: SkypeConfig, path: string, query: Record<string, string>, signal?: AbortSignal): Promise<unknown> {
  const url = new URL(path, config.apiUrl.endsWith('/') ? config.apiUrl : `${config.apiUrl}/`)
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v)
  const res = await httpRequest(
    { method: 'GET', url: url.toString(), timeoutMs: config.requestTimeoutMs, maxBytes: 256 * 1024, ...(signal ? { signal } : {}) },
    API
  )
  if (res.status !== 200) throw statusError(res.status, API)
  try {
    return JSON.parse(unwrapJsonp(res.body.toString('utf8')))
  } catch {
    throw new JunctionError('protocol', 'The Skype account service answered with something Junction cannot read.')
  }
}

export async function fetchProfile(config: SkypeConfig, accessToken: string, signal?: AbortSignal): Promise<SkypeProfile> {
  const parsed = profileShape.safeParse(await getJson(config, 'rps/me', { access_token: accessToken }, signal))
  if (!parsed.success) throw new JunctionError('protocol', 'The Skype profile had an unexpected shape.')
  const out: SkypeProfile = {}
  if (parsed.data.firstName) out.firstName = parsed.data.firstName
  if (parsed.data.lastName) out.lastName = parsed.data.lastName
  if (parsed.data.email) out.email = parsed.data.email
  return out
}

export async function fetchUserMap(config: SkypeConfig, accessToken: string, signal?: AbortSignal): Promise<UserMap> {
  const parsed = usermapShape.safeParse(await getJson(config, 'partners/999/usermap', { access_token: accessToken, _accept: '1.0' }, signal))
  if (!parsed.success) throw new JunctionError('protocol', 'The Skype user map had an unexpected shape.')
  const name = parsed.data.username
  if (!name || !/^[\w.:@+-]{1,128}$/.test(name))
    throw new JunctionError('auth-failed', 'This Microsoft account has no Skype name yet. Sign in to Skype once to create it.')
  if (parsed.data.status !== undefined && parsed.data.status.toUpperCase() !== 'ACTIVE') {
    throw new JunctionError('auth-failed', 'This Skype account is not active.', { detail: parsed.data.status.slice(0, 20) })
  }
  const out: UserMap = { skypeName: name }
  if (parsed.data.partnerUsername) out.partnerUsername = parsed.data.partnerUsername
  return out
}
