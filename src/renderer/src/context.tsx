import { createContext, useContext } from 'react'
import { useStore } from 'zustand'
import type { Actions } from './actions'
import type { AppState, AppStore } from './state/store'

export interface AppContextValue {
  store: AppStore
  actions: Actions
}

export const AppContext = createContext<AppContextValue | null>(null)

function useAppContext(): AppContextValue {
  const value = useContext(AppContext)
  if (!value) throw new Error('AppContext missing')
  return value
}

/** A narrow subscription to the store: re-renders only when the selected value changes. */
export function useApp<T>(selector: (state: AppState) => T): T {
  return useStore(useAppContext().store, selector)
}

export function useAppStore(): AppStore {
  return useAppContext().store
}

export function useActions(): Actions {
  return useAppContext().actions
}
