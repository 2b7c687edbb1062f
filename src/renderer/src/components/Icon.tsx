// Icons as inline SVG: no icon font and no emoji font needed, so they look the same on every system.

const PATHS = {
  pin: 'M14 3l7 7-2 2-1-1-4 4 1 5-2 2-4-4-4 4-1-1 4-4-4-4 2-2 5 1 4-4-1-1z',
  bellOff:
    'M4 4l16 16-1.4 1.4-2.7-2.7H4v-1l2-2V11c0-1.2.3-2.3.8-3.3L2.6 5.4zM12 2a2 2 0 012 2v.3A6 6 0 0118 10v4.2L8.5 4.7A6 6 0 0110 4.3V4a2 2 0 012-2zm-2 18h4a2 2 0 01-4 0z',
  archive: 'M3 4h18v4H3zm1 5h16v11H4zm5 3v2h6v-2z',
  search: 'M10 3a7 7 0 015.6 11.2l5.1 5.1-1.4 1.4-5.1-5.1A7 7 0 1110 3zm0 2a5 5 0 100 10 5 5 0 000-10z',
  gear: 'M12 8a4 4 0 110 8 4 4 0 010-8zm-1-6h2l.5 2.6 2 .9 2.2-1.5 1.4 1.4-1.5 2.2.9 2 2.5.4v2l-2.6.5-.9 2 1.5 2.2-1.4 1.4-2.2-1.5-2 .9-.4 2.5h-2l-.5-2.6-2-.9-2.2 1.5-1.4-1.4 1.5-2.2-.9-2L2 13v-2l2.6-.5.9-2L4 6.3l1.4-1.4 2.2 1.5 2-.9z',
  lock: 'M7 10V7a5 5 0 0110 0v3h1v11H6V10zm2 0h6V7a3 3 0 00-6 0z',
  arrowDown: 'M11 4h2v12l5-5 1.4 1.4L12 19.8 4.6 12.4 6 11l5 5z',
  image: 'M4 4h16a1 1 0 011 1v14a1 1 0 01-1 1H4a1 1 0 01-1-1V5a1 1 0 011-1zm1 2v9l4-4 3 3 3-3 4 4V6zm10 1.5a1.5 1.5 0 110 3 1.5 1.5 0 010-3z',
  menu: 'M3 6h18v2H3zm0 5h18v2H3zm0 5h18v2H3z',
  nudge: 'M13 2L4 14h6l-1 8 9-12h-6z',
  clock: 'M12 2a10 10 0 110 20 10 10 0 010-20zm0 2a8 8 0 100 16 8 8 0 000-16zm-1 3h2v5l4 2-1 1.7-5-2.7z'
} as const

export type IconName = keyof typeof PATHS

export function Icon({ name, size = 18 }: { name: IconName; size?: number }): React.JSX.Element {
  return (
    <svg className="icon-svg" width={size} height={size} viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path d={PATHS[name]} fill="currentColor" />
    </svg>
  )
}
