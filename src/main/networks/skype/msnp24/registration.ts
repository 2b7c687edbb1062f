// spec §5.4: the Registration cookie. The server hands out a new one in any reply
// (`Set-Registration`) and refuses a command whose cookie it no longer accepts (715). A
// command written while another exchange is in flight carries the cookie from before that
// exchange's reply, so with a few exchanges in flight a message goes out with a stale one
// (issue 11 point 3). Hence: every command that carries the cookie is written in turn, one
// exchange at a time, each with the latest cookie; commands without a reply (ACK, typing)
// take their turn too but do not hold it.

import type { MsnpCommand } from '../msnp/framing'
import { splitTopBlock, type HeaderList } from '../msnp/mime'

const COOKIE = /^[\x21-\x7e]{1,8192}$/

export class Registration {
  private cookie: string | null = null
  private tail: Promise<unknown> = Promise.resolve()
  /** The server refused the cookie (715) on a command no one waited for: renew it before the next exchange. */
  stale = false

  /** The cookie in use (opaque); null before BND. */
  get current(): string | null {
    return this.cookie
  }

  /** The top block of a command: `Registration` first (Miranda's order), then `extra`. */
  top(extra: HeaderList = []): HeaderList {
    return this.cookie ? [['Registration', this.cookie], ...extra] : extra
  }

  /** Keeps the latest cookie a reply or a push carries. */
  absorb(reply: MsnpCommand): MsnpCommand {
    if (reply.payload && reply.payload.length > 0 && /^(CON|MSGR)/.test(reply.args[0] ?? '')) {
      const cookie = splitTopBlock(reply.payload).top.get('Set-Registration')
      if (cookie && COOKIE.test(cookie)) {
        this.cookie = cookie
        this.stale = false
      }
    }
    return reply
  }

  /** Runs `exchange` once every exchange queued before it has settled; exchanges never overlap. */
  inTurn<T>(exchange: () => Promise<T>): Promise<T> {
    const run = this.tail.then(exchange)
    this.tail = run.catch(() => {})
    return run
  }
}
