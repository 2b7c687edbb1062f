// Shared set-up for the WhatsApp Connector tests: a reference server on an ephemeral port,
// a phone with contacts and chats, Connectors with test timings, and event helpers that
// wait for what they need instead of sleeping.

import { createLogger, type LogRecord } from '../../../../../src/main/base/log'
import type { Connector, ConnectorLoginStep, KeyStore, LoginIO, LoginResult, SyncResult } from '../../../../../src/main/networks/connector'
import { manualConnectivity, mediaBytes, probeEvents, syncAll, testContext, type EventProbe } from '../../../../helpers/connector-probe'
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
      {
        jid: BOB,
        messages: [
          [BOB, 'hi Alice'],
          [ALICE, 'hi Bob'],
          [BOB, 'how are you?']
        ]
      },
      {
        jid: TEAM,
        name: 'Team',
        participants: [CAROL, DAVE],
        messages: [
          [CAROL, 'standup at 10'],
          [DAVE, 'ok']
        ]
      }
    ]
  )
  return { server, phone }
}

/** The legacy protocol keeps no key-store state; a store that refuses writes proves it. */
const NO_KEYS: KeyStore = {
  get: () => null,
  list: () => [],
  commit: () => {
    throw new Error('the legacy WhatsApp protocol does not use the key store')
  }
}

export interface Probe extends EventProbe {
  connector: WhatsAppConnector
  connectivity: ReturnType<typeof manualConnectivity>
  logs: LogRecord[]
}

export function probe(server: WhatsAppServer, config: Record<string, unknown> = {}): Probe {
  const logs: LogRecord[] = []
  const connectivity = manualConnectivity()
  const connector = new WhatsAppConnector(
    testContext(
      server.clientConfig({ ...FAST, ...config }),
      createLogger((r) => logs.push(r), 'debug'),
      { keyStore: NO_KEYS, connectivity }
    )
  )
  return { ...probeEvents(connector), connector, connectivity, logs }
}

/** Everything `sync()` yields, as one result. */
export const synced = (connector: Connector): Promise<SyncResult> => syncAll(connector)

export interface LoginRun {
  steps: ConnectorLoginStep[]
  result: Promise<LoginResult>
  abort: AbortController
}

/** Starts a QR login; `onQr` sees every QR step (e.g. to scan it). */
export function startLogin(
  connector: Connector,
  onQr: (step: Extract<ConnectorLoginStep, { kind: 'qr' }>, steps: ConnectorLoginStep[]) => void = () => {}
): LoginRun {
  const steps: ConnectorLoginStep[] = []
  const abort = new AbortController()
  const io: LoginIO = {
    signal: abort.signal,
    redirectUri: null,
    waitForRedirect: () => new Promise(() => {}),
    waitForInput: () => Promise.reject(new Error('the QR login asks for no input')),
    step: (s) => {
      steps.push(s)
      if (s.kind === 'qr') queueMicrotask(() => onQr(s, steps))
    }
  }
  return { steps, abort, result: connector.login({ methodId: 'legacy-qr', fields: {}, previous: null }, io) }
}

/** Pairs a Connector by having the phone scan the first QR code it shows. */
export async function pairConnector(p: Probe, phone: SimulatedPhone): Promise<LoginResult> {
  const run = startLogin(p.connector, (step) => void phone.scan(step.payload))
  return run.result
}

export { manualConnectivity, mediaBytes }
