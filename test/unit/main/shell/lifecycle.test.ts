import { describe, expect, it, vi } from 'vitest'
import { JunctionError } from '../../../../src/shared/errors'
import { closeWithin, createQuitGuard, startSafely, startupFailure, type CloseOutcome } from '../../../../src/main/shell/lifecycle'

function deferred<T = void>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void } {
  let resolve!: (v: T) => void
  let reject!: (e: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

describe('start', () => {
  it('names the reason and the log file, with a non-zero exit code', () => {
    const f = startupFailure(new JunctionError('internal', 'The database is locked by another program.'), '/home/a/.config/Junction/logs/junction.log')
    expect(f.title).toBe('Junction could not start')
    expect(f.content).toContain('The database is locked by another program.')
    expect(f.content).toContain('/home/a/.config/Junction/logs/junction.log')
    expect(f.exitCode).not.toBe(0)
    expect(startupFailure('weird', null).content).toBe('An unknown error stopped it.')
  })

  it('routes a rejected or throwing start to the failure handler instead of an unhandled rejection', async () => {
    const failures: unknown[] = []
    const unhandled = vi.fn()
    process.on('unhandledRejection', unhandled)
    try {
      await startSafely(
        async () => {
          throw new Error('vault locked')
        },
        (e) => failures.push(e)
      )
      await startSafely(
        () => Promise.reject(new Error('no db')),
        (e) => failures.push(e)
      )
      await startSafely(
        async () => {},
        (e) => failures.push(e)
      )
      await new Promise((r) => setImmediate(r))
    } finally {
      process.off('unhandledRejection', unhandled)
    }
    expect(failures.map((e) => (e as Error).message)).toEqual(['vault locked', 'no db'])
    expect(unhandled).not.toHaveBeenCalled()
  })
})

describe('quit', () => {
  it('closeWithin reports closed, failed or timed-out', async () => {
    expect(await closeWithin(async () => {}, 1000)).toBe('closed')
    expect(await closeWithin(() => Promise.reject(new Error('x')), 1000)).toBe('failed')
    vi.useFakeTimers()
    try {
      const hung = closeWithin(() => new Promise(() => {}), 10_000)
      await vi.advanceTimersByTimeAsync(10_000)
      expect(await hung).toBe('timed-out')
    } finally {
      vi.useRealTimers()
    }
  })

  it('holds the first quit until Core has closed, holds repeated quits, then exits once with 0', async () => {
    const closing = deferred()
    const close = vi.fn(() => closing.promise)
    const exited = deferred<number>()
    const exit = vi.fn((code: number) => exited.resolve(code))
    const guard = createQuitGuard({ close, timeoutMs: 10_000, exit })
    const first = { preventDefault: vi.fn() }
    const second = { preventDefault: vi.fn() }
    guard(first)
    guard(second)
    expect(first.preventDefault).toHaveBeenCalled()
    expect(second.preventDefault).toHaveBeenCalled()
    expect(close).toHaveBeenCalledTimes(1)
    expect(exit).not.toHaveBeenCalled()
    closing.resolve()
    expect(await exited.promise).toBe(0)
    // The quit that follows the exit is let through.
    const after = { preventDefault: vi.fn() }
    guard(after)
    expect(after.preventDefault).not.toHaveBeenCalled()
    expect(exit).toHaveBeenCalledTimes(1)
  })

  it('exits non-zero when closing fails or times out, and reports the outcome', async () => {
    for (const outcome of ['failed', 'timed-out'] as CloseOutcome[]) {
      const exited = deferred<number>()
      const outcomes: CloseOutcome[] = []
      const guard = createQuitGuard({
        close: async () => {},
        timeoutMs: 5,
        exit: (code) => exited.resolve(code),
        onOutcome: (o) => outcomes.push(o),
        closeWithin: async () => outcome
      })
      guard({ preventDefault: () => {} })
      expect(await exited.promise).toBe(1)
      expect(outcomes).toEqual([outcome])
    }
  })

  it('exits at once when Core never started', async () => {
    const exited = deferred<number>()
    createQuitGuard({ close: null, timeoutMs: 5, exit: (c) => exited.resolve(c) })({ preventDefault: () => {} })
    expect(await exited.promise).toBe(0)
  })
})
