// One MSNP connection: TCP (MSNP21) or TLS (MSNP24), framed by the codec, with
// requests matched to replies by TrID. Unsolicited commands (TrID 0, or none) go to
// `onCommand`; an error code with a pending TrID rejects that request with a typed error.

import { connect as connectTcp, type Socket } from 'node:net'
import { connect as connectTls, rootCertificates } from 'node:tls'
import { isIP } from 'node:net'
import { JunctionError, ProtocolError } from '../../../shared/errors'
import type { Logger } from '../../base/log'
import { msnpError } from './errors'
import { CommandReader, formatCommand, type MsnpCommand } from './msnp/framing'
import { decodeText, splitTopBlock } from './msnp/mime'

export interface SocketTarget {
  host: string
  port: number
  tls: boolean
  /** Extra trusted CA (PEM), added to the system roots. */
  ca?: string
}

interface Pending {
  resolve(reply: MsnpCommand | null): void
  reject(error: JunctionError): void
  timer: NodeJS.Timeout
}

const ERROR_NAME = /^\d{3}$/

/** The reason text of an error reply: MSNP24 puts it after an empty top block (`911 2 CON 23`). */
export function errorReason(command: MsnpCommand): string | undefined {
  if (!command.payload || command.payload.length === 0) return undefined
  const rest = command.args[0] === 'CON' || command.args[0]?.startsWith('MSGR') ? splitTopBlock(command.payload).rest : command.payload
  const reason = decodeText(rest)
    .replace(/[^\x20-\x7e]/g, ' ')
    .trim()
  return reason.length > 0 ? reason.slice(0, 120) : undefined
}

export class MsnpSocket {
  onCommand: (command: MsnpCommand) => void = () => {}
  onClose: (error: JunctionError | null) => void = () => {}
  private readonly reader = new CommandReader()
  private readonly pending = new Map<number, Pending>()
  private trid = 0
  private closed = false

  private constructor(
    private readonly socket: Socket,
    private readonly log: Logger,
    private readonly timeoutMs: number
  ) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk))
    socket.on('error', (error) => this.shutdown(new JunctionError('network', 'The connection to the Skype server failed.', { cause: error })))
    socket.on('close', () => this.shutdown(new JunctionError('network', 'The Skype server closed the connection.')))
  }

  static connect(target: SocketTarget, log: Logger, timeoutMs: number, signal?: AbortSignal): Promise<MsnpSocket> {
    return new Promise((resolve, reject) => {
      const socket = target.tls
        ? connectTls({
            host: target.host,
            port: target.port,
            ...(isIP(target.host) ? {} : { servername: target.host }),
            ...(target.ca ? { ca: [...rootCertificates, target.ca] } : {})
          })
        : connectTcp({ host: target.host, port: target.port })
      const ready = target.tls ? 'secureConnect' : 'connect'
      const cleanup = (): void => {
        clearTimeout(timer)
        socket.off(ready, onReady)
        socket.off('error', onError)
        signal?.removeEventListener('abort', onAbort)
      }
      const fail = (error: JunctionError): void => {
        cleanup()
        socket.destroy()
        reject(error)
      }
      const onReady = (): void => {
        cleanup()
        socket.setNoDelay(true)
        resolve(new MsnpSocket(socket, log, timeoutMs))
      }
      const onError = (error: Error): void => {
        const tlsProblem = /certificate|self.signed|CERT_|SSL/i.test(`${(error as { code?: string }).code ?? ''} ${error.message}`)
        fail(
          tlsProblem
            ? new JunctionError('network', 'The Skype server\u2019s certificate could not be verified.', { cause: error })
            : new JunctionError('network', 'The Skype server could not be reached.', { cause: error })
        )
      }
      const onAbort = (): void => fail(new JunctionError('cancelled', 'Cancelled.'))
      const timer = setTimeout(() => fail(new JunctionError('timeout', 'The Skype server did not answer in time.')), timeoutMs)
      socket.once(ready, onReady)
      socket.once('error', onError)
      signal?.addEventListener('abort', onAbort)
    })
  }

  get isClosed(): boolean {
    return this.closed
  }

  nextTrid(): number {
    this.trid = this.trid >= 2 ** 31 - 1 ? 1 : this.trid + 1
    return this.trid
  }

  write(command: MsnpCommand): void {
    if (this.closed) throw new JunctionError('network', 'The Skype connection is closed.')
    this.log.debug({ cmd: command.name, trid: command.trid, bytes: command.payload?.length ?? 0 }, 'msnp >>>')
    this.socket.write(formatCommand(command))
  }

  /** Sends a command with a fresh TrID and resolves with the reply that carries it. */
  request(build: (trid: number) => MsnpCommand, timeoutMs = this.timeoutMs): Promise<MsnpCommand> {
    const trid = this.nextTrid()
    const reply = this.expect(trid, timeoutMs)
    this.write(build(trid))
    return reply.then((r) => {
      if (!r) throw new ProtocolError('The Skype server acknowledged a command without replying to it.')
      return r
    })
  }

  /**
   * Waits for the reply to `trid`: resolves with it, rejects on an error code, or resolves
   * with null when `settle(trid)` says the command went through without a reply of its own.
   */
  expect(trid: number, timeoutMs = this.timeoutMs): Promise<MsnpCommand | null> {
    if (this.closed) return Promise.reject(new JunctionError('network', 'The Skype connection is closed.'))
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(trid)
        reject(new JunctionError('timeout', 'The Skype server did not answer in time.'))
      }, timeoutMs)
      this.pending.set(trid, { resolve, reject, timer })
    })
  }

  settle(trid: number): void {
    const p = this.pending.get(trid)
    if (!p) return
    this.pending.delete(trid)
    clearTimeout(p.timer)
    p.resolve(null)
  }

  /** Rejects a waiting request: its fate is unknown (the barrier after it timed out). */
  fail(trid: number, error: JunctionError): void {
    const p = this.pending.get(trid)
    if (!p) return
    this.pending.delete(trid)
    clearTimeout(p.timer)
    p.reject(error)
  }

  close(): void {
    this.shutdown(null)
  }

  private onData(chunk: Buffer): void {
    if (this.closed) return
    let commands: MsnpCommand[]
    try {
      commands = this.reader.push(chunk)
    } catch (error) {
      this.log.warn({ error }, 'unreadable data from the Skype server')
      this.shutdown(error instanceof JunctionError ? error : new ProtocolError('The Skype server sent unreadable data.'))
      return
    }
    for (const command of commands) {
      if (this.closed) return
      this.log.debug({ cmd: command.name, trid: command.trid, bytes: command.payload?.length ?? 0 }, 'msnp <<<')
      this.dispatch(command)
    }
  }

  private dispatch(command: MsnpCommand): void {
    const pending = command.trid !== null && command.trid !== 0 ? this.pending.get(command.trid) : undefined
    if (pending && command.trid !== null) {
      this.pending.delete(command.trid)
      clearTimeout(pending.timer)
      if (ERROR_NAME.test(command.name)) pending.reject(msnpError(Number(command.name), errorReason(command)))
      else pending.resolve(command)
      return
    }
    try {
      this.onCommand(command)
    } catch (error) {
      // One command the session cannot handle must not take the connection down with it.
      this.log.warn({ cmd: command.name, error }, 'could not handle a command from the Skype server')
    }
  }

  private shutdown(error: JunctionError | null): void {
    if (this.closed) return
    this.closed = true
    this.socket.destroy()
    const reason = error ?? new JunctionError('network', 'The Skype connection was closed.')
    for (const p of this.pending.values()) {
      clearTimeout(p.timer)
      p.reject(reason)
    }
    this.pending.clear()
    this.onClose(error)
  }
}
