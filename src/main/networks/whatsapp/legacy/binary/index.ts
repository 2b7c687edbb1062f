export { decodeNode } from './decode'
export { encodeNode } from './encode'
export { SINGLE_BYTE_TOKENS, TAG } from './tokens'
export type { WANode } from './types'
