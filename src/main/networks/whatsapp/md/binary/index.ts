// Binary nodes v2 (spec §3): the codec used by the client and the reference server alike.

export { decodeBinaryNode, decodeNodeBytes, MAX_INFLATED_BYTES } from './decode'
export { encodeBinaryNode } from './encode'
export { formatJid, parseJid, signalAddressName, userJidOf, type Jid } from './jid'
export type { BinaryNode } from './types'
