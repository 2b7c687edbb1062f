import type { ConnectorEvent, ConnectorListener } from './connector'

/** The event half of a Connector: a listener that throws is isolated from the socket loop that emitted. */
export class ConnectorEvents {
  private readonly listeners = new Set<ConnectorListener>()

  constructor(private readonly onListenerError: (error: unknown) => void = () => {}) {}

  on(listener: ConnectorListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  emit(event: ConnectorEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event)
      } catch (error) {
        this.onListenerError(error)
      }
    }
  }
}
