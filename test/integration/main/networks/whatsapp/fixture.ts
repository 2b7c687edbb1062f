// Shared set-up for the WhatsApp Connector tests: a reference server on an ephemeral port,
// a phone with contacts and chats, Connectors with test timings, and event helpers that
// wait for what they need instead of sleeping.

import { createLogger, type LogRecord } from '../../../../../src/main/base/log'
import type { Connector, ConnectorEvent, ConnectorLoginStep, LoginIO, LoginResult } from '../../../../../src/main/networks/connector'
import { WhatsAppConnector } from '../../../../../src/main/networks/whatsapp'
import { SimulatedPhone } from '../../../../servers/whatsapp/phone'
import { WhatsAppServer, type ServerOptions } from '../../../../servers/whatsapp/server'

export const ALICE = '15550100@c.us'
export const BOB = '15550101@c.us'
export const CAROL = '15550102@c.us'
export const DAVE = '15550103@c.us'
export const TEAM = '15550100-1600000000@g.us'

/** Timings small enough for tests; production defaults are in config.ts. */
export const FAST = { requestTimeoutMs: 3_000, keepAliveIntervalMs: 200, linkLostAfterMs: 800, reconnectBaseMs: 20, reconnectMaxMs: 200, syncWaitMs: 1_000 }

export async function startWorld(options: Partial<ServerOptions> = {}): Promise<{ server: WhatsAppServer; phone: SimulatedPhone }> {
  const server = await WhatsAppServer.start({ ttlMs: 5_000, ...options })
  const phone = new SimulatedPhone(server, server.addAccount(ALICE, 'Alice'))
  phone.seed(
    [
      [BOB, 'Bob Builder'],
      [CAROL, 'Carol Singer'],
      [DAVE, 'Dave']
    ],
    [
      { jid: BOB, messages: [[BOB, 'hi Alice'], [ALICE, 'hi Bob'], [BOB, 'how are you?']] },
      { jid: TEAM, name: 'Team', participants: [CAROL, DAVE], messages: [[CAROL, 'standup at 10'], [DAVE, 'ok']] }
    ]
  )
  return { server, phone }
}

export interface Probe {
  connector: WhatsAppConnector
  events: ConnectorEvent[]
  logs: LogRecord[]
  /** Resolves with the first event (already seen or future) that matches. */
  next<T extends ConnectorEvent['type']>(type: T, match?: (e: Extract<ConnectorEvent, { type: T }>) => boolean, timeoutMs?: number): Promise<Extract<ConnectorEvent, { type: T }>>
  /** Like `next`, but only for events after this call. */
  after<T extends ConnectorEvent['type']>(type: T, match?: (e: Extract<ConnectorEvent, { type: T }>) => boolean, timeoutMs?: number): Promise<Extract<ConnectorEvent, { type: T }>>
  of<T extends ConnectorEvent['type']>(type: T): Extract<ConnectorEvent, { type: T }>[]
}

export function probe(server: WhatsAppServer, config: Record<string, unknown> = {}): Probe {
  const logs: LogRecord[] = []
  const connector = new WhatsAppConnector({ config: server.clientConfig({ ...FAST, ...config }), log: createLogger((r) => logs.push(r), 'debug') })
  const events: ConnectorEvent[] = []
  const waiters = new Set<(e: ConnectorEvent) => void>()
  connector.on((e) => {
    events.push(e)
    for (const w of [...waiters]) w(e)
  })
  const wait = <T extends ConnectorEvent['type']>(from: number, type: T, match: (e: Extract<ConnectorEvent, { type: T }>) => boolean, timeoutMs: number) =>
    new Promise<Extract<ConnectorEvent, { type: T }>>((resolve, reject) => {
      const test = (e: ConnectorEvent): boolean => e.type === type && match(e as Extract<ConnectorEvent, { type: T }>)
      const seen = events.slice(from).find(test)
      if (seen) return resolve(seen as Extract<ConnectorEvent, { type: T }>)
      const timer = setTimeout(() => {
        waiters.delete(w)
        reject(new Error(`timed out waiting for a ${type} event`))
      }, timeoutMs)
      const w = (e: ConnectorEvent): void => {
        if (!test(e)) return
        clearTimeout(timer)
        waiters.delete(w)
        resolve(e as Extract<ConnectorEvent, { type: T }>)
      }
      waiters.add(w)
    })
  return {
    connector,
    events,
    logs,
    next: (type, match = () => true, timeoutMs = 5_000) => wait(0, type, match, timeoutMs),
    after: (type, match = () => true, timeoutMs = 5_000) => wait(events.length, type, match, timeoutMs),
    of: (type) => events.filter((e) => e.type === type) as never
  }
}

export interface LoginRun {
  steps: ConnectorLoginStep[]
  result: Promise<LoginResult>
  abort: AbortController
}

/** Starts a QR login; `onQr` sees every QR step (e.g. to scan it). */
export function startLogin(connector: Connector, onQr: (step: Extract<ConnectorLoginStep, { kind: 'qr' }>, steps: ConnectorLoginStep[]) => void = () => {}): LoginRun {
  const steps: ConnectorLoginStep[] = []
  const abort = new AbortController()
  const io: LoginIO = {
    signal: abort.signal,
    redirectUri: null,
    waitForRedirect: () => new Promise(() => {}),
    step: (s) => {
      steps.push(s)
      if (s.kind === 'qr') queueMicrotask(() => onQr(s, steps))
    }
  }
  return { steps, abort, result: connector.login({ methodId: 'qr', fields: {}, previous: null }, io) }
}

/** Pairs a Connector by having the phone scan the first QR code it shows. */
export async function pairConnector(p: Probe, phone: SimulatedPhone): Promise<LoginResult> {
  const run = startLogin(p.connector, (step) => void phone.scan(step.payload))
  return run.result
}
