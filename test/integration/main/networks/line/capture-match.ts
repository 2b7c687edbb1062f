// Compares wire values against capture 002's fixture: same keys in the same order, same
// literal values, and placeholders (`<i64:…>`, `<hex:…>`, `<jwt:…>`, `<number:…>`,
// `<string:…>`) standing for what the capture redacted or what varies from run to run.

import { readFileSync } from 'node:fs'
import { join } from 'node:path'

export interface Exchange {
  step: string
  method: 'GET' | 'POST'
  path: string
  headers: string[]
  headerValues?: Record<string, string>
  request?: unknown
  status?: number
  setCookie?: string
  response?: unknown
}

export interface CaptureFixture {
  commonHeaders: Record<string, string>
  traces: Record<'letter-sealing-off' | 'letter-sealing-on-to-off', Exchange[]>
  stream: { path: string; events: { event?: string; id?: string; data: unknown }[] }
}

export function loadCapture(): CaptureFixture {
  return JSON.parse(readFileSync(join(__dirname, 'fixtures', 'capture-002.json'), 'utf8')) as CaptureFixture
}

function placeholder(expected: string, actual: unknown): boolean {
  const kind = /^<(\w+)[:>]/.exec(expected)?.[1] ?? 'string'
  switch (kind) {
    case 'number':
      return typeof actual === 'number'
    case 'i64':
      return typeof actual === 'string' && /^-?\d+$/.test(actual)
    case 'hex':
      return typeof actual === 'string' && /^[0-9a-f]+$/.test(actual)
    case 'jwt':
      return typeof actual === 'string' && /^[\w-]+\.[\w-]+\.[\w-]+$/.test(actual)
    default:
      return typeof actual === 'string'
  }
}

/** Every difference between a fixture value and a wire value, as readable paths. */
export function differences(expected: unknown, actual: unknown, at = '$'): string[] {
  if (typeof expected === 'string' && expected.startsWith('<') && expected.endsWith('>')) {
    return placeholder(expected, actual) ? [] : [`${at}: ${JSON.stringify(actual)} is not ${expected}`]
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) return [`${at}: ${JSON.stringify(actual)} is not an array of ${expected.length}`]
    return expected.flatMap((e, i) => differences(e, actual[i], `${at}[${i}]`))
  }
  if (expected && typeof expected === 'object') {
    if (!actual || typeof actual !== 'object' || Array.isArray(actual)) return [`${at}: ${JSON.stringify(actual)} is not an object`]
    const ek = Object.keys(expected)
    const ak = Object.keys(actual)
    if (ek.join(',') !== ak.join(',')) return [`${at}: keys ${ak.join(',')} are not ${ek.join(',')}`]
    return ek.flatMap((k) => differences((expected as Record<string, unknown>)[k], (actual as Record<string, unknown>)[k], `${at}.${k}`))
  }
  return Object.is(expected, actual) ? [] : [`${at}: ${JSON.stringify(actual)} is not ${JSON.stringify(expected)}`]
}

/** The secret-bearing headers a request may carry only when the capture shows them. */
export const SESSION_HEADERS = ['x-line-access', 'cookie', 'x-line-session-id', 'x-lst']
