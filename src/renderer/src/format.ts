import { strings } from './strings'

// 'numeric' hours: "7:38 PM" where the locale uses a 12-hour clock (not "07:38 PM"), "19:38" where it does not.
const timeFormat = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' })
const dayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'short' })
const dateFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' })
const longDateFormat = new Intl.DateTimeFormat(undefined, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' })

function startOfDay(t: number): number {
  const d = new Date(t)
  d.setHours(0, 0, 0, 0)
  return d.getTime()
}

/** Inbox times: the clock today, "Yesterday", a weekday this week, else a date. */
export function formatInboxTime(t: number, now: number = Date.now()): string {
  if (t <= 0) return ''
  const days = Math.round((startOfDay(now) - startOfDay(t)) / 86_400_000)
  if (days <= 0) return timeFormat.format(t)
  if (days === 1) return strings.time.yesterday
  if (days < 7) return dayFormat.format(t)
  return dateFormat.format(t)
}

export function formatTime(t: number): string {
  return timeFormat.format(t)
}

export function formatDay(t: number): string {
  return longDateFormat.format(t)
}

export function sameDay(a: number, b: number): boolean {
  return startOfDay(a) === startOfDay(b)
}

/** A message's text, or what it is when it has none (a photo, a sticker, a file); '' for an empty one. */
export function messageGist(m: { kind: string; text: string }): string {
  if (m.text !== '') return m.text
  return m.kind === 'image' ? strings.preview.image : m.kind === 'sticker' ? strings.preview.sticker : m.kind === 'file' ? strings.preview.file : ''
}
