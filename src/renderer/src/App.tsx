import { useEffect } from 'react'
import { AccountRail } from './components/AccountRail'
import { AddAccountDialog } from './components/AddAccountDialog'
import { ChatView } from './components/ChatView'
import { Inbox } from './components/Inbox'
import { useApp } from './context'
import { totalUnread } from './state/inbox'
import { strings } from './strings'

function LinkBanner(): React.JSX.Element | null {
  const link = useApp((s) => s.link)
  if (link === 'open') return null
  return (
    <div className={`link-banner link-${link}`} role="status">
      {link === 'lost' ? strings.link.lost : strings.link.connecting}
    </div>
  )
}

export function App(): React.JSX.Element {
  const unread = useApp((s) => totalUnread(s.chats, new Set(Object.values(s.accounts).filter((a) => a.muted).map((a) => a.id))))
  useEffect(() => {
    document.title = strings.titleWithUnread(unread)
  }, [unread])
  return (
    <div className="app">
      <LinkBanner />
      <AccountRail />
      <Inbox />
      <ChatView />
      <AddAccountDialog />
    </div>
  )
}
