// The reference server's app state (spec §9), a second reading sharing only the protobufs
// with the client: per account one sync key (created and shared by the simulated phone as a
// Signal message, §9.1) and five collections of patches. The phone writes mutations with its
// own encryption, MACs and LTHash (§9.4–§9.5) written here on node:crypto; companions fetch
// snapshots (uploaded as media blobs, §9.3) and patches, and their own patches are verified
// the way the phone would before they are accepted.

import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto'
import type { BinaryNode } from '../../../src/main/networks/whatsapp/md/binary'
import { decodeProto, encodeProto } from '../../../src/main/networks/whatsapp/md/proto'
import { b64, unb64 } from './keys'
import type { MediaStore } from './media'
import { sealMedia } from './media'
import { bytesOf, child, children, node } from './stanzas'

export interface StoredRecord {
  index: string
  value: string
  keyId: string
  valueMac: string
}

export interface ServerCollection {
  version: number
  hash: string
  records: Record<string, StoredRecord>
  patches: Array<{ version: number; bytes: string }>
}

export interface AccountAppState {
  key: { id: string; data: string; timestamp: number }
  collections: Record<string, ServerCollection>
}

/** What a phone decoded from a companion's patch. */
export interface DecodedWrite {
  number: string
  collection: string
  operation: number
  index: string[]
  value: Record<string, unknown>
}

const SET = 0
const REMOVE = 1
const ZERO32 = Buffer.alloc(32)

function mutationKeys(keyData: Buffer): { index: Buffer; enc: Buffer; valueMac: Buffer; snapshot: Buffer; patch: Buffer } {
  const x = Buffer.from(hkdfSync('sha256', keyData, ZERO32, 'WhatsApp Mutation Keys', 160))
  return { index: x.subarray(0, 32), enc: x.subarray(32, 64), valueMac: x.subarray(64, 96), snapshot: x.subarray(96, 128), patch: x.subarray(128, 160) }
}

const u64 = (n: number): Buffer => {
  const b = Buffer.alloc(8)
  b.writeBigUInt64BE(BigInt(n))
  return b
}

function contentMac(op: number, enc: Buffer, keyId: Buffer, key: Buffer): Buffer {
  return createHmac('sha512', key)
    .update(Buffer.from([op === REMOVE ? 2 : 1]))
    .update(keyId)
    .update(enc)
    .update(u64(keyId.length + 1))
    .digest()
    .subarray(0, 32)
}

/** LTHash: 64 u16 little-endian lanes, ± HKDF(mac, "WhatsApp Patch Integrity", 128). */
function lanes(hash: Buffer, mac: Buffer, sign: number): Buffer {
  const e = Buffer.from(hkdfSync('sha256', mac, ZERO32, 'WhatsApp Patch Integrity', 128))
  const out = Buffer.from(hash)
  for (let i = 0; i < 128; i += 2) out.writeUInt16LE((out.readUInt16LE(i) + sign * e.readUInt16LE(i) + 0x10000) & 0xffff, i)
  return out
}

const snapMac = (hash: Buffer, version: number, name: string, key: Buffer): Buffer =>
  createHmac('sha256', key).update(hash).update(u64(version)).update(name).digest()

function patchMacOf(snapshot: Buffer, valueMacs: Buffer[], version: number, name: string, key: Buffer): Buffer {
  const h = createHmac('sha256', key).update(snapshot)
  for (const m of valueMacs) h.update(m)
  return h.update(u64(version)).update(name).digest()
}

const same = (a: Uint8Array | undefined, b: Buffer): boolean => !!a && a.length === b.length && timingSafeEqual(a, b)

type Record_ = { index?: { blob?: Uint8Array }; value?: { blob?: Uint8Array }; keyId?: { id?: Uint8Array } }
type Mutation = { operation?: number; record?: Record_ }
type Patch = { version?: { version?: number }; mutations?: Mutation[]; snapshotMac?: Uint8Array; patchMac?: Uint8Array; keyId?: { id?: Uint8Array } }

export class AppStateServer {
  /** Companion patches the phones decoded and accepted (or refused, with why). */
  readonly writes: DecodedWrite[] = []
  readonly refused: string[] = []
  /** The next patch served for `number/collection` carries a broken patch MAC (tests of §9.4 recovery). */
  readonly corruptNext = new Set<string>()

  constructor(
    private readonly media: MediaStore,
    private readonly save: () => void
  ) {}

  state(account: { appState?: AccountAppState }): AccountAppState {
    if (!account.appState) {
      const id = Buffer.concat([Buffer.alloc(4), randomBytes(2)])
      account.appState = { key: { id: b64(id), data: b64(randomBytes(32)), timestamp: Date.now() }, collections: {} }
      this.save()
    }
    return account.appState
  }

  private collection(s: AccountAppState, name: string): ServerCollection {
    s.collections[name] ??= { version: 0, hash: b64(Buffer.alloc(128)), records: {}, patches: [] }
    return s.collections[name]
  }

  /** The protocolMessage the phone sends each companion with its key (spec §9.1). */
  keyShare(account: { appState?: AccountAppState }): Record<string, unknown> {
    const k = this.state(account).key
    return {
      protocolMessage: {
        type: 6,
        appStateSyncKeyShare: { keys: [{ keyId: { keyId: unb64(k.id) }, keyData: { keyData: unb64(k.data), timestamp: k.timestamp } }] }
      }
    }
  }

  /** The phone changes something (spec §9.6 table): one SET/REMOVE patch at version + 1. */
  phoneWrite(
    account: { appState?: AccountAppState },
    name: string,
    m: { index: string[]; value: Record<string, unknown>; version: number; operation?: number }
  ): number {
    const s = this.state(account)
    const c = this.collection(s, name)
    const keyId = Buffer.from(unb64(s.key.id))
    const keys = mutationKeys(Buffer.from(unb64(s.key.data)))
    const op = m.operation ?? SET
    const indexJson = Buffer.from(JSON.stringify(m.index))
    const data = encodeProto('SyncActionData', { index: indexJson, value: m.value, padding: new Uint8Array(0), version: m.version })
    const iv = randomBytes(16)
    const cipher = createCipheriv('aes-256-cbc', keys.enc, iv)
    const enc = Buffer.concat([iv, cipher.update(data), cipher.final()])
    const vMac = contentMac(op, enc, keyId, keys.valueMac)
    const iMac = createHmac('sha256', keys.index).update(indexJson).digest()
    const record = { index: b64(iMac), value: b64(Buffer.concat([enc, vMac])), keyId: b64(keyId), valueMac: b64(vMac) }
    const version = c.version + 1
    const hash = this.applyRecords(c, [{ op, record }])
    const snapshot = snapMac(hash, version, name, keys.snapshot)
    const patch = encodeProto('SyncdPatch', {
      version: { version },
      mutations: [{ operation: op, record: { index: { blob: iMac }, value: { blob: unb64(record.value) }, keyId: { id: keyId } } }],
      snapshotMac: snapshot,
      patchMac: patchMacOf(snapshot, [vMac], version, name, keys.patch),
      keyId: { id: keyId }
    })
    c.patches.push({ version, bytes: b64(patch) })
    c.version = version
    c.hash = b64(hash)
    this.save()
    return version
  }

  /** LTHash and live records after `items`, applied in order (a repeated index subtracts its previous value). */
  private applyRecords(c: ServerCollection, items: Array<{ op: number; record: StoredRecord }>): Buffer {
    let hash: Buffer = Buffer.from(unb64(c.hash))
    for (const { op, record } of items) {
      const previous = c.records[record.index]
      if (previous) hash = lanes(hash, Buffer.from(unb64(previous.valueMac)), -1)
      if (op === REMOVE) delete c.records[record.index]
      else {
        hash = lanes(hash, Buffer.from(unb64(record.valueMac)), 1)
        c.records[record.index] = record
      }
    }
    return hash
  }

  /** spec §9.3 `w:sync:app:state`: fetches and companion patches, one `<collection>` each. */
  handle(number: string, account: { appState?: AccountAppState }, iq: BinaryNode): BinaryNode[] {
    const s = this.state(account)
    return children(child(iq, 'sync'))
      .filter((n) => n.tag === 'collection')
      .map((req) => {
        const name = req.attrs.name ?? ''
        const patchNode = child(req, 'patch')
        if (patchNode) return this.accept(number, s, name, Number(req.attrs.version ?? -1), bytesOf(patchNode) ?? new Uint8Array())
        return this.serve(number, s, name, Number(req.attrs.version ?? 0), req.attrs.return_snapshot === 'true')
      })
  }

  private serve(number: string, s: AccountAppState, name: string, since: number, snapshot: boolean): BinaryNode {
    const c = this.collection(s, name)
    if (snapshot && c.version > 0) {
      const keys = mutationKeys(Buffer.from(unb64(s.key.data)))
      const records = Object.values(c.records).map((r) => ({ index: { blob: unb64(r.index) }, value: { blob: unb64(r.value) }, keyId: { id: unb64(r.keyId) } }))
      const blob = encodeProto('SyncdSnapshot', {
        version: { version: c.version },
        records,
        mac: snapMac(Buffer.from(unb64(c.hash)), c.version, name, keys.snapshot),
        keyId: { id: unb64(s.key.id) }
      })
      const sealed = sealMedia(blob, 'app-state')
      const directPath = this.media.put(sealed.blob, 'md-app-state')
      const ref = encodeProto('ExternalBlobReference', {
        mediaKey: sealed.mediaKey,
        directPath,
        fileSizeBytes: blob.length,
        fileSha256: sealed.fileSha256,
        fileEncSha256: sealed.fileEncSha256
      })
      return node('collection', { name, version: String(c.version) }, [node('snapshot', {}, ref)])
    }
    const page = c.patches.filter((p) => p.version > since).slice(0, 10)
    const more = c.patches.filter((p) => p.version > since).length > page.length
    const patches = page.map((p) => {
      let bytes = unb64(p.bytes)
      if (this.corruptNext.delete(`${number}/${name}`)) {
        const decoded = decodeProto<Patch>('SyncdPatch', bytes)
        const mac = Buffer.from(decoded.patchMac ?? new Uint8Array(32))
        mac[0] = mac[0]! ^ 0xff
        bytes = encodeProto('SyncdPatch', { ...decoded, patchMac: mac })
      }
      return node('patch', {}, bytes)
    })
    const attrs: Record<string, string> = { name, version: String(c.version) }
    if (more) attrs.has_more_patches = 'true'
    return node('collection', attrs, patches.length ? [node('patches', {}, patches)] : undefined)
  }

  /** A companion's patch, verified as the phone would (every MAC, the LTHash), then stored as version + 1. */
  private accept(number: string, s: AccountAppState, name: string, base: number, bytes: Uint8Array): BinaryNode {
    const c = this.collection(s, name)
    const refuse = (why: string, code: string): BinaryNode => {
      this.refused.push(`${name}: ${why}`)
      return node('collection', { name, type: 'error' }, [node('error', { code, text: why })])
    }
    if (base !== c.version) return refuse(`version ${base} is not ${c.version}`, '409')
    const patch = decodeProto<Patch>('SyncdPatch', bytes)
    const keyId = Buffer.from(patch.keyId?.id ?? [])
    if (!keyId.equals(Buffer.from(unb64(s.key.id)))) return refuse('unknown key', '400')
    const keys = mutationKeys(Buffer.from(unb64(s.key.data)))
    const items: Array<{ op: number; record: StoredRecord }> = []
    const decoded: DecodedWrite[] = []
    for (const m of patch.mutations ?? []) {
      const op = m.operation === REMOVE ? REMOVE : SET
      const blob = Buffer.from(m.record?.value?.blob ?? [])
      const enc = blob.subarray(0, blob.length - 32)
      const vMac = blob.subarray(blob.length - 32)
      if (!same(vMac, contentMac(op, enc, keyId, keys.valueMac))) return refuse('value MAC', '400')
      const d = createDecipheriv('aes-256-cbc', keys.enc, enc.subarray(0, 16))
      const data = decodeProto<{ index?: Uint8Array; value?: Record<string, unknown> }>(
        'SyncActionData',
        Buffer.concat([d.update(enc.subarray(16)), d.final()])
      )
      const iMac = createHmac('sha256', keys.index)
        .update(data.index ?? new Uint8Array())
        .digest()
      if (!same(m.record?.index?.blob, iMac)) return refuse('index MAC', '400')
      items.push({ op, record: { index: b64(iMac), value: b64(blob), keyId: b64(keyId), valueMac: b64(vMac) } })
      decoded.push({ number, collection: name, operation: op, index: JSON.parse(Buffer.from(data.index!).toString()) as string[], value: data.value ?? {} })
    }
    const version = c.version + 1
    const trial: ServerCollection = { ...c, records: { ...c.records } }
    const hash = this.applyRecords(trial, items)
    const snapshot = snapMac(hash, version, name, keys.snapshot)
    if (!same(patch.snapshotMac, snapshot)) return refuse('snapshot MAC', '400')
    const valueMacs = items.map((i) => Buffer.from(unb64(i.record.valueMac)))
    if (!same(patch.patchMac, patchMacOf(snapshot, valueMacs, version, name, keys.patch))) return refuse('patch MAC', '400')
    c.records = trial.records
    c.hash = b64(hash)
    c.version = version
    c.patches.push({ version, bytes: b64(encodeProto('SyncdPatch', { ...patch, version: { version } })) })
    this.writes.push(...decoded)
    this.save()
    return node('collection', { name, version: String(version) })
  }
}
