import { describe, expect, it } from 'vitest'
import { createPolledConnectivity } from '../../../../src/main/shell/polled-connectivity'

/** Hand-driven sources: `tick()` runs the poll, `wake()` the OS resume. */
function sources(initial: boolean) {
  let online = initial
  let poll: (() => void) | null = null
  const resumeListeners = new Set<() => void>()
  return {
    set online(v: boolean) {
      online = v
    },
    tick: () => poll?.(),
    wake: () => [...resumeListeners].forEach((l) => l()),
    get polling() {
      return poll !== null
    },
    get resumeListeners() {
      return resumeListeners.size
    },
    options: {
      isOnline: () => online,
      onResume: (l: () => void) => {
        resumeListeners.add(l)
        return () => resumeListeners.delete(l)
      },
      timers: {
        setInterval: (fn: () => void) => {
          poll = fn
          return 1
        },
        clearInterval: () => {
          poll = null
        }
      }
    }
  }
}

describe('Electron connectivity for the supervisors', () => {
  it('fires when the machine comes back online, once per return', () => {
    const s = sources(false)
    const c = createPolledConnectivity(s.options)
    let fired = 0
    c.onOnline(() => fired++)
    s.tick()
    expect(fired).toBe(0)
    s.online = true
    s.tick()
    s.tick()
    expect(fired).toBe(1)
    s.online = false
    s.tick()
    s.online = true
    s.tick()
    expect(fired).toBe(2)
  })

  it('fires on resume from sleep when online, not when still offline', () => {
    const s = sources(true)
    const c = createPolledConnectivity(s.options)
    let fired = 0
    c.onOnline(() => fired++)
    s.wake()
    expect(fired).toBe(1)
    s.online = false
    s.wake()
    expect(fired).toBe(1)
    // Back online after the offline wake: the poll sees the return.
    s.online = true
    s.tick()
    expect(fired).toBe(2)
  })

  it('watches only while someone listens, and a failing listener does not stop the others', () => {
    const s = sources(true)
    const errors: unknown[] = []
    const c = createPolledConnectivity({ ...s.options, onListenerError: (e) => errors.push(e) })
    expect(s.polling).toBe(false)
    const off1 = c.onOnline(() => {
      throw new Error('boom')
    })
    let fired = 0
    const off2 = c.onOnline(() => fired++)
    expect(s.polling).toBe(true)
    expect(s.resumeListeners).toBe(1)
    s.wake()
    expect(fired).toBe(1)
    expect(errors).toHaveLength(1)
    off1()
    expect(s.polling).toBe(true)
    off2()
    expect(s.polling).toBe(false)
    expect(s.resumeListeners).toBe(0)
  })
})
