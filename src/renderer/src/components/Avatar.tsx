import { useState } from 'react'

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

/**
 * A round picture for a chat, contact or account: the profile picture where the network gave
 * one (a junction-media: URL), else the initials on a colour of the id. Decorative: the name
 * is always written next to it.
 */
export function Avatar({ name, id, src = null, size = 36 }: { name: string; id: string; src?: string | null; size?: number }): React.JSX.Element {
  const [broken, setBroken] = useState<string | null>(null)
  const style = { width: size, height: size, fontSize: Math.round(size * 0.4), background: `hsl(${avatarHue(id)} 45% 30%)` }
  if (src && broken !== src) {
    return <img className="avatar" src={src} alt="" aria-hidden="true" width={size} height={size} style={style} onError={() => setBroken(src)} />
  }
  return (
    <span className="avatar" aria-hidden="true" style={style}>
      {initials(name)}
    </span>
  )
}
