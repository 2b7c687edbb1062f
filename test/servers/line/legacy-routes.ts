// The legacy Thrift endpoints of the reference server (spec §9, §7.2): /S3 in
// TBinaryProtocol, /S4 and /P4 in TCompactProtocol, X-Line-Application and X-Line-Access
// required; sendMessage and fetchOperations (which holds until there are operations, or
// answers HTTP 410 when its window elapses). The bytes come from the shared Thrift codec,
// which the spec §9.4 vectors pin.

import type { IncomingMessage } from 'node:http'
import { decodeCall, encodeReply, type ThriftProtocol } from '../../../src/main/networks/line/thrift'
import type { GatewayState, Reply } from './gateway-routes'
import { GatewayFault, header, waitFor } from './http-util'
import { acceptSend, sendResponse } from './talk-handlers'

const THRIFT = { 'content-type': 'application/x-thrift' }

function reply(bytes: Uint8Array): Reply {
  return { status: 200, body: Buffer.from(bytes), headers: THRIFT }
}

export async function legacyCall(g: GatewayState, req: IncomingMessage, path: '/S3' | '/S4' | '/P4', body: Buffer, signal: AbortSignal): Promise<Reply> {
  const protocol: ThriftProtocol = path === '/S3' ? 'binary' : 'compact'
  if (!header(req, 'x-line-application')) return { status: 400, body: 'X-Line-Application is required', headers: {} }
  const token = header(req, 'x-line-access')
  if (!token) return { status: 401, body: 'X-Line-Access is required', headers: {} }
  let call
  try {
    call = decodeCall(body, protocol)
  } catch {
    return { status: 400, body: 'not a Thrift call this server knows', headers: {} }
  }
  const record = g.world.tokens.get(token)
  // spec §9.4: the TalkException reply for a dead session.
  if (!record || record.revoked) return reply(encodeReply(call.method, call.seqid, { talkException: { code: 1, reason: 'AUTHENTICATION_FAILED' } }, protocol))
  try {
    if (call.method === 'sendMessage') {
      const m = acceptSend(g.world, record.mid, Number(call.args.seq ?? 0), (call.args.message ?? {}) as Record<string, unknown>)
      return reply(encodeReply('sendMessage', call.seqid, { result: sendResponse(m) }, protocol))
    }
    const localRev = BigInt(String(call.args.localRev ?? '0'))
    const count = Math.max(1, Math.min(500, Number(call.args.count ?? 50)))
    const ops = await waitFor(
      () => {
        const list = g.world.opsAfter(record.mid, localRev, count)
        return list.length > 0 ? list : null
      },
      (wake) => g.world.onOps(wake),
      g.options.legacyPollMs,
      signal
    )
    // spec §7.2: HTTP 410 Gone = the poll window elapsed.
    if (!ops) return { status: 410, body: '', headers: {} }
    // A damaged revision goes out without its type (field 3), which a client cannot read as an operation.
    const result = ops.map((op) => (g.world.malformedRevisions.has(op.revision) ? { ...op, type: undefined } : op))
    return reply(encodeReply('fetchOperations', call.seqid, { result }, protocol))
  } catch (error) {
    if (error instanceof GatewayFault) {
      const data = error.body.data as { code?: number; reason?: string } | undefined
      return reply(encodeReply(call.method, call.seqid, { talkException: { code: data?.code ?? 20, reason: data?.reason ?? 'error' } }, protocol))
    }
    throw error
  }
}
