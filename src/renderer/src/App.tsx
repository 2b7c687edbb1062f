import { useEffect } from 'react'
import { AccountDialog } from './components/AccountDialog'
import { AccountRail } from './components/AccountRail'
import { AddAccountDialog } from './components/AddAccountDialog'
import { ChatView } from './components/ChatView'
import { CommandPalette } from './components/CommandPalette'
import { ImageViewer } from './components/ImageViewer'
import { Inbox } from './components/Inbox'
import { ListResizer, useListWidth } from './components/ListResizer'
import { SettingsDialog } from './components/SettingsDialog'
import { Toasts } from './components/Toasts'
import { useActions, useApp, useAppStore } from './context'
import { useShortcuts } from './shortcuts'
import { mutedAccounts, totalUnread } from './state/inbox'
import { strings } from './strings'

function LinkBanner(): React.JSX.Element | null {
  const link = useApp((s) => s.link)
  if (link === 'open') return null
  return (
    <div className={`link-banner link-${link}`} role="status">
      {link === 'lost' ? strings.link.lost : link === 'restarted' ? strings.link.restarted : strings.link.connecting}
    </div>
  )
}

function Dialogs(): React.JSX.Element | null {
  const dialog = useApp((s) => s.dialog)
  switch (dialog?.kind) {
    case 'add-account':
      return <AddAccountDialog initialNetwork={dialog.network} reloginAccountId={dialog.reloginAccountId} />
    case 'settings':
      return <SettingsDialog tab={dialog.tab} />
    case 'palette':
      return <CommandPalette />
    case 'account':
      return <AccountDialog accountId={dialog.accountId} />
    case 'image':
      return <ImageViewer messageId={dialog.messageId} />
    default:
      return null
  }
}

export function App(): React.JSX.Element {
  const unread = useApp((s) => totalUnread(s.chats, mutedAccounts(s.accounts)))
  const theme = useApp((s) => s.settings?.theme ?? 'system')
  useShortcuts(useAppStore(), useActions())
  useEffect(() => {
    document.title = strings.titleWithUnread(unread)
  }, [unread])
  useEffect(() => {
    const system = window.matchMedia('(prefers-color-scheme: dark)')
    const apply = (): void => {
      document.documentElement.dataset.theme = theme === 'system' ? (system.matches ? 'dark' : 'light') : theme
    }
    apply()
    system.addEventListener('change', apply)
    return () => system.removeEventListener('change', apply)
  }, [theme])
  const [listWidth, setListWidth] = useListWidth()
  const drawerOpen = useApp((s) => s.drawerOpen || s.selectedChatId === null)
  return (
    <div className={`app${drawerOpen ? ' drawer-open' : ''}`} style={{ ['--list-width' as string]: `${listWidth}px` }}>
      <LinkBanner />
      <AccountRail />
      <Inbox />
      <ListResizer width={listWidth} onResize={setListWidth} />
      <ChatView />
      <Dialogs />
      <Toasts />
    </div>
  )
}
