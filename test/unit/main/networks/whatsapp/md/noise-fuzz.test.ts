// Hostile Noise inputs: 30,000 mutated and random server hellos into the handshake, and ≥ 100,000
// mutated transport frames into the frame cipher and the framing reader. Every input ends in
// a result or a typed JunctionError — never another error or a hang. Seeded.

import { describe, expect, it } from 'vitest'
import { JunctionError } from '../../../../../../src/shared/errors'
import { decodeBinaryNode } from '../../../../../../src/main/networks/whatsapp/md/binary'
import { keyPairFromPrivate } from '../../../../../../src/main/networks/whatsapp/md/crypto'
import { FrameReader } from '../../../../../../src/main/networks/whatsapp/md/framing'
import { FrameCipher, NoiseInitiator } from '../../../../../../src/main/networks/whatsapp/md/noise'
import { Gen, prng } from './node-gen'

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'hex'))
const EPHEMERAL = hex('6029ad22c83de7409b2e5326564d79b138db4485c7ba04a30a6c914886497656')
const STATIC = hex('f03526cfb73a6234e9d2dfb1de12e9ae008bd992e923198093edb382015c6070')
const ROOT = hex('2cb7229b465f48331a3654120e029616ae8ce30038ccc478bec6a1546199bb0a')
const SERVER_HELLO = hex(
  '1ad7020a20083dbbce7ad87a75e5d2ebc236d4f583602ccbf5a95db6408e030981b049300e1230e9966128601148f671af3ea5d895048f0cacaf2a13559c73f148b5b1fc6e7593b4a32f4f6d9e74983fe08eaed1ae077a1a80024f5701078d170d431b30dd8870801e245fb0cf7e651a417278d1d2bad09b062f1977c3336589fc395641872d5fc85e5eea3800ffb441ef163bbd3df7d98222ed0ad0d528d203e05d7b41200ea9fdc30b6f17ae856785833aa61f6fa2e4670a983e63255b95efc3a6486f0156b5565fb02b6a8feaad9790d995dd4e956f6f0a33815811a49c8e792286a2e4f8340998875848a08cc9bdc0c453863b1bc5f586516203872ef0c719571874139331ffdc49d10e63046180f1c5bae2e9e2be4ae8db3f7dcc74f3d047c3fed615f527a18f3714acf520612bda19eecb69a44c6b47a374608ff119326d33d9d94255130c49bfa6b3340f89133ecd8c768057f5ab9221'
)
const SERVER_FRAME = hex('5f1ba098b99bb9837a9ae413681061be04166bcfcc28d1d310f58d181550df6d8570f61ac75c9619d77632907eb9ebaa8441aff67c0bc82dee79')
const RECEIVE_KEY = hex('3140953f4ab14a6317cb0a664b858b86a475f30478a39201c35fe2d329e38f5e')

function typedOnly(run: () => void): 'ok' | 'error' {
  try {
    run()
    return 'ok'
  } catch (error) {
    if (error instanceof JunctionError) return 'error'
    throw error
  }
}

describe('Noise: fuzz', () => {
  it('30,000 mutated or random server hellos give ClientFinish or a typed error', () => {
    const gen = new Gen(prng(0x401e))
    const keys = { e: keyPairFromPrivate(EPHEMERAL), s: keyPairFromPrivate(STATIC) }
    const counts = { ok: 0, error: 0 }
    for (let i = 0; i < 30_000; i++) {
      const input = i % 4 === 0 ? gen.bytes(gen.int(400)) : gen.mutate(SERVER_HELLO)
      const noise = new NoiseInitiator(keys.e, keys.s, { rootPublicKey: ROOT, now: () => 1_800_000_000 })
      counts[typedOnly(() => noise.clientFinish(input, new Uint8Array(8)))]++
    }
    expect(counts.error).toBeGreaterThan(25_000)
    // The unmodified hello passes; mutations of protobuf-irrelevant bytes may too.
    expect(counts.ok + counts.error).toBe(30_000)
  }, 180_000)

  it('100,000 mutated transport frames and chunkings give nodes or typed errors', () => {
    const gen = new Gen(prng(0xf4a3e))
    const counts = { ok: 0, error: 0 }
    for (let i = 0; i < 100_000; i++) {
      const input = i % 5 === 0 ? gen.bytes(gen.int(80)) : gen.mutate(SERVER_FRAME)
      const cipher = new FrameCipher(new Uint8Array(32), RECEIVE_KEY)
      counts[typedOnly(() => decodeBinaryNode(cipher.decrypt(input)))]++
      // The same bytes as a stream of length-prefixed chunks: the reader never throws or over-reads.
      const reader = new FrameReader()
      let consumed = 0
      for (let at = 0; at < input.length;) {
        const n = 1 + gen.int(16)
        for (const f of reader.push(input.subarray(at, at + n))) consumed += 3 + f.length
        at += n
      }
      expect(consumed).toBeLessThanOrEqual(input.length)
    }
    expect(counts.error).toBeGreaterThan(78_000)
    expect(counts.ok).toBeGreaterThan(0)
  }, 180_000)
})
