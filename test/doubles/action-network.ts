// The fake network with every message action declared (issue 12): the test Connector with
// react/edit/unsend that record each call (and can be made to fail), and a way for a test to
// emit Connector events as the network would (incoming reactions, edits, deletions).

import type { JunctionError } from '../../src/shared/errors'
import type { NetworkCapabilities } from '../../src/shared/api'
import type { NetworkId } from '../../src/shared/model'
import type { Connector, ConnectorEvent, NetworkDefinition } from '../../src/main/networks/connector'
import type { FakeNetwork } from './fake-network'
import { TEST_CAPABILITIES, testNetwork, type TestConnectorOptions } from './test-connector'

export interface ActionRecorder {
  calls: string[]
  /** Emits as the live Connector (set once Core created it). */
  emit(event: ConnectorEvent): void
  /** When set, every action rejects with it. */
  fail: JunctionError | null
  /** What the live Connector says its account's protocol lacks (Connector.capabilities). */
  narrowed: Partial<NetworkCapabilities>
}

export const ALL_ACTIONS: Partial<NetworkCapabilities> = {
  replies: true,
  reactions: true,
  reactionEmoji: ['👍', '❤️'],
  edits: true,
  unsend: true,
  forward: true
}

export function newRecorder(): ActionRecorder {
  return { calls: [], emit: () => {}, fail: null, narrowed: {} }
}

export function actionNetwork(
  net: FakeNetwork,
  caps: Partial<NetworkCapabilities>,
  rec: ActionRecorder,
  options: TestConnectorOptions = {},
  id: NetworkId = 'whatsapp'
): NetworkDefinition {
  const base = testNetwork(net, id, { reconnectMs: 20, ...options })
  return {
    ...base,
    capabilities: { ...TEST_CAPABILITIES, ...caps },
    create(context) {
      const c: Connector = base.create(context)
      const on = c.on.bind(c)
      const listeners: Array<(e: ConnectorEvent) => void> = []
      c.on = (l) => {
        listeners.push(l)
        return on(l)
      }
      rec.emit = (e) => listeners.forEach((l) => l(e))
      const act = async (call: string): Promise<void> => {
        rec.calls.push(call)
        if (rec.fail) throw rec.fail
      }
      c.react = (chat, msg, emoji) => act(`react ${chat} ${msg} ${emoji}`)
      c.edit = async (chat, msg, text) => (await act(`edit ${chat} ${msg} ${text}`), { editedAt: 1_800_000_000_000 })
      c.unsend = (chat, msg) => act(`unsend ${chat} ${msg}`)
      c.capabilities = () => rec.narrowed
      return c
    }
  }
}
