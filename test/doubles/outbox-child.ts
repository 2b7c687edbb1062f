// A Junction core in a child process, for the crash test: the parent kills it with
// SIGKILL at a precise point of a send, then starts it again on the same profile.
// Usage: outbox-child.ts <dataDir> <networkFile> setup | send <clientId> <text> <before-network|after-network> | resume

import { join } from 'node:path'
import { silentLogger } from '../../src/main/base/log'
import { Core } from '../../src/main/core/core'
import { openProfileStore, VAULT_KEY_FILE } from '../../src/main/core/profile'
import { openFileVault } from '../../src/main/core/vault'
import { FakeNetwork } from './fake-network'
import { testNetwork } from './test-connector'

const [dataDir, networkFile, mode, ...rest] = process.argv.slice(2) as [string, string, string, ...string[]]
const say = (value: unknown): void => void process.stdout.write(`${JSON.stringify(value)}\n`)
const hang = (): Promise<never> => new Promise(() => setInterval(() => {}, 1 << 30))

async function main(): Promise<void> {
  const net = new FakeNetwork({ persistPath: networkFile })
  if (!net.users.me) net.addUser('me', 'Me', { chats: [{ id: 'bob', title: 'Bob', messages: [['bob', 'hello']] }] })
  const calls = { send: 0, login: 0, restore: 0 }
  const core = new Core({
    store: openProfileStore(dataDir),
    vault: openFileVault(join(dataDir, VAULT_KEY_FILE)),
    networks: [testNetwork(net, 'whatsapp', { calls })],
    log: silentLogger,
    shell: 'headless',
    dataDir,
    version: 'test'
  })
  await core.start()

  if (mode === 'setup') {
    const qr = new Promise<string>((resolve) => core.events.on('login', (e) => e.step.kind === 'qr' && resolve(e.step.payload)))
    const done = new Promise<void>((resolve) => core.events.on('login', (e) => e.step.kind === 'done' && resolve()))
    await core.handlers.startLogin({ network: 'whatsapp', methodId: 'qr' })
    net.scan(await qr, 'me')
    await done
    for (;;) {
      const chat = (await core.handlers.listInbox({ filter: { kind: 'all' }, limit: 5 })).chats[0]
      if (chat) {
        say({ ready: chat.id })
        break
      }
      await new Promise((r) => setTimeout(r, 10))
    }
    await core.close()
    return
  }

  const chatId = (await core.handlers.listInbox({ filter: { kind: 'all' }, limit: 5 })).chats[0]!.id
  if (mode === 'send') {
    const [clientId, text, killPoint] = rest as [string, string, string]
    net.hooks[killPoint === 'before-network' ? 'beforeDeliver' : 'afterDeliver'] = async () => {
      say({ at: killPoint })
      await hang()
    }
    await core.handlers.sendMessage({ chatId, clientId, draft: { kind: 'text', text } })
    say({ queued: clientId })
    await hang()
  }

  if (mode === 'resume') {
    for (;;) {
      const messages = (await core.handlers.listMessages({ chatId, limit: 50 })).messages.filter((m) => m.fromMe)
      if (messages.length > 0 && messages.every((m) => m.status !== 'pending')) {
        say({ messages: messages.map((m) => ({ clientId: m.clientId, status: m.status, text: m.text })), sendCalls: calls.send, restoreCalls: calls.restore })
        break
      }
      await new Promise((r) => setTimeout(r, 10))
    }
    await core.close()
  }
}

main().catch((error: unknown) => {
  say({ error: String(error) })
  process.exit(1)
})
