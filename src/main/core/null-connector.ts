import { JunctionError } from '../../shared/errors'
import type { NetworkId } from '../../shared/model'
import type { Connector } from '../networks/connector'

/** Stands in for a Connector that could not be created; every call fails with a clear reason. */
export function nullConnector(network: NetworkId): Connector {
  const fail = async (): Promise<never> => {
    throw new JunctionError('unavailable', 'This account needs to log in again.', { reason: { code: 'no-credentials' } })
  }
  return {
    network,
    login: fail,
    restore: fail,
    reconnectNow: () => {},
    // eslint-disable-next-line require-yield
    sync: async function* () {
      await fail()
    },
    history: fail,
    send: fail,
    markRead: fail,
    setTyping: fail,
    fetchMedia: fail,
    logout: async () => {},
    close: async () => {},
    on: () => () => {}
  }
}
