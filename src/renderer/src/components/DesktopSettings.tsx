import { useEffect, useState } from 'react'
import type { DesktopPreferences, UpdateCheckResult } from '../../../shared/api'
import { useActions } from '../context'
import { strings } from '../strings'

/** The desktop app's own settings (Electron only): the tray, updates and the logs folder. */
export function DesktopSettings(): React.JSX.Element {
  const actions = useActions()
  const [prefs, setPrefs] = useState<DesktopPreferences | null>(null)
  const [url, setUrl] = useState('')
  const [checking, setChecking] = useState(false)
  const [result, setResult] = useState<UpdateCheckResult | null>(null)
  useEffect(() => {
    let live = true
    void actions.getDesktopPreferences().then((p) => {
      if (!live || !p) return
      setPrefs(p)
      setUrl(p.updateUrl ?? '')
    })
    return () => {
      live = false
    }
  }, [actions])
  const apply = async (patch: Parameters<typeof actions.updateDesktopPreferences>[0]): Promise<void> => {
    const next = await actions.updateDesktopPreferences(patch)
    if (next) setPrefs(next)
  }
  return (
    <>
      <h3>{strings.settings.desktop}</h3>
      <label className="check">
        <input type="checkbox" checked={prefs?.closeToTray ?? true} disabled={!prefs} onChange={(e) => void apply({ closeToTray: e.target.checked })} />{' '}
        {strings.settings.closeToTray}
      </label>
      <h3 id="updates-title">{strings.settings.updates}</h3>
      <form
        className="setting-row"
        onSubmit={(e) => {
          e.preventDefault()
          void apply({ updateUrl: url.trim() === '' ? null : url.trim() })
        }}
      >
        <label htmlFor="update-url">{strings.settings.updateUrl}</label>
        <p className="hint">{strings.settings.updateUrlHint}</p>
        <div className="row">
          <input id="update-url" type="url" value={url} onChange={(e) => setUrl(e.target.value)} />
          <button type="submit">{strings.settings.save}</button>
          <button
            type="button"
            disabled={checking}
            onClick={() => {
              setChecking(true)
              void actions.checkForUpdates().then((r) => {
                setChecking(false)
                setResult(r)
              })
            }}
          >
            {checking ? strings.settings.checking : strings.settings.checkUpdates}
          </button>
        </div>
        {result && (
          <p role="status" className="update-result">
            {strings.settings.updateResult(result)}
          </p>
        )}
      </form>
      <h3>{strings.settings.logs}</h3>
      <p className="hint">{strings.settings.logsHint}</p>
      <div className="row">
        <button type="button" onClick={actions.revealLogsFolder}>
          {strings.settings.openLogs}
        </button>
      </div>
    </>
  )
}
