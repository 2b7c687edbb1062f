import type { Migration } from './migration'
import { migration0001 } from './0001-initial'
import { migration0002 } from './0002-fts'
import { migration0003 } from './0003-media-cache'
import { migration0004 } from './0004-settings'
import { migration0005 } from './0005-e2ee'
import { migration0006 } from './0006-key-store'
import { migration0007 } from './0007-ingest-search'
import { migration0008 } from './0008-message-actions'
import { migration0009 } from './0009-chat-members'
import { migration0010 } from './0010-avatars'
import { migration0011 } from './0011-contact-last-seen'

export type { Migration } from './migration'

/** Every migration, in order. Add a new file and append it here; never edit a released one. */
export const MIGRATIONS: readonly Migration[] = [
  migration0001,
  migration0002,
  migration0003,
  migration0004,
  migration0005,
  migration0006,
  migration0007,
  migration0008,
  migration0009,
  migration0010,
  migration0011
]
