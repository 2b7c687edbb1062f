import { useState } from 'react'
import { useActions, useApp } from '../context'

/** One or two letters for a name: the first letters of its first two words ("Bob Smith" → "BS"), digits kept for a number. */
export function initials(name: string): string {
  const parts = name
    .trim()
    .split(/[\s._@-]+/)
    .map((p) => p.replace(/^[^\p{L}\p{N}]+/u, ''))
    .filter(Boolean)
  const first = [...(parts[0] ?? '')][0] ?? '?'
  const second = [...(parts[1] ?? '')][0] ?? ''
  return (first + second).toUpperCase()
}

/**
 * A hue from the chat's or account's id, so two "A"s of different accounts differ by colour
 * even before a picture arrives. FNV-1a over the UTF-16 units: stable across runs.
 */
export function avatarHue(key: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193) >>> 0
  return h % 360
}

/** Whose profile picture to show: the account, the remote id on it (a contact, a group, or the account's own selfId) and the version Core gave. */
export interface AvatarPicture {
  accountId: string
  remoteId: string
  version: string | undefined
}

/**
 * A round picture for a chat, contact or account: the profile picture where the network gave
 * one (served by main through junction-media: or the host's token-checked route), else the
 * initials on a colour of the id — while it loads and when it fails. Decorative: the name is
 * always written next to it.
 */
export function Avatar({
  name,
  id,
  src = null,
  picture,
  size = 36,
  className = 'avatar'
}: {
  name: string
  id: string
  src?: string | null
  picture?: AvatarPicture
  size?: number
  className?: string
}): React.JSX.Element {
  const actions = useActions()
  // Read so the picture appears once main has said where pictures are served (actions.avatarUrl).
  useApp((s) => s.avatars)
  const url = src ?? (picture ? actions.avatarUrl(picture.accountId, picture.remoteId, picture.version) : null)
  const [loaded, setLoaded] = useState<string | null>(null)
  const [broken, setBroken] = useState<string | null>(null)
  const style = { width: size, height: size, fontSize: Math.round(size * 0.4), background: `hsl(${avatarHue(id)} 45% 30%)` }
  const showPicture = url !== null && broken !== url
  return (
    <span className={`${className} avatar-frame`} aria-hidden="true" style={style}>
      {/* The initials stay underneath until the picture has loaded, and come back if it fails. */}
      {(!showPicture || loaded !== url) && <span className="avatar-initials">{initials(name)}</span>}
      {showPicture && (
        <img
          className={`avatar-picture${loaded === url ? ' loaded' : ''}`}
          src={url}
          alt=""
          width={size}
          height={size}
          decoding="async"
          loading="lazy"
          draggable={false}
          onLoad={() => setLoaded(url)}
          onError={() => setBroken(url)}
        />
      )}
    </span>
  )
}
