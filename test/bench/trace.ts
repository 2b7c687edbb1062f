// The page's main-thread CPU time, from a Chromium trace (issue 14 §4): frame times in wall
// clock hold only on an idle machine (on 2 shared cores the renderer waits for the CPU more
// than it works), so the renderer rows also report the CPU time (trace events' `tdur`) the
// main thread spent on each frame and on each chat open.

import type { CDPSession, Page } from 'playwright'

export interface TraceEvent {
  name: string
  cat: string
  ph: string
  pid: number
  tid: number
  /** µs, trace clock */
  ts: number
  dur?: number
  /** thread (CPU) duration, µs */
  tdur?: number
  args?: { name?: string }
}

const CATEGORIES = 'devtools.timeline,toplevel,blink.user_timing,disabled-by-default-devtools.timeline'

/** Starts tracing the page; the returned function stops and gives the events of its renderer's main thread. */
export async function startTrace(page: Page): Promise<() => Promise<TraceEvent[]>> {
  const cdp: CDPSession = await page.context().newCDPSession(page)
  const events: TraceEvent[] = []
  cdp.on('Tracing.dataCollected', (e) => void events.push(...(e.value as unknown as TraceEvent[])))
  await cdp.send('Tracing.start', { categories: CATEGORIES, transferMode: 'ReportEvents' })
  return async () => {
    const done = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()))
    await cdp.send('Tracing.end')
    await done
    await cdp.detach()
    // The page's renderer: the one whose main thread ran our user-timing marks.
    const mark = events.find((e) => e.cat.includes('blink.user_timing'))
    const mains = events.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
    const main = mains.find((m) => mark && m.pid === mark.pid) ?? mains[0]
    return main ? events.filter((e) => e.pid === main.pid && e.tid === main.tid) : []
  }
}

/** Top-level tasks of the main thread (not nested in another), sorted by start. */
function topLevelTasks(events: TraceEvent[]): TraceEvent[] {
  const tasks = events.filter((e) => e.ph === 'X' && e.name === 'ThreadControllerImpl::RunTask' && e.dur !== undefined).sort((a, b) => a.ts - b.ts)
  const out: TraceEvent[] = []
  let end = -Infinity
  for (const t of tasks) {
    if (t.ts < end) continue
    out.push(t)
    end = t.ts + t.dur!
  }
  return out
}

/** Main-thread CPU ms in each interval between consecutive animation frames (FireAnimationFrame) in [from, to] (µs). */
export function cpuPerFrame(events: TraceEvent[], from = -Infinity, to = Infinity): number[] {
  const starts: number[] = []
  for (const e of events.filter((x) => x.name === 'FireAnimationFrame' && x.ts >= from && x.ts <= to).sort((a, b) => a.ts - b.ts)) {
    // Several rAF callbacks of one frame are one frame.
    if (starts.length === 0 || e.ts - starts.at(-1)! > 1_000) starts.push(e.ts)
  }
  const tasks = topLevelTasks(events)
  const out: number[] = []
  let t = 0
  for (let i = 0; i + 1 < starts.length; i++) {
    let cpu = 0
    while (t < tasks.length && tasks[t]!.ts < starts[i + 1]!) {
      if (tasks[t]!.ts >= starts[i]!) cpu += (tasks[t]!.tdur ?? tasks[t]!.dur!) / 1000
      t++
    }
    out.push(cpu)
  }
  return out
}

/** The frames' intervals (µs) as cpuPerFrame cuts them, with the CPU ms of each. */
export function frames(events: TraceEvent[]): { from: number; to: number; cpu: number }[] {
  const starts: number[] = []
  for (const e of events.filter((x) => x.name === 'FireAnimationFrame').sort((a, b) => a.ts - b.ts)) {
    if (starts.length === 0 || e.ts - starts.at(-1)! > 1_000) starts.push(e.ts)
  }
  const cpu = cpuPerFrame(events)
  return cpu.map((c, i) => ({ from: starts[i]!, to: starts[i + 1]!, cpu: c }))
}

/** Main-thread CPU ms between each pair of user-timing marks `${name}:start` / `${name}:end` (tasks overlapping it). */
export function cpuBetweenMarks(events: TraceEvent[], name: string): number[] {
  const marks = events
    .filter((e) => e.cat.includes('blink.user_timing') && (e.name === `${name}:start` || e.name === `${name}:end`))
    .sort((a, b) => a.ts - b.ts)
  const tasks = topLevelTasks(events)
  const out: number[] = []
  for (let i = 0; i + 1 < marks.length; i++) {
    if (marks[i]!.name !== `${name}:start` || marks[i + 1]!.name !== `${name}:end`) continue
    const [a, b] = [marks[i]!.ts, marks[i + 1]!.ts]
    let cpu = 0
    for (const task of tasks) if (task.ts < b && task.ts + task.dur! > a) cpu += (task.tdur ?? task.dur!) / 1000
    out.push(cpu)
  }
  return out
}
