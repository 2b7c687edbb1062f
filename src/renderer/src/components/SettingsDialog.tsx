import { useState } from 'react'
import type { ExportFormat, ExportResult, ThemePreference } from '../../../shared/api'
import { useShallow } from 'zustand/react/shallow'
import { useActions, useApp } from '../context'
import { sortedAccounts } from '../state/accounts'
import type { SettingsTab } from '../state/ui'
import { strings } from '../strings'
import { AccountSummary } from './AccountDialog'
import { Modal } from './Modal'
import { DesktopSettings } from './DesktopSettings'
import { NetworkSettings } from './NetworkSettings'

const TABS: SettingsTab[] = ['accounts', 'notifications', 'appearance', 'advanced']

function AccountsTab(): React.JSX.Element {
  const accounts = useApp(useShallow((s) => sortedAccounts(s.accounts)))
  const openDialog = useApp((s) => s.openDialog)
  return (
    <div className="settings-section">
      {accounts.length === 0 && <p className="empty">{strings.settings.noAccounts}</p>}
      {accounts.map((a) => (
        <AccountSummary key={a.id} accountId={a.id} />
      ))}
      <button type="button" className="primary" onClick={() => openDialog({ kind: 'add-account', network: null, reloginAccountId: null })}>
        {strings.rail.addAccount}
      </button>
    </div>
  )
}

function NotificationsTab(): React.JSX.Element | null {
  const settings = useApp((s) => s.settings)
  const actions = useActions()
  if (!settings) return null
  const denied = typeof Notification !== 'undefined' && Notification.permission === 'denied'
  return (
    <div className="settings-section">
      <label className="check">
        <input
          type="checkbox"
          checked={settings.notifications.enabled}
          onChange={(e) => {
            if (e.target.checked && typeof Notification !== 'undefined' && Notification.permission === 'default') void Notification.requestPermission()
            void actions.updateSettings({ notifications: { enabled: e.target.checked } })
          }}
        />
        {strings.settings.notificationsEnabled}
      </label>
      <label className="check">
        <input
          type="checkbox"
          checked={settings.notifications.showPreview}
          disabled={!settings.notifications.enabled}
          onChange={(e) => void actions.updateSettings({ notifications: { showPreview: e.target.checked } })}
        />
        {strings.settings.showPreview}
      </label>
      <p className="hint">{strings.settings.showPreviewHint}</p>
      {denied && <p className="error">{strings.settings.permissionDenied}</p>}
    </div>
  )
}

function AppearanceTab(): React.JSX.Element | null {
  const settings = useApp((s) => s.settings)
  const actions = useActions()
  if (!settings) return null
  return (
    <fieldset className="settings-section">
      <legend>{strings.settings.theme}</legend>
      {(['system', 'light', 'dark'] as ThemePreference[]).map((t) => (
        <label key={t} className="check">
          <input type="radio" name="theme" value={t} checked={settings.theme === t} onChange={() => void actions.updateSettings({ theme: t })} />
          {strings.settings.themes[t]}
        </label>
      ))}
    </fieldset>
  )
}

function AdvancedTab(): React.JSX.Element | null {
  const settings = useApp((s) => s.settings)
  const shell = useApp((s) => s.shell)
  const dataDir = useApp((s) => s.dataDir)
  const actions = useActions()
  const networks = useApp((s) => s.networks)
  const [exporting, setExporting] = useState<ExportFormat | null>(null)
  const [exported, setExported] = useState<ExportResult | null>(null)
  if (!settings) return null
  const runExport = async (format: ExportFormat): Promise<void> => {
    setExporting(format)
    setExported(await actions.exportHistory(format))
    setExporting(null)
  }
  return (
    <div className="settings-section">
      {networks.map((n) => (
        <NetworkSettings key={n.id} network={n} />
      ))}

      <h3 id="data-title">{strings.settings.dataFolder}</h3>
      <p className="hint">{strings.settings.dataFolderHint}</p>
      <p>
        <code aria-labelledby="data-title">{dataDir}</code>
      </p>
      {shell === 'electron' ? (
        <>
          <button type="button" onClick={actions.revealDataFolder}>
            {strings.settings.openFolder}
          </button>
          <button type="button" onClick={() => void actions.moveDataFolder()}>
            {strings.settings.moveFolder}
          </button>
        </>
      ) : (
        <p className="hint">{strings.settings.headlessDataFolder}</p>
      )}

      {shell === 'electron' && <DesktopSettings />}

      <h3>{strings.settings.export}</h3>
      <p className="hint">{strings.settings.exportHint}</p>
      <div className="row">
        <button type="button" disabled={exporting !== null} onClick={() => void runExport('json')}>
          {exporting === 'json' ? strings.settings.exporting : strings.settings.exportJson}
        </button>
        <button type="button" disabled={exporting !== null} onClick={() => void runExport('html')}>
          {exporting === 'html' ? strings.settings.exporting : strings.settings.exportHtml}
        </button>
      </div>
      {exported && (
        <p role="status" className="export-result" data-file={exported.fileName}>
          {strings.settings.exported(exported.messages, exported.fileName)}{' '}
          {shell === 'electron' && (
            <button type="button" onClick={() => actions.revealExport(exported.fileName)}>
              {strings.settings.showExport}
            </button>
          )}
        </p>
      )}
    </div>
  )
}

export function SettingsDialog({ tab }: { tab: SettingsTab }): React.JSX.Element {
  const openDialog = useApp((s) => s.openDialog)
  const close = (): void => openDialog(null)
  return (
    <Modal labelledBy="settings-title" className="settings" onClose={close}>
      <header>
        <h2 id="settings-title">{strings.settings.title}</h2>
        <button type="button" className="icon" aria-label={strings.settings.close} onClick={close}>
          ×
        </button>
      </header>
      <div className="tabs" role="tablist" aria-label={strings.settings.title}>
        {TABS.map((t) => (
          <button
            key={t}
            type="button"
            role="tab"
            id={`tab-${t}`}
            aria-selected={t === tab}
            aria-controls={`panel-${t}`}
            tabIndex={t === tab ? 0 : -1}
            onClick={() => openDialog({ kind: 'settings', tab: t })}
            onKeyDown={(e) => {
              const i = TABS.indexOf(tab)
              if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
                const next = TABS[(i + (e.key === 'ArrowRight' ? 1 : TABS.length - 1)) % TABS.length]!
                openDialog({ kind: 'settings', tab: next })
                requestAnimationFrame(() => document.getElementById(`tab-${next}`)?.focus())
              }
            }}
          >
            {strings.settings.tabs[t]}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} className="tab-panel">
        {tab === 'accounts' && <AccountsTab />}
        {tab === 'notifications' && <NotificationsTab />}
        {tab === 'appearance' && <AppearanceTab />}
        {tab === 'advanced' && <AdvancedTab />}
      </div>
    </Modal>
  )
}
