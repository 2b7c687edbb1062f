// LINE figures: Thrift encode and decode throughput in both protocols (against Apache thrift), and the rate at
// which operations from the SSE stream reach the store (plain and sealed), through the
// real Connector, Ingest and Store against the reference server on loopback.

import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { createLogger, silentLogger } from '../../src/main/base/log'
import { Ingest } from '../../src/main/core/ingest'
import { AccountKeyStore } from '../../src/main/core/key-store'
import { AesGcmVault } from '../../src/main/core/vault'
import { Store } from '../../src/main/core/store'
import type { ConnectorEvent, Connectivity, Credentials, KeyStore } from '../../src/main/networks/connector'
import { LineConnector } from '../../src/main/networks/line'
import { decodeReply, encodeReply, encodeSendMessage, type ThriftProtocol } from '../../src/main/networks/line/thrift'
import { apacheDecodeFetchOperations, apacheSendMessageWriter, Int64, type ApacheMessage } from './baseline/apache-thrift-line'
import { compare, measure } from './harness'
import { RemoteLineServer } from './line-server'
import { rawWriter } from './store.bench'
import { printTable, rate, type Row } from './table'

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

/**
 * Thrift rows (issue 14 point 3): our codec against Apache `thrift` 0.24.0 driven as its
 * generated code drives it (test/bench/baseline/apache-thrift-line.ts), same protocol,
 * same message, same bytes (checked), interleaved in one run.
 */
export async function thriftRows(protocol: ThriftProtocol): Promise<Row[]> {
  // Apache's side holds its own representations (i64 as Int64), made once, outside the timing.
  const apacheMessage: ApacheMessage = { ...MESSAGE, createdTime: new Int64(Number(MESSAGE.createdTime)) }
  const apacheWrite = apacheSendMessageWriter(protocol)
  const ours = encodeSendMessage({ seqid: 1, reqSeq: 1, message: MESSAGE }, protocol)
  if (!Buffer.from(ours).equals(apacheWrite(1, 1, apacheMessage))) throw new Error(`Thrift ${protocol}: our sendMessage bytes differ from Apache thrift's`)
  const calls = 1000
  const encode = await compare(
    'line',
    {
      name: `Thrift ${protocol}: encode sendMessage (${ours.length} B)`,
      units: calls,
      unit: 'calls',
      run: () => {
        for (let i = 0; i < calls; i++) encodeSendMessage({ seqid: i, reqSeq: i, message: MESSAGE }, protocol)
      }
    },
    {
      name: 'Apache thrift 0.24.0, generated-code style',
      units: calls,
      unit: 'calls',
      run: () => {
        for (let i = 0; i < calls; i++) apacheWrite(i, i, apacheMessage)
      }
    },
    { goal: 2 }
  )

  const ops = Array.from({ length: 50 }, (_, i) => ({
    revision: String(100_000 + i),
    createdTime: '1773638915000',
    type: 26,
    reqSeq: 0,
    message: { ...MESSAGE, id: String(605334721933082899n + BigInt(i)) }
  }))
  const reply = Buffer.from(encodeReply('fetchOperations', 1, { result: ops }, protocol))
  const apacheOps = apacheDecodeFetchOperations(reply, protocol).success
  if (apacheOps?.length !== 50 || apacheOps[49]!.message!.id !== ops[49]!.message.id)
    throw new Error(`Thrift ${protocol}: Apache thrift did not read the reply`)
  const decodes = 20
  const decode = await compare(
    'line',
    {
      name: `Thrift ${protocol}: decode fetchOperations reply (50 ops, ${reply.length} B)`,
      units: decodes * 50,
      unit: 'ops',
      run: () => {
        for (let i = 0; i < decodes; i++) decodeReply(reply, protocol)
      }
    },
    {
      name: 'Apache thrift 0.24.0, generated-code style',
      units: decodes * 50,
      unit: 'ops',
      run: () => {
        for (let i = 0; i < decodes; i++) apacheDecodeFetchOperations(reply, protocol)
      }
    },
    { goal: 2 }
  )
  return [encode, decode]
}

const NO_CONNECTIVITY: Connectivity = { onOnline: () => () => {} }

function memoryKeyStore(): KeyStore {
  const values = new Map<string, Uint8Array>()
  const slot = (namespace: string, key: string): string => `${namespace}\u0000${key}`
  return {
    get: (namespace, key) => values.get(slot(namespace, key)) ?? null,
    list: (namespace) => [...values].filter(([k]) => k.startsWith(`${namespace}\u0000`)).map(([k, v]) => [k.slice(namespace.length + 1), v]),
    commit: (writes) => {
      for (const w of writes) {
        if (w.value === null) values.delete(slot(w.namespace, w.key))
        else values.set(slot(w.namespace, w.key), w.value)
      }
    }
  }
}

export async function ingestRows(count: number, labels: readonly ('plain' | 'sealed')[] = ['plain', 'sealed']): Promise<Row[]> {
  const rows: Row[] = []
  // The reference server runs in a child process, so this process's CPU time is the client's alone.
  const server = await RemoteLineServer.start()
  const dir = mkdtempSync(join(tmpdir(), 'junction-line-bench-'))
  try {
    const { config } = server
    // The login keeps its key state in memory; the timed runs below use the real key store.
    const first = new LineConnector({ config, log: silentLogger, keyStore: memoryKeyStore(), connectivity: NO_CONNECTIVITY })
    const login = await first.login(
      { methodId: 'qr', fields: {}, previous: null },
      {
        signal: new AbortController().signal,
        redirectUri: null,
        waitForRedirect: () => new Promise(() => {}),
        waitForInput: () => new Promise(() => {}),
        step: (s) => {
          if (s.kind === 'qr') void server.scan(s.payload)
          if (s.kind === 'pin') void server.enterPin(s.pin)
        }
      }
    )
    await first.close()

    for (const label of labels) {
      const { start, final } = await server.prepare(label, count)
      const { row, recorded } = await timeIngest(label, server, login.credentials, start, final, count, dir)
      rows.push(row)
      rows.push(await replayIngest(label, recorded, count, dir))
    }
  } finally {
    await server.close()
    rmSync(dir, { recursive: true, force: true })
  }
  return rows
}

/** The raw reference's rate (rows per CPU second) for `count` messages like the stream's, in a fresh store. */
function rawIngestRate(path: string, count: number): number {
  const store = Store.open(path)
  try {
    const account = store.accounts.insert({ network: 'line', selfId: MID, displayName: 'Alice', sealedCredentials: new Uint8Array(1), now: 1 }).id
    const chatId = store.chats.upsert(account, { remoteId: 'u-peer', kind: 'direct', title: 'Peer' }).id
    const write = rawWriter(store.db, account, () => chatId)
    const messages = Array.from({ length: count }, (_, i) => ({
      chatRemoteId: 'u-peer',
      remoteId: `raw-${i}`,
      senderId: 'u-peer',
      fromMe: false,
      timestamp: 1_773_638_915_000 + i,
      kind: 'text' as const,
      text: `bench message ${i} with some words in it`
    }))
    const c0 = process.cpuUsage()
    write(messages)
    const cpu = process.cpuUsage(c0)
    return count / ((cpu.user + cpu.system) / 1e6)
  } finally {
    store.close()
  }
}

/**
 * The LINE event-stream ingest case: the Connector restores from `start` and streams every
 * operation up to `final`; each emits a message and a cursor event into Ingest.apply, which
 * coalesces them into one transaction per socket read. Timed in this process's CPU time
 * (the client's only: the server runs in a child process, whose CPU is reported beside it)
 * until the last cursor is committed; median of ROUNDS fresh stores after WARMUP uncounted
 * ones (the JIT warms over the first rounds, as the harness's other rows allow for).
 */
async function timeIngest(
  label: string,
  server: RemoteLineServer,
  credentials: Credentials,
  start: string,
  final: string,
  count: number,
  dir: string
): Promise<{ row: Row; recorded: ConnectorEvent[][] }> {
  const ROUNDS = 7
  const WARMUP = 2
  const rates: number[] = []
  const cpuRates: number[] = []
  const serverCpuRates: number[] = []
  /** Each round's rate over the raw reference's in the round after it (the pairs' ratios). */
  const ratios: number[] = []
  const rawRates: number[] = []
  const { config } = server
  // The events of the first round, grouped by the event-loop turn they arrived in (one socket read).
  const recorded: ConnectorEvent[][] = []
  for (let round = -WARMUP; round < ROUNDS; round++) {
    const store = Store.open(join(dir, `${label}-${round + WARMUP}.db`))
    const account = store.accounts.insert({
      network: 'line',
      selfId: String(credentials.mid),
      displayName: 'Alice',
      sealedCredentials: new Uint8Array(1),
      now: Date.now()
    })
    const ingest = new Ingest(
      store,
      () => {},
      { onAccountEvent: () => {} },
      createLogger(() => {}, 'error')
    )
    // As Core wires it: key-store commits go through Ingest.applyAtomically.
    const keyStore = new AccountKeyStore(store, new AesGcmVault(randomBytes(32)), ingest, account.id)
    const connector = new LineConnector({ config, log: silentLogger, keyStore, connectivity: NO_CONNECTIVITY })
    let done!: () => void
    const finished = new Promise<void>((resolve) => (done = resolve))
    let turn: ConnectorEvent[] | null = null
    connector.on((e) => {
      if (round === 0 && e.type !== 'status') {
        if (!turn) {
          recorded.push((turn = []))
          setImmediate(() => (turn = null))
        }
        turn.push(e)
      }
      ingest.apply(account.id, e)
      if (e.type === 'cursor' && e.value === final) done()
    })
    const s0 = await server.cpuMicros()
    const t0 = process.hrtime.bigint()
    const c0 = process.cpuUsage()
    const m0 = (process as unknown as { threadCpuUsage(): NodeJS.CpuUsage }).threadCpuUsage()
    await connector.restore(credentials, { localRev: start })
    await finished
    // Committed, not just queued: the figure counts what a crash would keep.
    ingest.flush()
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9
    const cpu = process.cpuUsage(c0)
    const m1 = (process as unknown as { threadCpuUsage(): NodeJS.CpuUsage }).threadCpuUsage()
    if (process.env.LINE_BENCH_DEBUG === '1')
      process.stderr.write(
        `${label} ${round}: process ${((cpu.user + cpu.system) / 1e3).toFixed(0)} ms, main thread ${((m1.user - m0.user + m1.system - m0.system) / 1e3).toFixed(0)} ms (sys ${((m1.system - m0.system) / 1e3).toFixed(0)})\n`
      )
    // The client's CPU: Connector (SSE parse, Thrift decode, Letter Sealing), Ingest, Store.
    const cpuRate = count / ((cpu.user + cpu.system) / 1e6)
    // Includes one IPC round trip of the child's; reported for transparency only.
    const serverCpuRate = count / (((await server.cpuMicros()) - s0) / 1e6)
    await connector.close()
    const stored = (store.db.prepare('SELECT count(*) AS n FROM messages').get() as { n: number }).n
    // Every message readable (a sealed one that failed to open would still be stored, with other words).
    const readable = (store.db.prepare("SELECT count(*) AS n FROM messages WHERE text LIKE 'bench message % with some words in it'").get() as { n: number }).n
    const cursor = store.cursors.all(account.id)
    store.close()
    if (stored !== count) throw new Error(`expected ${count} stored messages, found ${stored}`)
    if (readable !== count) throw new Error(`expected ${count} readable messages, found ${readable}`)
    if (!Object.values(cursor).includes(final)) throw new Error(`the final cursor ${final} was not stored: ${JSON.stringify(cursor)}`)
    // The reference beside it: the same number of rows and their FTS text, by hand, in one transaction.
    const rawRate = rawIngestRate(join(dir, `${label}-raw-${round + WARMUP}.db`), count)
    if (round < 0) continue
    cpuRates.push(cpuRate)
    serverCpuRates.push(serverCpuRate)
    rates.push(count / seconds)
    rawRates.push(rawRate)
    ratios.push(cpuRate / rawRate)
  }
  ratios.sort((a, b) => a - b)
  rawRates.sort((a, b) => a - b)
  rates.sort((a, b) => a - b)
  cpuRates.sort((a, b) => a - b)
  const median = rates[Math.floor(rates.length / 2)]!
  serverCpuRates.sort((a, b) => a - b)
  const cpuMedian = cpuRates[Math.floor(cpuRates.length / 2)]!
  const serverMedian = serverCpuRates[Math.floor(serverCpuRates.length / 2)]!
  // The goal is the absolute one; the raw reference beside it says how fast this machine writes the same rows.
  const goal = 20_000
  const ratio = ratios[Math.floor(ratios.length / 2)]!
  const row: Row = {
    area: 'line',
    measurement: `SSE operation ingest, ${label} (stream → Connector → Ingest → Store), per CPU second of the client`,
    value: rate(cpuMedian, 'operations/s'),
    reference: `raw better-sqlite3, the same ${count.toLocaleString('en')} rows + FTS5 in one transaction: ${rate(rawRates[Math.floor(rawRates.length / 2)]!, 'msg/s')}`,
    ratio: `${ratio.toFixed(2)}×`,
    goal: `≥ ${rate(goal, 'ops/s')}`,
    met: cpuMedian >= goal ? 'yes' : 'NO',
    perSecond: cpuMedian,
    note: `${count.toLocaleString('en')} RECEIVE_MESSAGE ops (message + cursor events), incl. restore, until committed; CPU time of this process (the reference server runs in a child process: ${rate(serverMedian, 'ops')} per server CPU second); median of ${ROUNDS} after ${WARMUP} warm-up rounds, range ${rate(cpuRates[0]!, '')}–${rate(cpuRates.at(-1)!, '')}; wall clock ${rate(median, 'ops/s')} (range ${rate(rates[0]!, '')}–${rate(rates.at(-1)!, '')}, load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores)`
  }
  return { row, recorded }
}

/**
 * Ingest's part of the same stream, in CPU time: the events the LINE Connector emitted
 * (a message and a cursor per operation), replayed through Ingest.apply with a flush per
 * socket read as recorded, fresh message ids each run.
 */
async function replayIngest(label: string, recorded: ConnectorEvent[][], count: number, dir: string): Promise<Row> {
  const store = Store.open(join(dir, `${label}-replay.db`))
  try {
    const account = store.accounts.insert({
      network: 'line',
      selfId: `replay-${label}`,
      displayName: 'Alice',
      sealedCredentials: new Uint8Array(1),
      now: Date.now()
    })
    const ingest = new Ingest(
      store,
      () => {},
      { onAccountEvent: () => {} },
      createLogger(() => {}, 'error')
    )
    let run = 0
    const row = await measure(
      'line',
      {
        name: `LINE event-stream ingest, ${label}: the Connector's events → Ingest.apply → Store (${recorded.length} socket reads)`,
        units: count,
        unit: 'ops',
        run: () => {
          run++
          for (const turn of recorded) {
            for (const e of turn)
              ingest.apply(account.id, e.type === 'message' ? { ...e, message: { ...e.message, remoteId: `${e.message.remoteId}#${run}` } } : e)
            ingest.flush()
          }
        }
      },
      { rounds: 5, minMs: 200 }
    )
    return { ...row, goal: '≥ 20.0 k ops/s', met: row.perSecond! >= 20_000 ? 'yes' : 'NO' }
  } finally {
    store.close()
  }
}

export async function benchLine(options: { operations?: number } = {}): Promise<Row[]> {
  const quick = process.env.BENCH_QUICK === '1'
  return [...(await thriftRows('binary')), ...(await thriftRows('compact')), ...(await ingestRows(options.operations ?? (quick ? 1_000 : 5_000)))]
}

// Run alone: npx tsx test/bench/line.bench.ts (LINE_BENCH_INGEST_ONLY=1 for the ingest rows only).
if (process.argv[1]?.endsWith('line.bench.ts')) {
  // LINE_BENCH_LABELS=sealed,plain picks the cases and their order.
  const labels = process.env.LINE_BENCH_LABELS ? (process.env.LINE_BENCH_LABELS.split(',') as ('plain' | 'sealed')[]) : undefined
  const run = process.env.LINE_BENCH_INGEST_ONLY === '1' ? ingestRows(process.env.BENCH_QUICK === '1' ? 1_000 : 5_000, labels) : benchLine()
  run.then(printTable, (error: unknown) => {
    process.stderr.write(`bench failed: ${String(error instanceof Error ? error.stack : error)}\n`)
    process.exit(1)
  })
}
