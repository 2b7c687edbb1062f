// Shared setup for the LINE Connector tests: the reference server with a small world
// (Alice with sealing on and a rotated keychain, Bob sealing on, Carol sealing off, a
// sealed group and a mixed one), Alice's phone, and a Connector pointed at the server.

import { createLogger, type LogRecord } from '../../../../../src/main/base/log'
import type { ConnectorContext, ConnectorEvent, Credentials, LoginIO, LoginResult } from '../../../../../src/main/networks/connector'
import { probeEvents, syncAll, testContext } from '../../../../helpers/connector-probe'
import type { ConnectorLoginStep } from '../../../../../src/main/networks/connector'
import { LineConnector } from '../../../../../src/main/networks/line'
import { LinePhone } from '../../../../servers/line/phone'
import { startLineServer, type LineServer } from '../../../../servers/line/server'
import type { ServerOptions } from '../../../../servers/line/handlers'
import type { WorldChat, WorldUser } from '../../../../servers/line/world'

export interface LineFixture {
  server: LineServer
  alice: WorldUser
  bob: WorldUser
  carol: WorldUser
  team: WorldChat
  mixed: WorldChat
  phone: LinePhone
  logs: LogRecord[]
  connector(extra?: Record<string, unknown>): TestableConnector
  close(): Promise<void>
}

export interface TestableConnector {
  connector: LineConnector
  events: ConnectorEvent[]
  /** Resolves with the first event (already seen or future) that matches. */
  waitFor<T extends ConnectorEvent['type']>(
    type: T,
    predicate?: (e: Extract<ConnectorEvent, { type: T }>) => boolean,
    timeoutMs?: number
  ): Promise<Extract<ConnectorEvent, { type: T }>>
}

export async function lineFixture(options: Partial<ServerOptions> = {}): Promise<LineFixture> {
  const server = await startLineServer({ ssePingMs: 200, sseWindowMs: 10_000, legacyPollMs: 2_000, ...options })
  const { world } = server
  const alice = world.addUser({ displayName: 'Alice', email: 'alice@example.com', password: 'correct horse', sealing: true, extraKeys: 1 })
  const bob = world.addUser({ displayName: 'Bob', email: 'bob@example.com', password: 'bob pw', sealing: true })
  const carol = world.addUser({ displayName: 'Carol', email: 'carol@example.com', password: 'carol pw', sealing: false })
  world.befriend(alice.mid, bob.mid)
  world.befriend(alice.mid, carol.mid)
  const team = world.addGroup('Team', bob.mid, [alice.mid])
  const mixed = world.addGroup('Mixed', carol.mid, [alice.mid, bob.mid])
  const logs: LogRecord[] = []
  const made: LineConnector[] = []
  return {
    server,
    alice,
    bob,
    carol,
    team,
    mixed,
    phone: new LinePhone(server, alice.mid),
    logs,
    connector(extra = {}) {
      const connector = new LineConnector(
        lineContext(
          server.config(extra),
          createLogger((r) => logs.push(r), 'debug')
        )
      )
      made.push(connector)
      return testable(connector)
    },
    async close() {
      await Promise.all(made.map((c) => c.close()))
      await server.close()
    }
  }
}

/** A ConnectorContext for a Connector used without Core (LINE keeps no key-store state of its own). */
export function lineContext(config: Record<string, unknown>, log: ConnectorContext['log']): ConnectorContext {
  return testContext(config, log)
}

export { syncAll }

export function testable(connector: LineConnector): TestableConnector {
  const probe = probeEvents(connector)
  return { connector, events: probe.events, waitFor: (type, predicate, timeoutMs) => probe.next(type, predicate, timeoutMs) }
}

export interface ScriptedIO extends LoginIO {
  steps: ConnectorLoginStep[]
  abort: AbortController
}

/** A LoginIO whose steps are answered by `onStep` (the phone scanning, the person typing the PIN). */
export function scriptedIO(onStep: (step: ConnectorLoginStep) => void | Promise<void>): ScriptedIO {
  const abort = new AbortController()
  const steps: ConnectorLoginStep[] = []
  return {
    steps,
    abort,
    signal: abort.signal,
    redirectUri: null,
    waitForRedirect: () => new Promise(() => {}),
    waitForInput: () => new Promise(() => {}),
    step(s) {
      steps.push(s)
      void Promise.resolve(onStep(s)).catch(() => undefined)
    }
  }
}

/** QR login where Alice's phone scans the code and types the PIN. */
export async function qrLoginAs(t: TestableConnector, phone: LinePhone, previous: Credentials | null = null): Promise<{ result: LoginResult; io: ScriptedIO }> {
  const io = scriptedIO(async (s) => {
    if (s.kind === 'qr') await phone.scan(s.payload)
    if (s.kind === 'pin') await phone.enterPin(s.pin)
  })
  const result = await t.connector.login({ methodId: 'qr', fields: {}, previous }, io)
  return { result, io }
}
