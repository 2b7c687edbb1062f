// The MSNP codec: command framing, multi-MIME payloads and the XML the session writes.

export { parseCommands, formatCommand, announcedLength, CommandReader, DEFAULT_LIMITS, type MsnpCommand, type FramingLimits } from './framing'
export { Headers, parseMultiMime, splitTopBlock, formatMultiMime, formatBlocks, decodeText, type HeaderList, type MultiMime } from './mime'
