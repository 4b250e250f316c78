import type { ReactNode } from 'react'

/** Small decorative icons: hidden from assistive technology, the text beside them says it all. */
interface IconProps {
  className?: string
}

function Svg({ className, children }: IconProps & { children: ReactNode }) {
  return (
    <svg className={`icon ${className ?? ''}`} viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
      {children}
    </svg>
  )
}

export function AlertIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <path fill="currentColor" d="M12 2 1 21h22L12 2Zm0 4.3L19.5 19h-15L12 6.3ZM11 10v5h2v-5h-2Zm0 6v2h2v-2h-2Z" />
    </Svg>
  )
}

export function CloseIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <path fill="currentColor" d="M6.4 5 5 6.4 10.6 12 5 17.6 6.4 19l5.6-5.6 5.6 5.6 1.4-1.4-5.6-5.6L19 6.4 17.6 5 12 10.6 6.4 5Z" />
    </Svg>
  )
}

export function SortIcon({ direction, ...props }: IconProps & { direction: false | 'asc' | 'desc' }) {
  return (
    <Svg {...props}>
      {direction === 'asc' ? (
        <path fill="currentColor" d="M12 6 6 14h12L12 6Z" />
      ) : direction === 'desc' ? (
        <path fill="currentColor" d="M12 18 6 10h12l-6 8Z" />
      ) : (
        <path fill="currentColor" opacity="0.55" d="M12 4 7 10h10l-5-6Zm0 16 5-6H7l5 6Z" />
      )}
    </Svg>
  )
}

export function ChevronIcon({ direction, ...props }: IconProps & { direction: 'left' | 'right' }) {
  return (
    <Svg {...props}>
      <path fill="currentColor" d={direction === 'left' ? 'M15.4 6 9.4 12l6 6L14 19.4 6.6 12 14 4.6 15.4 6Z' : 'M8.6 6 14.6 12l-6 6L10 19.4 17.4 12 10 4.6 8.6 6Z'} />
    </Svg>
  )
}

export function SearchIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <path fill="currentColor" d="M10 3a7 7 0 0 1 5.6 11.2l5.1 5.1-1.4 1.4-5.1-5.1A7 7 0 1 1 10 3Zm0 2a5 5 0 1 0 0 10 5 5 0 0 0 0-10Z" />
    </Svg>
  )
}
