// A person handing the page a file as in the e2e tests: pasted into the composer or dropped
// on the chat (the DOM events Chromium fires, built in the page).

import type { Page } from 'playwright'

/** Node's view of the page's DOM types, enough to paste or drop one file. */
export type PageDom = {
  DataTransfer: new () => { items: { add(f: unknown): void } }
  File: new (parts: unknown[], name: string, o: { type: string }) => unknown
  ClipboardEvent: new (type: string, init: object) => unknown
  DragEvent: new (type: string, init: object) => unknown
  Uint8Array: typeof Uint8Array
  document: { querySelector(s: string): { dispatchEvent(e: unknown): boolean } | null }
}

/** Pastes one file into the composer. */
export async function pasteFile(page: Page, bytes: Buffer, name: string, type: string): Promise<void> {
  await page.evaluate(
    ([data, n, t]) => {
      const w = globalThis as unknown as PageDom
      const dt = new w.DataTransfer()
      dt.items.add(new w.File([new w.Uint8Array(data as number[])], n as string, { type: t as string }))
      w.document.querySelector('textarea')!.dispatchEvent(new w.ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }))
    },
    [[...bytes], name, type] as const
  )
}

/** Drags one file over the open chat and drops it. */
export async function dropFile(page: Page, bytes: Buffer, name: string, type: string): Promise<void> {
  await page.evaluate(
    ([data, n, t]) => {
      const w = globalThis as unknown as PageDom
      const dt = new w.DataTransfer()
      dt.items.add(new w.File([new w.Uint8Array(data as number[])], n as string, { type: t as string }))
      const target = w.document.querySelector('.chat-view')!
      target.dispatchEvent(new w.DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }))
      target.dispatchEvent(new w.DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }))
    },
    [[...bytes], name, type] as const
  )
}

/** A file draft as the composer hands Core one (issue 12 §2). */
export function fileDraft(
  name: string,
  bytes: Buffer,
  mime = 'application/pdf'
): { kind: 'file'; name: string; mime: string; size: number; dataBase64: string } {
  return { kind: 'file', name, mime, size: bytes.length, dataBase64: bytes.toString('base64') }
}
