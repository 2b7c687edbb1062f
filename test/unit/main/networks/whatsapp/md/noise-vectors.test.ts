// spec §2.5: the full handshake vector (client side), the certificate checks of §2.4, the
// transport frames of §2.6 and the ClientPayloads of §4.2.

import { describe, expect, it } from 'vitest'
import { JunctionError } from '../../../../../../src/shared/errors'
import { decodeBinaryNode, encodeBinaryNode } from '../../../../../../src/main/networks/whatsapp/md/binary'
import { keyPairFromPrivate, xeddsaSign } from '../../../../../../src/main/networks/whatsapp/md/crypto'
import { frame, FrameReader } from '../../../../../../src/main/networks/whatsapp/md/framing'
import { buildLoginPayload, buildRegistrationPayload } from '../../../../../../src/main/networks/whatsapp/md/login/payload'
import { FrameCipher, NoiseInitiator, verifyCertChain, WA_HEADER } from '../../../../../../src/main/networks/whatsapp/md/noise'
import { encodeProto } from '../../../../../../src/main/networks/whatsapp/md/proto'
import { connectionHeader } from '../../../../../../src/main/networks/whatsapp/md/transport'
import { WHATSAPP_ROOT_PUBLIC_KEY } from '../../../../../../src/main/networks/whatsapp/md/config'

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'))
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex')

const V = {
  clientEphemeral: '6029ad22c83de7409b2e5326564d79b138db4485c7ba04a30a6c914886497656',
  clientStatic: 'f03526cfb73a6234e9d2dfb1de12e9ae008bd992e923198093edb382015c6070',
  serverStaticPublic: '22edcb915fb9138c6dbda7d96b3db4a8a7d0dc973a5c5a0c88a096686c491a29',
  testRootPublic: '2cb7229b465f48331a3654120e029616ae8ce30038ccc478bec6a1546199bb0a',
  testRootPrivate: '0097d8283d6c644e0bbb0e18391e45baa3247d45cb17889f5d97bf454cab9969',
  intermediatePrivate: '20f0ef9ec580e9cc0c8169b26fe4495906322fea94db76e75de01efba7aedf60',
  intermediateDetails: '080710001a2057e17329c8304d36cd4b06868952345b57c847d075a25019dfb778a3cda9af5f2080e2cfaa062880a8d6b907',
  intermediateSignature: '27042c2ae584a4ac8ad1ff9feb3750ab61cbeb3bb0dc1ccf52b2870655eb33e65e591f00d22daee24de8a6626b14370b131e8043d5792e95cb02476455c9d808',
  leafDetails: '080810071a2022edcb915fb9138c6dbda7d96b3db4a8a7d0dc973a5c5a0c88a096686c491a292080e2cfaa062880a8d6b907',
  leafSignature: 'a8cce54dd714f6a85424e8507f0bd7e6d0632e7452e4b3b01b9f3842f0086eb44f208f6bc60e689317830cfbf52478f13468520d84bb475fcf3e45330d4f2e81',
  certChain:
    '0a760a32080810071a2022edcb915fb9138c6dbda7d96b3db4a8a7d0dc973a5c5a0c88a096686c491a292080e2cfaa062880a8d6b9071240a8cce54dd714f6a85424e8507f0bd7e6d0632e7452e4b3b01b9f3842f0086eb44f208f6bc60e689317830cfbf52478f13468520d84bb475fcf3e45330d4f2e8112760a32080710001a2057e17329c8304d36cd4b06868952345b57c847d075a25019dfb778a3cda9af5f2080e2cfaa062880a8d6b907124027042c2ae584a4ac8ad1ff9feb3750ab61cbeb3bb0dc1ccf52b2870655eb33e65e591f00d22daee24de8a6626b14370b131e8043d5792e95cb02476455c9d808',
  clientPayload:
    '088784b4f73918012a36080e120b080210b81718c5a3cfed031a0330303022033030302a03302e313a074465736b746f704203302e3150005a02656e62025553320220006001680190010c880201c80200',
  wire1: '5741060300002412220a20ed9ccb3bb59972099ed08e793a4bc01c69ddfd0c0ff55f509516efe014d1b66b',
  wire2:
    '00015a1ad7020a20083dbbce7ad87a75e5d2ebc236d4f583602ccbf5a95db6408e030981b049300e1230e9966128601148f671af3ea5d895048f0cacaf2a13559c73f148b5b1fc6e7593b4a32f4f6d9e74983fe08eaed1ae077a1a80024f5701078d170d431b30dd8870801e245fb0cf7e651a417278d1d2bad09b062f1977c3336589fc395641872d5fc85e5eea3800ffb441ef163bbd3df7d98222ed0ad0d528d203e05d7b41200ea9fdc30b6f17ae856785833aa61f6fa2e4670a983e63255b95efc3a6486f0156b5565fb02b6a8feaad9790d995dd4e956f6f0a33815811a49c8e792286a2e4f8340998875848a08cc9bdc0c453863b1bc5f586516203872ef0c719571874139331ffdc49d10e63046180f1c5bae2e9e2be4ae8db3f7dcc74f3d047c3fed615f527a18f3714acf520612bda19eecb69a44c6b47a374608ff119326d33d9d94255130c49bfa6b3340f89133ecd8c768057f5ab9221',
  wire3:
    '0000982295010a30dc785e46859d47b9754ff504711c78f3031848303d36665947d38a62b7d590ccc3e43a8f924c1e1a96771758ff6b8fe0126132c318578174c626df40578cbd4afeaec6a92b46263eb61091b46cae57079cf8848bc39d9bc67c47450b9385ff5ab8c5d168f0e0d4333b4db0834e66c86c5835b17d209a3423a43603af1d903868f38b08d57458e7783bc87279445986adec82bc',
  finalHash: '021b80f97efc9002969b960154b33ba626740e7f975c4e69793a9bc61a7eff4d',
  sendKey: '2aace2a17da51e226b87784e73c83ed3a5fd719331b76c82c5b5688143ab6892',
  receiveKey: '3140953f4ab14a6317cb0a664b858b86a475f30478a39201c35fe2d329e38f5e',
  pingPlaintext: '00f80a1908ff831b2a1f110304291657f801f80156',
  wireC0: '0000250ab814d419772afb91d5cc5bd783045336b4f1346ef90ced231b5d562bdf29cc9165a22f46',
  wireC1: '000025e8f960857e27287e7b01947eb60f0588351137ef29b93102a9e574a54a78d8eb19ecc56e0f',
  wireS0: '00003a5f1ba098b99bb9837a9ae413681061be04166bcfcc28d1d310f58d181550df6d8570f61ac75c9619d77632907eb9ebaa8441aff67c0bc82dee79',
  serverPlaintext0: '00f80b4c1aff05170000000076f7010cff88123456789012345f3cff0516900000003dfc036672635c55'
}

const testTrust = { rootPublicKey: hex(V.testRootPublic), now: () => 1_800_000_000 }

function initiator(trust = testTrust): NoiseInitiator {
  return new NoiseInitiator(keyPairFromPrivate(hex(V.clientEphemeral)), keyPairFromPrivate(hex(V.clientStatic)), trust)
}

function serverHello(): Uint8Array {
  const frames = new FrameReader().push(hex(V.wire2))
  return frames[0]!
}

describe('Noise XX handshake (spec §2.5)', () => {
  it('message 1 is the header and the framed ClientHello', () => {
    expect(toHex(frame(initiator().clientHello(), connectionHeader()))).toBe(V.wire1)
    expect(toHex(WA_HEADER)).toBe('57410603')
  })

  it('message 3, the final hash and the split keys match the vector', () => {
    const noise = initiator()
    noise.clientHello()
    const finish = noise.clientFinish(serverHello(), hex(V.clientPayload))
    expect(toHex(frame(finish))).toBe(V.wire3)
    expect(toHex(noise.state.hash)).toBe(V.finalHash)
    const keys = noise.state.split()
    expect([toHex(keys.send), toHex(keys.receive)]).toEqual([V.sendKey, V.receiveKey])
  })

  it('transport frames use per-direction counters (spec §2.6)', () => {
    const client = new FrameCipher(hex(V.sendKey), hex(V.receiveKey))
    expect(toHex(frame(client.encrypt(hex(V.pingPlaintext))))).toBe(V.wireC0)
    expect(toHex(frame(client.encrypt(hex(V.pingPlaintext))))).toBe(V.wireC1)
    const [s0] = new FrameReader().push(hex(V.wireS0))
    const plaintext = client.decrypt(s0!)
    expect(toHex(plaintext)).toBe(V.serverPlaintext0)
    expect(decodeBinaryNode(plaintext)).toMatchObject({ tag: 'success', attrs: { lid: '123456789012345:12@lid', location: 'frc', props: '1' } })
    expect(toHex(encodeBinaryNode(decodeBinaryNode(hex(V.pingPlaintext))))).toBe(V.pingPlaintext)
  })

  it('a tampered frame is an integrity error', () => {
    const client = new FrameCipher(hex(V.sendKey), hex(V.receiveKey))
    const [s0] = new FrameReader().push(hex(V.wireS0))
    s0![5]! ^= 1
    expect(() => client.decrypt(s0!)).toThrow(JunctionError)
  })

  it('the routing-info intro (spec §2.5)', () => {
    expect(toHex(frame(initiator().clientHello(), connectionHeader(hex('0801120203041a0161'))))).toBe(
      '454400010000090801120203041a01615741060300002412220a20ed9ccb3bb59972099ed08e793a4bc01c69ddfd0c0ff55f509516efe014d1b66b'
    )
  })
})

describe('server certificate chain (spec §2.4)', () => {
  const serverStatic = hex(V.serverStaticPublic)
  const chain = (
    leafDetails: Uint8Array,
    leafSignature: Uint8Array,
    interDetails = hex(V.intermediateDetails),
    interSig = hex(V.intermediateSignature)
  ): Uint8Array =>
    encodeProto('CertChain', { leaf: { details: leafDetails, signature: leafSignature }, intermediate: { details: interDetails, signature: interSig } })
  const details = (d: object): Uint8Array => encodeProto('CertChain.NoiseCertificate.Details', d)
  const interKey = hex(V.intermediatePrivate)

  it('accepts the vector chain under the test root and encodes it byte for byte', () => {
    expect(toHex(chain(hex(V.leafDetails), hex(V.leafSignature)))).toBe(V.certChain)
    expect(() => verifyCertChain(hex(V.certChain), serverStatic, testTrust)).not.toThrow()
    // XEdDSA as libsignal makes it is deterministic: the vector signatures reproduce.
    expect(toHex(xeddsaSign(hex(V.testRootPrivate), hex(V.intermediateDetails)))).toBe(V.intermediateSignature)
    expect(toHex(xeddsaSign(interKey, hex(V.leafDetails)))).toBe(V.leafSignature)
  })

  const rejects = (bytes: Uint8Array, trust = testTrust, key = serverStatic): void => {
    expect(() => verifyCertChain(bytes, key, trust)).toThrow(/certificate is not valid/)
  }

  it("rejects the test chain under WhatsApp's root (the Baileys defect)", () => {
    rejects(hex(V.certChain), { rootPublicKey: hex(WHATSAPP_ROOT_PUBLIC_KEY), now: () => 1_800_000_000 })
  })

  it('rejects a random signature, a leaf for another key, wrong serials and expired certificates', () => {
    rejects(chain(hex(V.leafDetails), new Uint8Array(64).fill(7)))
    rejects(hex(V.certChain), testTrust, new Uint8Array(32).fill(1))
    const otherLeaf = details({ serial: 8, issuerSerial: 7, key: new Uint8Array(32).fill(2), notBefore: 1700000000, notAfter: 2000000000 })
    rejects(chain(otherLeaf, xeddsaSign(interKey, otherLeaf)))
    const badIssuer = details({ serial: 8, issuerSerial: 9, key: serverStatic, notBefore: 1700000000, notAfter: 2000000000 })
    rejects(chain(badIssuer, xeddsaSign(interKey, badIssuer)))
    rejects(hex(V.certChain), { ...testTrust, now: () => 2_100_000_000 })
    rejects(hex(V.certChain), { ...testTrust, now: () => 1_600_000_000 })
    const expiredLeaf = details({ serial: 8, issuerSerial: 7, key: serverStatic, notBefore: 1700000000, notAfter: 1750000000 })
    rejects(chain(expiredLeaf, xeddsaSign(interKey, expiredLeaf)))
    rejects(encodeProto('CertChain', { leaf: { details: hex(V.leafDetails), signature: hex(V.leafSignature) } }))
  })

  it('a handshake whose chain fails aborts before ClientFinish', () => {
    const noise = initiator({ rootPublicKey: hex(WHATSAPP_ROOT_PUBLIC_KEY), now: () => 1_800_000_000 })
    expect(() => noise.clientFinish(serverHello(), hex(V.clientPayload))).toThrow(/certificate/)
  })
})

describe('ClientPayload (spec §4.2)', () => {
  const version = { primary: 2, secondary: 3000, tertiary: 1035194821 }
  it('login payload matches the vector', () => {
    expect(toHex(buildLoginPayload(version, '15551234567', 12, { lidDbMigrated: false }))).toBe(V.clientPayload)
  })

  it('registration payload matches the vector', () => {
    const deviceProps = Uint8Array.from(Buffer.from('CgZNYWMgT1MSBggKEA8YBxgBIAAqFxiAUCABMAA4AUABSAFQAVgBYAFwAXgA', 'base64'))
    const bytes = buildRegistrationPayload(
      version,
      {
        registrationId: 4660,
        identityPublic: hex('772b91e6d578b63207866bfa0c06e7c49872ed831844dd389f2cec6ff0e43362'),
        signedPreKey: {
          id: 1,
          public: hex('053cc45ddbf6eb53a2a552227c5f4805a0ba167cdad019efe345a5ad7ee95a02'),
          signature: hex('d8765bad58b7bf8b57eb03b387017fad2a08be0567ffff7a4f4ef14318517fc14d2e532a501d998599f45dbef21f7aa85b03ab2ea5c43183643bf7e3d976a408')
        }
      },
      deviceProps
    )
    expect(toHex(bytes)).toBe(
      '18002a36080e120b080210b81718c5a3cfed031a0330303022033030302a03302e313a074465736b746f704203302e3150005a02656e6202555332022000600168019a01d5010a04000012341201051a20772b91e6d578b63207866bfa0c06e7c49872ed831844dd389f2cec6ff0e4336222030000012a20053cc45ddbf6eb53a2a552227c5f4805a0ba167cdad019efe345a5ad7ee95a023240d8765bad58b7bf8b57eb03b387017fad2a08be0567ffff7a4f4ef14318517fc14d2e532a501d998599f45dbef21f7aa85b03ab2ea5c43183643bf7e3d976a4083a10a2c9471eff910a9e1ae659890a28872d422d0a064d6163204f531206080a100f1807180120002a171880502001300038014001480150015801600170017800880200'
    )
  })
})

describe('framing (spec §1.3)', () => {
  it('re-assembles frames split anywhere, including inside the length', () => {
    const frames = [new Uint8Array(5).fill(1), new Uint8Array(0), new Uint8Array(300).fill(2)].map((p) => frame(p))
    const all = Uint8Array.from(frames.flatMap((f) => [...f]))
    for (let cut = 0; cut <= all.length; cut += 7) {
      const r = new FrameReader()
      const got = [...r.push(all.subarray(0, cut)), ...r.push(all.subarray(cut))]
      expect(got.map((g) => g.length)).toEqual([5, 0, 300])
    }
  })
})
