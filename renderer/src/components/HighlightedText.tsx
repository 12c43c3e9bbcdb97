import { highlightParts } from '../lib/highlight.ts'

/** `text` with the words of `query` marked, drawn as text (never as markup, whatever it holds). */
export function HighlightedText ({ text, query }: { text: string; query: string }) {
  return (
    <>
      {highlightParts(text, query).map((part, i) => part.match
        ? <mark key={i} className="search-match">{part.text}</mark>
        : <span key={i}>{part.text}</span>)}
    </>
  )
}
