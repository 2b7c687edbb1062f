// The gateway's envelopes (spec §1.2, §1.3, capture 002) and the typed errors they become,
// and the Connector's configuration.

import { describe, expect, it } from 'vitest'
import { parseLineConfig } from '../../../../../src/main/networks/line/config'
import { classifyLineError, LineError, withReason } from '../../../../../src/main/networks/line/errors'
import { unwrapEnvelope } from '../../../../../src/main/networks/line/transport'
import { JunctionError, ProtocolError } from '../../../../../src/shared/errors'

function fail(json: unknown): LineError {
  try {
    unwrapEnvelope(json)
  } catch (error) {
    if (error instanceof LineError) return error
    throw error
  }
  throw new Error('did not fail')
}

describe('gateway envelopes', () => {
  it('accepts either success marker and returns data (null when void)', () => {
    expect(unwrapEnvelope({ code: 0, message: 'OK', data: { authSessionId: 'SQ1' } })).toEqual({ authSessionId: 'SQ1' })
    expect(unwrapEnvelope({ message: 'OK', data: '36541' })).toBe('36541')
    expect(unwrapEnvelope({ code: 0, message: 'OK' })).toBeNull()
  })

  it('maps capture 002 TalkExceptions to typed errors with the code and reason in detail', () => {
    const auth = fail({
      code: 10051,
      message: 'RESPONSE_ERROR',
      data: { name: 'TalkException', message: 'TalkException', code: 1, reason: 'Authentication Failed.', parameterMap: null }
    })
    expect([auth.code, auth.detail, auth.isTalk(1), auth.retryable]).toEqual(['auth-failed', 'TalkException 1: Authentication Failed.', true, false])
    const sealingOff = fail({
      code: 10051,
      message: 'RESPONSE_ERROR',
      data: { name: 'TalkException', message: 'TalkException', code: 89, reason: 'not supported', parameterMap: null }
    })
    expect([sealingOff.code, sealingOff.detail]).toEqual(['rejected', 'TalkException 89: not supported'])
    expect(fail({ code: 10051, message: 'RESPONSE_ERROR', data: { name: 'TalkException', code: 5, reason: 'not found', parameterMap: null } }).code).toBe(
      'not-found'
    )
    expect(fail({ code: 10051, message: 'RESPONSE_ERROR', data: { name: 'TalkException', code: 8, reason: 'LOG_OUT' } }).code).toBe('logged-out')
    expect(fail({ code: 10051, message: 'RESPONSE_ERROR', data: { name: 'TalkException', code: 115, reason: 'retry' } }).retryable).toBe(true)
  })

  it('maps the QR exception, the long-poll timeout and the outer codes', () => {
    const qr = fail({ code: 10051, message: 'RESPONSE_ERROR', data: { code: 2, alertMessage: 'verification failed' } })
    expect([qr.info.exception, qr.isTalk(2), qr.detail]).toEqual(['SecondaryQrCodeException', true, 'SecondaryQrCodeException 2: verification failed'])
    const timeout = fail({ code: 10052, message: 'RESPONSE_HTTP_ERROR', data: { statusCode: 410 } })
    expect([timeout.isPollTimeout, timeout.code]).toEqual([true, 'timeout'])
    expect(fail({ code: 10004, message: 'REQUEST_NEED_LOGIN' }).code).toBe('auth-failed')
    expect(fail({ code: 10005, message: 'REQUEST_INVALID_HMAC' }).code).toBe('integrity')
    expect(fail({ code: 10006, message: 'REQUEST_MUST_UPGRADE' }).code).toBe('unsupported')
    expect(fail({ code: 99999, message: 'UNKNOWN_ERROR' }).retryable).toBe(true)
  })

  it('keeps long reasons short and turns odd envelopes into protocol errors', () => {
    expect(fail({ code: 10051, data: { code: 0, reason: 'r'.repeat(1000) } }).detail!.length).toBeLessThan(260)
    expect(() => unwrapEnvelope([1, 2])).toThrow(ProtocolError)
    expect(() => unwrapEnvelope({ message: 'NOPE' })).toThrow(ProtocolError)
    expect(() => unwrapEnvelope({ code: 10051, data: { code: 'x' } })).toThrow(ProtocolError)
  })
})

describe('why a LINE session or login ended (reason codes the renderer words)', () => {
  const talk = (code: number, reason = 'r') => fail({ code: 10051, message: 'RESPONSE_ERROR', data: { name: 'TalkException', code, reason } })

  it('names the reason of each failure that ends a session or a login', () => {
    expect(talk(1, 'Authentication Failed.').reason).toEqual({ code: 'session-expired' })
    expect(talk(8, 'LOG_OUT').reason).toEqual({ code: 'logged-out-remotely' })
    expect(talk(18, 'Invalid identity credential').reason).toEqual({ code: 'credentials-refused' })
    expect(talk(89, 'not supported').reason).toEqual({ code: 'refused', params: { detail: 'TalkException 89: not supported' } })
    expect(fail({ code: 10004, message: 'REQUEST_NEED_LOGIN' }).reason).toEqual({ code: 'session-expired' })
    expect(fail({ code: 10005, message: 'REQUEST_INVALID_HMAC' }).reason).toEqual({
      code: 'setup-required',
      params: { what: 'line-signer', component: 'the LINE Chrome extension' }
    })
    expect(fail({ code: 10006, message: 'REQUEST_MUST_UPGRADE' }).reason).toEqual({ code: 'client-outdated' })
    expect(fail({ code: 99999, message: 'UNKNOWN_ERROR' }).reason).toEqual({ code: 'server-unavailable' })
    expect(fail({ code: 10051, message: 'RESPONSE_ERROR', data: { code: 101, alertMessage: 'upgrade' } }).reason).toEqual({ code: 'client-outdated' })
    expect(new LineError({ outer: null }).reason).toEqual({ code: 'unreachable' })
    expect(new LineError({ outer: null, httpStatus: 429 }).reason).toEqual({ code: 'rate-limited' })
  })

  it('classifies for the supervisor: a dead session needs a login, a refused signature or version stays offline, a drop is retried', () => {
    expect(classifyLineError(talk(1))).toEqual({ action: 'needs-login', reason: { code: 'session-expired' } })
    expect(classifyLineError(talk(8))).toEqual({ action: 'needs-login', reason: { code: 'logged-out-remotely' } })
    expect(classifyLineError(fail({ code: 10005, message: 'REQUEST_INVALID_HMAC' }))).toEqual({
      action: 'offline',
      reason: { code: 'setup-required', params: { what: 'line-signer', component: 'the LINE Chrome extension' } }
    })
    expect(classifyLineError(fail({ code: 10006, message: 'REQUEST_MUST_UPGRADE' })).action).toBe('offline')
    expect(classifyLineError(new LineError({ outer: null }))).toEqual({ action: 'retry', reason: { code: 'unreachable' } })
    expect(classifyLineError(talk(115)).action).toBe('retry')
  })

  it('gives a typed error without a reason the one its code implies, keeping code, detail and message', () => {
    const plain = new ProtocolError('LINE sent something odd.', { detail: 'x' })
    const given = withReason(plain) as JunctionError
    expect([given.code, given.detail, given.message, given.reason]).toEqual(['protocol', 'x', 'LINE sent something odd.', { code: 'protocol-error' }])
    const line = talk(1)
    expect(withReason(line)).toBe(line)
  })
})

describe('LINE configuration', () => {
  it('defaults to the real service', () => {
    const c = parseLineConfig({})
    expect([c.gatewayUrl, c.obsUrl, c.legacyUrl, c.transport, c.events, c.locale, c.chromeVersion]).toEqual([
      'https://line-chrome-gw.line-apps.com',
      'https://obs.line-apps.com',
      'https://legy-jp.line.naver.jp',
      'gateway',
      'auto',
      'en_US',
      null
    ])
    expect(c.timing.streamIdleMs).toBe(150_000)
    expect(c.timing.qrRetryBaseMs).toBe(1_000)
  })

  it('refuses a bad shape with a typed error', () => {
    expect(() => parseLineConfig({ gatewayUrl: 'ftp://x' })).toThrow(JunctionError)
    expect(() => parseLineConfig({ transport: 'pigeon' })).toThrow(/transport/)
    expect(() => parseLineConfig({ signer: { sign: 'no' } })).toThrow(JunctionError)
    expect(() => parseLineConfig({ timing: { reconnectBaseMs: -1 } })).toThrow(JunctionError)
  })
})
