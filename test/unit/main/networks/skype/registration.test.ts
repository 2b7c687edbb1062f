// spec §5.4: the Registration cookie and the one-exchange-at-a-time rule that keeps every
// command on the latest cookie (issue 11 point 3).

import { describe, expect, it } from 'vitest'
import { Registration } from '../../../../../src/main/networks/skype/msnp24/registration'
import { formatBlocks } from '../../../../../src/main/networks/skype/msnp/mime'

const reply = (name: string, typeId: string, top: [string, string][]) => ({ name, trid: 5, args: [typeId], payload: formatBlocks([top]) })

describe('the Registration cookie', () => {
  it('keeps the latest Set-Registration of a CON or MSGR reply and puts it first in the top block', () => {
    const r = new Registration()
    expect(r.top([['Last-Msg-Id', '7']])).toEqual([['Last-Msg-Id', '7']])
    r.absorb(reply('BND', 'CON', [['Set-Registration', 'U2lnbmF0dXJlOjI7VmVyc2lvbjo0Ow==']]))
    r.absorb(reply('PNG', 'CON', [['Set-Registration', 'second']]))
    expect(r.top([['Last-Msg-Id', '7']])).toEqual([
      ['Registration', 'second'],
      ['Last-Msg-Id', '7']
    ])
    // Not a cookie: a space, or a reply that is not of the MSNP24 kind.
    r.absorb(reply('PNG', 'CON', [['Set-Registration', 'has space']]))
    r.absorb(reply('ADL', 'OK', [['Set-Registration', 'third']]))
    expect(r.top()).toEqual([['Registration', 'second']])
  })

  it('is fresh again once a new cookie arrives after the old one was refused', () => {
    const r = new Registration()
    r.stale = true
    r.absorb(reply('BND', 'CON', [['Set-Registration', 'renewed']]))
    expect(r.stale).toBe(false)
  })

  it('runs exchanges one at a time, in the order they were asked for, past failures', async () => {
    const r = new Registration()
    const log: string[] = []
    let running = 0
    const exchange =
      (name: string, fail = false) =>
      async (): Promise<string> => {
        running++
        expect(running).toBe(1)
        log.push(`start ${name}`)
        await new Promise((resolve) => setImmediate(resolve))
        log.push(`end ${name}`)
        running--
        if (fail) throw new Error(name)
        return name
      }
    const results = await Promise.allSettled([r.inTurn(exchange('a')), r.inTurn(exchange('b', true)), r.inTurn(exchange('c'))])
    expect(results.map((x) => x.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c'])
  })
})
