import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { connectApi } from './api'
import { createActions } from './actions'
import { App } from './App'
import { AppContext } from './context'
import { askNotificationPermission, startNotifier } from './notifications'
import { applyEvent, createAppStore } from './state/store'
import './styles.css'

// Marks for the bench's breakdown of start-up time (visible in any profiler too).
performance.mark('junction:script')
const store = createAppStore()
let wasLost = false
const api = connectApi((link) => {
  store.getState().setLink(link)
  if (link === 'open') performance.mark('junction:api-open')
  // After the link comes back, events may have been missed: reload what is on screen.
  if (link === 'lost') wasLost = true
  if (link === 'open' && wasLost) {
    wasLost = false
    void actions.bootstrap()
  }
})
const actions = createActions(api, store)

// The one listener that feeds Api events into the store, registered before anything renders.
api.onEvent((event) => applyEvent(store, event))
// A notification shown by main (the window was closed or unfocused) was clicked.
api.onEvent((event) => {
  if (event.type === 'openChat') void actions.openChat(event.payload.chatId, event.payload.messageId)
})
startNotifier(api, store, actions)
void actions.bootstrap().then(() => askNotificationPermission(store))

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <AppContext.Provider value={{ store, actions }}>
      <App />
    </AppContext.Provider>
  </StrictMode>
)
