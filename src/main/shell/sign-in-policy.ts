// What the sign-in window may do (issue 11 §13): load pages of the sign-in service and
// stop at the redirect that ends the sign-in; nothing else. No permission is ever granted
// (camera, notifications, clipboard…), no new window opens, and it never navigates to a
// scheme other than https (http only for a loopback reference server).

export type SignInNavigation = 'redirect' | 'allow' | 'deny'

export interface SignInPolicyOptions {
  /** The first page of the sign-in. */
  startUrl: string
  /** The URL prefix that ends it (captured, never loaded). */
  redirectPrefix: string
  /** Origins the flow is known to pass through besides the start page's site (e.g. `https://login.microsoftonline.com`). */
  extraOrigins?: readonly string[]
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]'])

/** The site of a host: its last two labels (`login.live.com` → `live.com`); an IP or loopback name stays whole. */
function siteOf(host: string): string {
  if (/^[\d.]+$/.test(host) || host.startsWith('[')) return host
  const labels = host.split('.')
  return labels.slice(-2).join('.')
}

export function signInNavigationPolicy(options: SignInPolicyOptions): (url: string) => SignInNavigation {
  const start = new URL(options.startUrl)
  const startSite = siteOf(start.hostname)
  const startIsLoopback = start.protocol === 'http:' && LOOPBACK.has(start.hostname)
  const extra = new Set((options.extraOrigins ?? []).map((o) => new URL(o).origin))
  return (url) => {
    if (url.startsWith(options.redirectPrefix)) return 'redirect'
    let u: URL
    try {
      u = new URL(url)
    } catch {
      return 'deny'
    }
    if (u.username || u.password) return 'deny'
    if (u.protocol === 'http:') return startIsLoopback && u.host === start.host ? 'allow' : 'deny'
    if (u.protocol !== 'https:') return 'deny'
    if (extra.has(u.origin)) return 'allow'
    const host = u.hostname
    return host === start.hostname || (start.protocol === 'https:' && (host === startSite || host.endsWith(`.${startSite}`))) ? 'allow' : 'deny'
  }
}

/** Every permission a page asks for in the sign-in window is refused. */
export function signInPermission(_permission: string): false {
  return false
}
