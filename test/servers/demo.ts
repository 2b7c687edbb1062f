// A demo network for the sandbox, on the fake network Core is tested with, until a
// network has its own reference server. Every sandbox network after it is real.

import { FakeNetwork } from '../doubles/fake-network'
import { testNetwork } from '../doubles/test-connector'
import type { NetworkId } from '../../src/shared/model'
import type { SandboxNetwork } from './sandbox-types'

export function startDemoNetwork(id: NetworkId): SandboxNetwork {
  const net = new FakeNetwork({ qrTtlMs: 60_000 })
  net.addUser('alice', 'Alice', {
    password: 'sandbox',
    chats: [
      { id: 'bob', title: 'Bob', messages: [['bob', 'Welcome to the Junction sandbox!'], ['alice', 'Thanks Bob']] },
      { id: 'team', kind: 'group', title: 'Sandbox team', messages: [['carol', 'Try the search with Ctrl+K']] }
    ]
  })
  return {
    id,
    definition: { ...testNetwork(net, id), displayName: `Demo (${id})` },
    config: {},
    phone: {
      label: `Demo phone of Alice (${id})`,
      help: () => ['E-mail login: alice / sandbox'],
      scan: async (payload) => {
        net.scan(payload, 'alice')
        return 'Paired as Alice.'
      },
      chats: async () => Object.values(net.users.alice!.chats).map((c) => ({ id: c.id, title: c.title })),
      sendAs: async (chatId, text) => void net.sendFromContact('alice', chatId, text)
    },
    close: async () => {}
  }
}
