// LINE figures: Thrift encode and decode throughput in both protocols, and the rate at
// which operations from the SSE stream reach the store (plain and sealed), through the
// real Connector, Ingest and Store against the reference server on loopback.

import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createLogger, silentLogger } from '../../src/main/base/log'
import { Ingest } from '../../src/main/core/ingest'
import { Store } from '../../src/main/core/store'
import type { Credentials } from '../../src/main/networks/connector'
import { LineConnector } from '../../src/main/networks/line'
import { decodeReply, encodeReply, encodeSendMessage, type ThriftProtocol } from '../../src/main/networks/line/thrift'
import { LinePhone } from '../servers/line/phone'
import { startLineServer } from '../servers/line/server'
import { rate, timeIt, type Row } from './table'

const MID = 'u' + '0123456789abcdef'.repeat(2)
const MESSAGE = {
  from: MID,
  to: 'c' + 'fedcba9876543210'.repeat(2),
  toType: 2,
  id: 'local-1524162638',
  createdTime: '1773638915000',
  sessionId: 0,
  text: 'テスト — a typical message of a few dozen characters',
  contentType: 0,
  contentMetadata: { e2eeVersion: '2', contentType: '0', e2eeMark: '2' },
  hasContent: false
}

function thriftRows(protocol: ThriftProtocol): Row[] {
  const n = 20_000
  const encode = timeIt(() => {
    for (let i = 0; i < n; i++) encodeSendMessage({ seqid: i, reqSeq: i, message: MESSAGE }, protocol)
  }, 10)
  const size = encodeSendMessage({ seqid: 1, reqSeq: 1, message: MESSAGE }, protocol).length
  const ops = Array.from({ length: 50 }, (_, i) => ({ revision: String(100_000 + i), createdTime: '1773638915000', type: 26, reqSeq: 0, message: { ...MESSAGE, id: String(605334721933082899n + BigInt(i)) } }))
  const reply = encodeReply('fetchOperations', 1, { result: ops }, protocol)
  const decodes = 400
  const decode = timeIt(() => {
    for (let i = 0; i < decodes; i++) decodeReply(reply, protocol)
  }, 10)
  return [
    { area: 'line', measurement: `Thrift ${protocol}: encode sendMessage (${size} B)`, value: rate((n / encode.median) * 1000, 'calls/s'), note: `${((n * size) / (encode.median / 1000) / 1e6).toFixed(0)} MB/s` },
    { area: 'line', measurement: `Thrift ${protocol}: decode fetchOperations reply (50 ops, ${reply.length} B)`, value: rate(((decodes * 50) / decode.median) * 1000, 'operations/s'), note: `${((decodes * reply.length) / (decode.median / 1000) / 1e6).toFixed(0)} MB/s` }
  ]
}

async function ingestRows(count: number): Promise<Row[]> {
  const rows: Row[] = []
  const server = await startLineServer({ ssePingMs: 5_000, sseWindowMs: 600_000 })
  const dir = mkdtempSync(join(tmpdir(), 'junction-line-bench-'))
  try {
    const { world } = server
    const alice = world.addUser({ displayName: 'Alice', sealing: true })
    const bob = world.addUser({ displayName: 'Bob', sealing: true })
    const carol = world.addUser({ displayName: 'Carol', sealing: false })
    world.befriend(alice.mid, bob.mid)
    world.befriend(alice.mid, carol.mid)
    const phone = new LinePhone(server, alice.mid)
    const config = server.config()
    const first = new LineConnector({ config, log: silentLogger })
    const login = await first.login(
      { methodId: 'qr', fields: {}, previous: null },
      {
        signal: new AbortController().signal,
        redirectUri: null,
        waitForRedirect: () => new Promise(() => {}),
        step: (s) => {
          if (s.kind === 'qr') void phone.scan(s.payload)
          if (s.kind === 'pin') void phone.enterPin(s.pin)
        }
      }
    )
    await first.close()

    for (const [label, from] of [
      ['plain', carol.mid],
      ['sealed', bob.mid]
    ] as const) {
      const start = world.user(alice.mid).revision.toString()
      for (let i = 0; i < count; i++) await phone.sendAs(from, `bench message ${i} with some words in it`)
      const final = world.user(alice.mid).revision.toString()
      rows.push(await timeIngest(label, config, login.credentials, start, final, count, join(dir, `${label}.db`)))
    }
  } finally {
    await server.close()
    rmSync(dir, { recursive: true, force: true })
  }
  return rows
}

async function timeIngest(label: string, config: Record<string, unknown>, credentials: Credentials, start: string, final: string, count: number, dbPath: string): Promise<Row> {
  const store = Store.open(dbPath)
  const account = store.accounts.insert({ network: 'line', selfId: String(credentials.mid), displayName: 'Alice', sealedCredentials: new Uint8Array(1), now: Date.now() })
  const ingest = new Ingest(store, () => {}, { onAccountEvent: () => {} }, createLogger(() => {}, 'error'))
  const connector = new LineConnector({ config, log: silentLogger })
  let done!: () => void
  const finished = new Promise<void>((resolve) => (done = resolve))
  connector.on((e) => {
    ingest.apply(account.id, e)
    if (e.type === 'cursor' && e.value === final) done()
  })
  const t0 = process.hrtime.bigint()
  await connector.restore(credentials, { localRev: start })
  await finished
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9
  await connector.close()
  const stored = (store.db.prepare('SELECT count(*) AS n FROM messages').get() as { n: number }).n
  store.close()
  if (stored !== count) throw new Error(`expected ${count} stored messages, found ${stored}`)
  return { area: 'line', measurement: `SSE operation ingest, ${label} (stream → Connector → Ingest → Store)`, value: rate(count / seconds, 'operations/s'), note: `${count.toLocaleString('en')} RECEIVE_MESSAGE ops in ${seconds.toFixed(2)} s, incl. restore` }
}

export async function benchLine(options: { operations?: number } = {}): Promise<Row[]> {
  const quick = process.env.BENCH_QUICK === '1'
  return [...thriftRows('binary'), ...thriftRows('compact'), ...(await ingestRows(options.operations ?? (quick ? 1_000 : 5_000)))]
}
