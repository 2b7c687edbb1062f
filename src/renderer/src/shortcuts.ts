// Keyboard navigation for the whole window:
//   Ctrl+K  switcher and search      Ctrl+1…9  pick an account      Alt+↑/↓  previous/next chat
//   Ctrl+F  search in the chat       Esc       close what is open (dialogs close themselves)
//   Ctrl+Shift+F  search the chat list

import { useEffect } from 'react'
import type { Actions } from './actions'
import { sortedAccounts } from './state/accounts'
import type { AppStore } from './state/store'

export function handleShortcut(e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>, store: AppStore, actions: Actions): boolean {
  const s = store.getState()
  const mod = e.ctrlKey || e.metaKey
  if (mod && !e.altKey && e.key.toLowerCase() === 'k') {
    s.openDialog(s.dialog?.kind === 'palette' ? null : { kind: 'palette' })
    return true
  }
  if (s.dialog) return false
  if (mod && !e.altKey && /^[1-9]$/.test(e.key)) {
    const account = sortedAccounts(s.accounts)[Number(e.key) - 1]
    if (account) void actions.setFilter({ kind: 'account', accountId: account.id })
    return true
  }
  if (e.altKey && !mod && (e.key === 'ArrowUp' || e.key === 'ArrowDown')) {
    actions.moveSelection(e.key === 'ArrowUp' ? -1 : 1)
    return true
  }
  if (mod && !e.altKey && e.key.toLowerCase() === 'f' && e.shiftKey) {
    s.focusListSearch()
    return true
  }
  if (mod && !e.altKey && e.key.toLowerCase() === 'f' && s.selectedChatId) {
    s.setChatSearchOpen(true)
    return true
  }
  if (e.key === 'Escape' && s.chatSearchOpen) {
    s.setChatSearchOpen(false)
    return true
  }
  if (e.key === 'Escape' && s.drawerOpen && s.selectedChatId) {
    s.setDrawerOpen(false)
    return true
  }
  return false
}

export function useShortcuts(store: AppStore, actions: Actions): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (handleShortcut(e, store, actions)) e.preventDefault()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [store, actions])
}
