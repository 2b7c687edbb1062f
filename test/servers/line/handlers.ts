// What a gateway method handler sees, and argument checks that answer like LINE does
// (TalkException 0 ILLEGAL_ARGUMENT) when a client sends the wrong shape.

import type { AuthState } from './auth-state'
import { talkError } from './http-util'
import type { LineWorld } from './world'

export interface ServerOptions {
  /** spec §4.1: createQrCode's longPollingIntervalSec and longPollingMaxCount. */
  qrPollSec: number
  qrMaxPolls: number
  /** Long polls wait min(X-LST, this). */
  maxLongPollMs: number
  /** spec §7.1: ping interval and how long a stream stays open. */
  ssePingMs: number
  sseWindowMs: number
  /** spec §7.2: how long fetchOperations holds. */
  legacyPollMs: number
  /** X-Line-Chrome-Version values answered with 10006 (spec §1.3). */
  tooOldVersions: string[]
  /** spec §4.3: answer tokenRefresh with a bare object instead of an envelope. */
  bareTokenRefresh: boolean
}

export interface CallContext {
  world: LineWorld
  auth: AuthState
  options: ServerOptions
  /** The authenticated account, for methods that need one ('' for the login services). */
  mid: string
  /** X-Line-Access as sent, valid or not. */
  accessToken: string | null
  args: unknown[]
  setCookie(value: string): void
  signal: AbortSignal
}

export type Handler = (c: CallContext) => unknown

export function arg<T>(c: CallContext, index: number, check: (v: unknown) => v is T, what: string): T {
  const v = c.args[index]
  if (!check(v)) throw talkError(0, `invalid argument: ${what}`)
  return v
}

export const isString = (v: unknown): v is string => typeof v === 'string'
export const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v)
export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
export const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every(isString)

/** i64 arrive as numbers or decimal strings (spec §3). */
export const isI64 = (v: unknown): v is string | number => (typeof v === 'number' && Number.isInteger(v)) || (typeof v === 'string' && /^-?\d+$/.test(v))

export const LCT_COOKIE = (token: string): string => `lct=${token}; path=/; samesite=none; secure; httponly`
export const LCT_CLEARED = 'lct=; path=/; expires=Thu, 01 Jan 1970 00:00:00 GMT; samesite=none; secure; httponly'
