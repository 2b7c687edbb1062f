import { describe, expect, it } from 'vitest'
import { JunctionError } from '../../../../src/shared/errors'
import type { AccountStatus } from '../../../../src/shared/model'
import { silentLogger } from '../../../../src/main/base/log'
import { SessionSupervisor, type SessionTarget, type SupervisedSession } from '../../../../src/main/networks/supervisor'

/** A scripted network: each attempt takes the next outcome; a live session ends when the test says. */
function scripted(outcomes: Array<'ok' | JunctionError | Error>) {
  const live: Array<{ end(why?: unknown): void; closed: boolean }> = []
  let attempts = 0
  const target: SessionTarget = {
    async connectOnce(): Promise<SupervisedSession> {
      const outcome = outcomes[Math.min(attempts++, outcomes.length - 1)]!
      if (outcome !== 'ok') throw outcome
      let end: (why?: unknown) => void = () => {}
      const ended = new Promise<unknown>((resolve) => (end = resolve))
      const handle = { end, closed: false }
      live.push(handle)
      return {
        ended,
        close: () => {
          handle.closed = true
          end(undefined)
        }
      }
    }
  }
  return { target, live, attempts: () => attempts }
}

function recorder() {
  const statuses: AccountStatus[] = []
  const waiters: Array<{ state: string; resolve: (s: AccountStatus) => void }> = []
  const emitStatus = (s: AccountStatus): void => {
    statuses.push(s)
    for (const w of waiters.splice(0)) {
      if (w.state === s.state) w.resolve(s)
      else waiters.push(w)
    }
  }
  const next = (state: AccountStatus['state']): Promise<AccountStatus> => new Promise((resolve) => waiters.push({ state, resolve }))
  return { statuses, emitStatus, next }
}

const fast = { baseMs: 20, maxMs: 80, jitter: 0 }

describe('SessionSupervisor', () => {
  it('goes connecting → online, and reconnects after a drop with back-off', async () => {
    const net = scripted(['ok', new JunctionError('network', 'refused'), 'ok'])
    const r = recorder()
    const s = new SessionSupervisor(net.target, { emitStatus: r.emitStatus, log: silentLogger, backoff: fast })
    await s.start()
    expect(r.statuses.map((x) => x.state)).toEqual(['connecting', 'online'])
    const back = r.next('online')
    net.live[0]!.end(new JunctionError('network', 'dropped'))
    await back
    expect(r.statuses.map((x) => x.state)).toEqual(['connecting', 'online', 'reconnecting', 'reconnecting', 'reconnecting', 'reconnecting', 'online'])
    const waits = r.statuses.filter((x) => x.retryAt !== undefined)
    expect(waits).toHaveLength(2)
    expect(waits[1]!.reason).toEqual({ code: 'unreachable' })
    expect(net.attempts()).toBe(3)
    await s.stop()
  })

  it('is pending while a retry is scheduled, so the negative checks below can fail', async () => {
    const net = scripted(['ok', 'ok'])
    const r = recorder()
    const s = new SessionSupervisor(net.target, { emitStatus: r.emitStatus, log: silentLogger, backoff: { baseMs: 5_000, maxMs: 5_000, jitter: 0 } })
    await s.start()
    expect(s.pending).toBe(false)
    const waiting = r.next('reconnecting')
    net.live[0]!.end(new JunctionError('network', 'dropped'))
    expect((await waiting).retryAt).toBeDefined()
    expect(s.pending).toBe(true)
    await s.stop()
    expect(s.pending).toBe(false)
  })

  it('needs a login when the network refuses the credentials, and does not retry', async () => {
    const net = scripted([new JunctionError('auth-failed', 'no', { reason: { code: 'session-expired' } })])
    const r = recorder()
    const s = new SessionSupervisor(net.target, { emitStatus: r.emitStatus, log: silentLogger, backoff: fast })
    await expect(s.start()).rejects.toMatchObject({ code: 'auth-failed' })
    expect(r.statuses.at(-1)).toEqual({ state: 'needs-login', reason: { code: 'session-expired' } })
    expect(s.pending).toBe(false)
    expect(net.attempts()).toBe(1)
    await s.stop()
  })

  it('goes offline when signed in elsewhere mid-session, with no reconnect loop', async () => {
    const net = scripted(['ok'])
    const r = recorder()
    const s = new SessionSupervisor(net.target, { emitStatus: r.emitStatus, log: silentLogger, backoff: fast })
    await s.start()
    const offline = r.next('offline')
    net.live[0]!.end(new JunctionError('conflict', 'taken over'))
    expect(await offline).toEqual({ state: 'offline', reason: { code: 'signed-in-elsewhere' } })
    expect(s.pending).toBe(false)
    expect(net.attempts()).toBe(1)
    await s.stop()
  })

  it('uses the network’s own classification', async () => {
    const net = scripted([new Error('stream:error 401')])
    const r = recorder()
    const s = new SessionSupervisor(
      { ...net.target, classify: () => ({ action: 'needs-login', reason: { code: 'logged-out-remotely' } }) },
      { emitStatus: r.emitStatus, log: silentLogger, backoff: fast }
    )
    await expect(s.start()).rejects.toBeInstanceOf(JunctionError)
    expect(r.statuses.at(-1)).toEqual({ state: 'needs-login', reason: { code: 'logged-out-remotely' } })
  })

  it('reconnects at once on "reconnect now" instead of waiting out the back-off', async () => {
    const net = scripted([new JunctionError('network', 'down'), 'ok'])
    const r = recorder()
    const s = new SessionSupervisor(net.target, { emitStatus: r.emitStatus, log: silentLogger, backoff: { baseMs: 60_000, maxMs: 60_000, jitter: 0 } })
    await s.start()
    expect(r.statuses.at(-1)!.state).toBe('reconnecting')
    const online = r.next('online')
    s.reconnectNow()
    await online
    expect(net.attempts()).toBe(2)
    await s.stop()
  })

  it('reconnects at once when the machine’s network comes back', async () => {
    const net = scripted([new JunctionError('network', 'down'), 'ok'])
    const r = recorder()
    let online: () => void = () => {}
    const connectivity = { onOnline: (l: () => void) => ((online = l), () => {}) }
    const s = new SessionSupervisor(net.target, {
      emitStatus: r.emitStatus,
      log: silentLogger,
      backoff: { baseMs: 60_000, maxMs: 60_000, jitter: 0 },
      connectivity
    })
    await s.start()
    const back = r.next('online')
    online()
    await back
    await s.stop()
  })

  it('headless: reconnects on the next successful probe after the network was unreachable', async () => {
    const net = scripted([new Error('ECONNREFUSED'), 'ok'])
    const r = recorder()
    let probes = 0
    const s = new SessionSupervisor(
      { ...net.target, probe: async () => ++probes >= 2 },
      { emitStatus: r.emitStatus, log: silentLogger, backoff: { baseMs: 60_000, maxMs: 60_000, jitter: 0 }, probeIntervalMs: 10 }
    )
    await s.start()
    const back = r.next('online')
    await back
    expect(probes).toBe(2)
    await s.stop()
  })

  it('caps the back-off and climbs it while sessions drop at once', async () => {
    const net = scripted([new JunctionError('timeout', 't')])
    const r = recorder()
    const s = new SessionSupervisor(net.target, { emitStatus: r.emitStatus, log: silentLogger, backoff: { baseMs: 5, maxMs: 20, jitter: 0 }, clock: () => 0 })
    await s.start()
    while (r.statuses.filter((x) => x.retryAt !== undefined).length < 5) await new Promise((resolve) => setTimeout(resolve, 5))
    await s.stop()
    expect(r.statuses.filter((x) => x.retryAt !== undefined).map((x) => x.retryAt)).toEqual([5, 10, 20, 20, 20])
  })

  it('stop() closes the live session and nothing reconnects afterwards', async () => {
    const net = scripted(['ok'])
    const r = recorder()
    const s = new SessionSupervisor(net.target, { emitStatus: r.emitStatus, log: silentLogger, backoff: fast })
    await s.start()
    await s.stop()
    expect(net.live[0]!.closed).toBe(true)
    expect(s.pending).toBe(false)
    expect(net.attempts()).toBe(1)
    expect(r.statuses.at(-1)!.state).toBe('online')
  })

  it('adopts a session from a fresh login and keeps it up', async () => {
    const net = scripted(['ok'])
    const r = recorder()
    const s = new SessionSupervisor(net.target, { emitStatus: r.emitStatus, log: silentLogger, backoff: fast })
    let end: (why?: unknown) => void = () => {}
    s.adopt({ ended: new Promise((resolve) => (end = resolve)), close: () => end() })
    expect(s.state).toBe('online')
    const back = r.next('online')
    end(new JunctionError('network', 'dropped'))
    await back
    expect(net.attempts()).toBe(1)
    await s.stop()
  })
})

describe('SessionSupervisor, offline by verdict', () => {
  it('tries again on "reconnect now" after going offline (signed in elsewhere), not after needing a login', async () => {
    const net = scripted(['ok', 'ok'])
    const r = recorder()
    const s = new SessionSupervisor(net.target, { emitStatus: r.emitStatus, log: silentLogger, backoff: fast })
    await s.start()
    const offline = r.next('offline')
    net.live[0]!.end(new JunctionError('conflict', 'taken over'))
    await offline
    const online = r.next('online')
    s.reconnectNow()
    await online
    expect(net.attempts()).toBe(2)
    const login = r.next('needs-login')
    net.live[1]!.end(new JunctionError('logged-out', 'gone'))
    await login
    s.reconnectNow()
    expect(s.pending).toBe(false)
    expect(net.attempts()).toBe(2)
    await s.stop()
  })
})
