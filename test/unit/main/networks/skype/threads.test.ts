// Group-thread members built from spec §6.5 ThreadActivity bodies (addmember/deletemember with
// initiator and targets), the senders seen, and a full list where the server gives one.

import { describe, expect, it } from 'vitest'
import { readThreadActivity } from '../../../../../src/main/networks/skype/msnp/read'
import { ThreadRoster } from '../../../../../src/main/networks/skype/threads'

const T = '19:0123456789abcdef0123456789abcdef@thread.skype'
const same = (a: string) => a
const ids = (r: ThreadRoster) => r.membersOf(T, (a) => a).map((m) => m.remoteId)

describe('ThreadRoster', () => {
  it('adds the targets and the initiator of an AddMember, removes the targets of a DeleteMember', () => {
    const r = new ThreadRoster()
    const add = readThreadActivity(
      '<addmember><eventtime>1</eventtime><initiator>8:bob</initiator><target>8:carol</target><target>8:dave</target></addmember>'
    )!
    expect(r.apply(T, add, same)).toBe(true)
    expect(ids(r).sort()).toEqual(['8:bob', '8:carol', '8:dave'])
    expect(r.apply(T, add, same)).toBe(false)
    const kick = readThreadActivity('<deletemember><eventtime>2</eventtime><initiator>8:bob</initiator><target>8:carol</target></deletemember>')!
    expect(r.apply(T, kick, same)).toBe(true)
    expect(ids(r).sort()).toEqual(['8:bob', '8:dave'])
    const topic = readThreadActivity('<topicupdate><eventtime>3</eventtime><initiator>8:bob</initiator><value>x</value></topicupdate>')!
    expect(r.apply(T, topic, same)).toBe(false)
  })

  it('counts senders once and replaces the list when the server gives a full one', () => {
    const r = new ThreadRoster()
    expect(r.has(T)).toBe(false)
    expect(r.noteSender(T, '8:erin')).toBe(true)
    expect(r.noteSender(T, '8:erin')).toBe(false)
    expect(r.set(T, ['8:bob', '8:frank'])).toBe(true)
    expect(r.set(T, ['8:frank', '8:bob'])).toBe(false)
    expect(r.membersOf(T, (a) => a.toUpperCase())).toEqual([
      { remoteId: '8:bob', name: '8:BOB' },
      { remoteId: '8:frank', name: '8:FRANK' }
    ])
  })
})
