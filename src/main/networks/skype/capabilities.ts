// What each MSNP dialect carries, as the narrowing of Skype's declared capabilities that an
// account reports (Connector.capabilities). Edits and deletes ride on MSNP24's
// `Skype-EditedId` (outbound.ts sendEdit) and quotes on its RichText; MSNP21 and MSNP18 (a
// revival server) have neither. Contact actions (msnp18.md §3.8–§3.10) and nudges (§9 E7)
// are MSNP18's alone: the other dialects' address book is read-only here. Photos and files go
// through the AMS store with a Skype token (media.ts), which only an MSNP24 account has; MSNP18
// files are P2P, which msnp18.md says Junction does not do.

import type { NetworkCapabilities } from '../../../shared/api'

export type SkypeDialect = 'msnp18' | 'msnp21' | 'msnp24'

/** `undefined`: no session yet on an account that is not a Messenger one (taken to be MSNP24). */
export function dialectCapabilities(dialect: SkypeDialect | undefined): Partial<NetworkCapabilities> {
  if (dialect === undefined || dialect === 'msnp24') return { contactActions: false, nudges: false }
  const noMedia = { receiveImages: false, sendImages: false, sendFiles: false }
  if (dialect === 'msnp18') return { edits: false, unsend: false, replies: false, ...noMedia }
  // MSNP21 sends plain `Text` only (no RichText), so a quote would reach the contact without its `<quote>`.
  return { edits: false, unsend: false, replies: false, contactActions: false, nudges: false, ...noMedia }
}
