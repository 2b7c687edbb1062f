// A typed event emitter: `Emitter<{ status: Status }>`. A throwing listener is isolated
// from the others and from the emitter, so one bad subscriber cannot break a socket loop.

export type Listener<T> = (payload: T) => void

export class Emitter<Events extends object> {
  private readonly listeners = new Map<keyof Events, Set<Listener<never>>>()
  private readonly onListenerError: (error: unknown) => void

  constructor(onListenerError: (error: unknown) => void = () => {}) {
    this.onListenerError = onListenerError
  }

  on<K extends keyof Events>(name: K, listener: Listener<Events[K]>): () => void {
    let set = this.listeners.get(name)
    if (!set) this.listeners.set(name, (set = new Set()))
    set.add(listener as Listener<never>)
    return () => set.delete(listener as Listener<never>)
  }

  emit<K extends keyof Events>(name: K, payload: Events[K]): void {
    const set = this.listeners.get(name)
    if (!set) return
    for (const listener of [...set]) {
      try {
        ;(listener as Listener<Events[K]>)(payload)
      } catch (error) {
        this.onListenerError(error)
      }
    }
  }

  clear(): void {
    this.listeners.clear()
  }
}
