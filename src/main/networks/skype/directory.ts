// Loads the account's contacts from both sources (spec §13 SOAP address book, §14
// ActiveSync) and merges them. Only a refused sign-in fails the load: the address book
// and ActiveSync are partly guessed (§17), and chatting must not depend on them.

import { JunctionError } from '../../../shared/errors'
import type { Logger } from '../../base/log'
import { AbchClient, type AddressBookSnapshot } from './abch/client'
import { fetchActiveSyncContacts, type ActiveSyncContact, type ActiveSyncFolder } from './activesync/client'
import type { AccountAuth } from './auth/account-auth'
import type { SkypeConfig } from './config'
import { mergeContacts, type BookEntry } from './contacts'

export async function loadDirectory(
  config: SkypeConfig,
  auth: AccountAuth,
  log: Logger,
  signal?: AbortSignal
): Promise<{ entries: BookEntry[]; aliases: Map<string, string> }> {
  let ab: AddressBookSnapshot | null = null
  try {
    ab = await new AbchClient(config, await auth.contactsTicket(), log, signal).snapshot()
  } catch (error) {
    if (error instanceof JunctionError && (error.code === 'auth-failed' || error.code === 'cancelled')) throw error
    log.warn({ error }, 'address book unavailable')
  }
  let activeSync: { folder: ActiveSyncFolder; contacts: ActiveSyncContact[] }[] = []
  const creds = auth.credentials
  if (config.activeSync && creds.method === 'browser') {
    try {
      activeSync = await fetchActiveSyncContacts({ config, token: await auth.token('hotmail'), deviceId: creds.deviceId, deviceType: 'ClassicSkype', ...(signal ? { signal } : {}) })
    } catch (error) {
      if (error instanceof JunctionError && error.code === 'cancelled') throw error
      log.warn({ error }, 'ActiveSync contacts unavailable')
    }
  }
  return mergeContacts(ab, activeSync)
}
