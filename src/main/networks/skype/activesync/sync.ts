// Skype's ActiveSync contact sync (spec §14.4): FolderSync asking for each folder's SID,
// then Sync of the Skype, Windows Live and block-list folders page by page. Everything
// past FolderSync is inferred in the spec, so the caller treats a failure here as
// "no ActiveSync contacts", never as a failed sign-in.

import { JunctionError, ProtocolError } from '../../../../shared/errors'
import type { SkypeConfig } from '../config'
import { httpRequest, statusError } from '../http'
import { encodeActiveSyncQuery, type ActiveSyncCommand } from './query'
import { childText, decodeWbxml, el, encodeWbxml, find, findAll, textOf, type WbxmlElement } from './wbxml'

const SERVICE = 'the Skype contact sync service'
const CONTENT_TYPE = 'application/vnd.ms-sync.wbxml'
const MAX_PAGES = 50

export interface ActiveSyncFolder {
  serverId: string
  displayName: string
  /** Skype's folder tag (spec §14.4): PPL, ABCH, GBL (block list), SKYPE, WL. */
  sid: string
}

export interface ActiveSyncContact {
  serverId: string
  fields: Record<string, string>
}

export interface ActiveSyncOptions {
  config: SkypeConfig
  token: string
  deviceId: string
  deviceType: string
  signal?: AbortSignal
}

/** Folders whose contacts Junction reads. */
export const CONTACT_FOLDER_SIDS = ['SKYPE', 'WL', 'GBL'] as const

async function post(o: ActiveSyncOptions, command: ActiveSyncCommand, body: WbxmlElement): Promise<WbxmlElement> {
  const query = encodeActiveSyncQuery({ protocolVersion: 140, command, locale: 0x0409, deviceId: o.deviceId, policyKey: null, deviceType: o.deviceType })
  const res = await httpRequest(
    {
      method: 'POST',
      url: `${o.config.activeSyncUrl}?${query}`,
      headers: { Authorization: `RPSToken ${o.token}`, 'Content-Type': CONTENT_TYPE, 'User-Agent': 'Skype' },
      body: encodeWbxml(body),
      timeoutMs: o.config.requestTimeoutMs,
      maxBytes: 16 * 1024 * 1024,
      ...(o.signal ? { signal: o.signal } : {})
    },
    SERVICE
  )
  if (res.status === 449)
    throw new JunctionError('rejected', 'The contact sync service wants device provisioning, which Skype never did.', { detail: 'HTTP 449' })
  if (res.status !== 200) throw statusError(res.status, SERVICE)
  return decodeWbxml(res.body)
}

function status(node: WbxmlElement | undefined, tag: string): void {
  const value = childText(node, tag)
  if (value !== undefined && value !== '1')
    throw new JunctionError('rejected', 'The contact sync service refused the request.', { detail: `Status ${value.slice(0, 8)}` })
}

/** spec §14.4 step 1: the property bag asking for the SID property. */
export function folderSyncRequest(): WbxmlElement {
  return el('FolderHierarchy:FolderSync', el('FolderHierarchy:SyncKey', '0'), el('Skype:PropertyBag', el('Skype:Property', el('Skype:Name', 'SID'))))
}

export function readFolders(reply: WbxmlElement): ActiveSyncFolder[] {
  if (reply.tag !== 'FolderHierarchy:FolderSync') throw new ProtocolError('The contact sync service answered FolderSync with something else.')
  status(reply, 'FolderHierarchy:Status')
  const out: ActiveSyncFolder[] = []
  for (const add of findAll(find(reply, 'FolderHierarchy:Changes'), 'FolderHierarchy:Add')) {
    const serverId = childText(add, 'FolderHierarchy:ServerId')
    if (!serverId) continue
    const displayName = childText(add, 'FolderHierarchy:DisplayName') ?? ''
    let sid = ''
    for (const p of findAll(find(add, 'Skype:PropertyBag'), 'Skype:Property')) {
      if (childText(p, 'Skype:Name') === 'SID') sid = childText(p, 'Skype:Value') ?? ''
    }
    out.push({ serverId, displayName, sid: sid.toUpperCase() })
  }
  return out
}

export function syncRequest(collectionId: string, syncKey: string): WbxmlElement {
  const first = syncKey === '0'
  return el(
    'AirSync:Sync',
    el(
      'AirSync:Collections',
      el(
        'AirSync:Collection',
        el('AirSync:SyncKey', syncKey),
        el('AirSync:CollectionId', collectionId),
        !first && el('AirSync:GetChanges'),
        !first && el('AirSync:WindowSize', '100')
      )
    )
  )
}

export function readSync(reply: WbxmlElement): { syncKey: string; contacts: ActiveSyncContact[]; more: boolean } {
  if (reply.tag !== 'AirSync:Sync') throw new ProtocolError('The contact sync service answered Sync with something else.')
  const collection = find(find(reply, 'AirSync:Collections'), 'AirSync:Collection')
  status(collection, 'AirSync:Status')
  const syncKey = childText(collection, 'AirSync:SyncKey')
  if (!syncKey) throw new ProtocolError('The contact sync reply had no sync key.')
  const contacts: ActiveSyncContact[] = []
  for (const add of findAll(find(collection, 'AirSync:Commands'), 'AirSync:Add')) {
    const serverId = childText(add, 'AirSync:ServerId') ?? ''
    const fields: Record<string, string> = {}
    const data = find(add, 'AirSync:ApplicationData')
    for (const field of data?.children ?? []) {
      if (typeof field !== 'object' || field instanceof Uint8Array) continue
      const value = textOf(field)
      if (value) fields[field.tag] = value
      for (const p of field.tag === 'Skype:PropertyBag' ? findAll(field, 'Skype:Property') : []) {
        const name = childText(p, 'Skype:Name')
        const v = childText(p, 'Skype:Value')
        if (name && v) fields[`Skype:${name}`] = v
      }
    }
    contacts.push({ serverId, fields })
  }
  return { syncKey, contacts, more: find(collection, 'AirSync:MoreAvailable') !== undefined }
}

/** Reads every contact of the Skype, Windows Live and block-list folders. */
export async function fetchActiveSyncContacts(o: ActiveSyncOptions): Promise<{ folder: ActiveSyncFolder; contacts: ActiveSyncContact[] }[]> {
  const folders = readFolders(await post(o, 'FolderSync', folderSyncRequest())).filter((f) => (CONTACT_FOLDER_SIDS as readonly string[]).includes(f.sid))
  const out: { folder: ActiveSyncFolder; contacts: ActiveSyncContact[] }[] = []
  for (const folder of folders) {
    let { syncKey } = readSync(await post(o, 'Sync', syncRequest(folder.serverId, '0')))
    const contacts: ActiveSyncContact[] = []
    for (let page = 0; page < MAX_PAGES; page++) {
      const result = readSync(await post(o, 'Sync', syncRequest(folder.serverId, syncKey)))
      contacts.push(...result.contacts)
      syncKey = result.syncKey
      if (!result.more) break
    }
    out.push({ folder, contacts })
  }
  return out
}
