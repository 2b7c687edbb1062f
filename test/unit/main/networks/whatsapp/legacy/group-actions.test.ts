// The lines a group shows for a `Chat` action (spec §6.5): people by contact name, else their
// number as people write it, the account as "you".

import { describe, expect, it } from 'vitest'
import { groupActionLine, isGroupActionLine, type GroupAction } from '../../../../../../src/main/networks/whatsapp/legacy/group-actions'

const SELF = '15550100@c.us'
const GID = '15550100-1600000000@g.us'
const names: Record<string, string> = { '15550101@c.us': 'Bob Smith', '15550102@c.us': 'Carol Singer' }
const naming = { selfJid: SELF, nameOf: (jid: string) => names[jid] }
const line = (a: Omit<GroupAction, 'chat'>) => groupActionLine({ chat: GID, ...a }, naming, 1_700_000_000_000)

describe('group action lines', () => {
  it('words promotions and demotions', () => {
    expect(line({ kind: 'promote', actor: '15550101@c.us', participants: ['15550102@c.us'] }).text).toBe('Bob Smith made Carol Singer an admin')
    expect(line({ kind: 'promote', actor: SELF, participants: ['15550102@c.us', '4915112345@c.us'] }).text).toBe('You made Carol Singer, +4915112345 admins')
    expect(line({ kind: 'promote', actor: '15550101@c.us', participants: [SELF] }).text).toBe('Bob Smith made you an admin')
    expect(line({ kind: 'promote', participants: [SELF] }).text).toBe('You are now an admin')
    expect(line({ kind: 'demote', actor: SELF, participants: ['15550102@c.us'] }).text).toBe('Carol Singer is no longer an admin')
    expect(line({ kind: 'demote', participants: [SELF] }).text).toBe('You are no longer an admin')
    expect(line({ kind: 'demote', participants: ['15550101@c.us', '15550102@c.us'] }).text).toBe('Bob Smith, Carol Singer are no longer admins')
  })

  it('words a new description, and makes a system message of its own in the group', () => {
    const m = line({ kind: 'description', actor: '15550102@c.us', participants: [] })
    expect(m).toMatchObject({ chatRemoteId: GID, senderId: '15550102@c.us', fromMe: false, kind: 'system', timestamp: 1_700_000_000_000 })
    expect(m.text).toBe('Carol Singer changed the group description')
    expect(line({ kind: 'description', participants: [] })).toMatchObject({ text: 'Group description changed', senderId: GID, fromMe: false })
    expect(line({ kind: 'description', actor: SELF, participants: [] }).fromMe).toBe(true)
    // Its id is its own: never one of a phone's (hex, spec §6.2), and new for every line.
    expect(isGroupActionLine(m.remoteId)).toBe(true)
    expect(isGroupActionLine('3EB0C0FFEE123456789A')).toBe(false)
    expect(line({ kind: 'description', participants: [] }).remoteId).not.toBe(m.remoteId)
  })
})
