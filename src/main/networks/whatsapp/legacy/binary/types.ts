/**
 * spec §5.1: a node is `[description, attributes, content]`. Content is child nodes, bytes
 * (BINARY_8/20/32 on the wire) or text (a token, a packed string or a JID pair).
 */
export type WANode = [description: string, attributes: Record<string, string> | null, content: WANode[] | Uint8Array | string | null]
