export function Logo ({ size = 32 }: { size?: number }) {
  return (
    <svg className="logo" width={size} height={size} viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <rect width="32" height="32" rx="9" className="logo__tile" />
      <path d="M9 11.5A3.5 3.5 0 0 1 12.5 8h7A3.5 3.5 0 0 1 23 11.5v5a3.5 3.5 0 0 1-3.5 3.5H15l-4.5 4v-4.2A3.5 3.5 0 0 1 9 16.5Z" className="logo__bubble" />
      <circle cx="13" cy="14" r="1.4" className="logo__dot" />
      <circle cx="16" cy="14" r="1.4" className="logo__dot" />
      <circle cx="19" cy="14" r="1.4" className="logo__dot" />
    </svg>
  )
}
