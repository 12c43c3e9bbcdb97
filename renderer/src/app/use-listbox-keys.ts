import { useEffect, useState, type KeyboardEvent } from 'react'

// Page Up / Page Down move this many options at once.
const PAGE = 8

/**
 * The keys of a text field that drives a list of options (a combobox): ↑ ↓ move through them (round
 * the ends), Page Up / Page Down by a page, Enter chooses. The first option is active again whenever
 * `resetOn` changes (the query). The active option's element (`optionId(index)`) is kept in view.
 */
export function useListboxKeys (count: number, onChoose: (index: number) => void, resetOn: unknown, optionId: (index: number) => string) {
  const [active, setActive] = useState(0)
  useEffect(() => { setActive(0) }, [resetOn])
  const current = Math.max(0, Math.min(active, count - 1))
  useEffect(() => {
    if (count > 0) document.getElementById(optionId(current))?.scrollIntoView?.({ block: 'nearest' })
  }, [current, count, optionId])

  const onKeyDown = (event: KeyboardEvent<HTMLElement>): void => {
    if (count === 0 || event.altKey || event.ctrlKey || event.metaKey) return
    const move = (to: number): void => {
      event.preventDefault()
      setActive(to)
    }
    if (event.key === 'ArrowDown') move((current + 1) % count)
    else if (event.key === 'ArrowUp') move((current - 1 + count) % count)
    else if (event.key === 'PageDown') move(Math.min(count - 1, current + PAGE))
    else if (event.key === 'PageUp') move(Math.max(0, current - PAGE))
    else if (event.key === 'Enter' && !event.nativeEvent.isComposing) {
      event.preventDefault()
      onChoose(current)
    }
  }
  return { active: current, setActive, onKeyDown }
}
