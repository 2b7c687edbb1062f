// Where a browser sign-in comes back to under the headless host. The redirect's fragment
// never reaches a server, so a small page reads its own URL and posts it to the host;
// the unguessable login id in the path is the capability.

export const AUTH_CALLBACK_PATH = '/auth/callback/'
export const AUTH_COMPLETE_PATH = '/auth/complete/'
export const AUTH_CALLBACK_SCRIPT = '/auth/callback.js'

export const AUTH_CALLBACK_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Junction sign-in</title><link rel="icon" href="data:,">
<script src="${AUTH_CALLBACK_SCRIPT}" defer></script></head>
<body><p id="status" role="status">Finishing sign-in…</p></body></html>`

export const AUTH_CALLBACK_JS = `(async () => {
  const status = document.getElementById('status')
  const loginId = location.pathname.slice(${JSON.stringify(AUTH_CALLBACK_PATH)}.length)
  try {
    const res = await fetch(${JSON.stringify(AUTH_COMPLETE_PATH)} + loginId, { method: 'POST', body: location.href })
    status.textContent = res.ok ? 'Signed in. You can close this tab and go back to Junction.' : 'This sign-in is no longer in progress. Go back to Junction and try again.'
    if (res.ok) setTimeout(() => window.close(), 500)
  } catch {
    status.textContent = 'Junction could not be reached. Is it still running?'
  }
})()`
