// The node model of binary nodes v2 (spec §3.1).

export interface BinaryNode {
  tag: string
  attrs: Record<string, string>
  /** Children, raw bytes (a BINARY_x content, spec §3.7) or text (a token, packed string or JID). */
  content?: BinaryNode[] | Uint8Array | string
}

/** Wire tag bytes (spec §3.2). */
export const TAG = {
  LIST_EMPTY: 0x00,
  DICTIONARY_0: 0xec,
  DICTIONARY_3: 0xef,
  INTEROP_JID: 0xf5,
  FB_JID: 0xf6,
  AD_JID: 0xf7,
  LIST_8: 0xf8,
  LIST_16: 0xf9,
  JID_PAIR: 0xfa,
  HEX_8: 0xfb,
  BINARY_8: 0xfc,
  BINARY_20: 0xfd,
  BINARY_32: 0xfe,
  NIBBLE_8: 0xff
} as const

/** Longest string a packed (NIBBLE_8/HEX_8) form may carry (spec §3.6). */
export const PACKED_MAX = 127
/** The single-byte token range: 1 … 235 (spec §3.2). */
export const SINGLE_BYTE_MAX = 235
