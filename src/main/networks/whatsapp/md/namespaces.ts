// Every KeyStore namespace the multi-device connector writes: a logout deletes them all (spec §4.10).

import { APP_STATE_NS } from './app-state/store'
import { HISTORY_PENDING_NS } from './history-download'
import { IDENTITY_NS } from './identity'
import { MEDIA_NS } from './media'
import { NS } from './signal/store'

export const MD_NAMESPACES: readonly string[] = [...Object.values(NS), MEDIA_NS, HISTORY_PENDING_NS, IDENTITY_NS, ...Object.values(APP_STATE_NS)]
