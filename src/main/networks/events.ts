import { Emitter } from '../base/emitter'
import type { ConnectorEvent, ConnectorListener } from './connector'

/** The event half of a Connector, on the one typed emitter: a throwing listener is isolated from the socket loop that emitted. */
export class ConnectorEvents {
  private readonly emitter: Emitter<{ event: ConnectorEvent }>

  constructor(onListenerError: (error: unknown) => void = () => {}) {
    this.emitter = new Emitter(onListenerError)
  }

  on(listener: ConnectorListener): () => void {
    return this.emitter.on('event', listener)
  }

  emit(event: ConnectorEvent): void {
    this.emitter.emit('event', event)
  }
}
