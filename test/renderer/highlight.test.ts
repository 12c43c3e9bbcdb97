import { describe, expect, it } from 'vitest'
import { foldText, queryWords } from '../../renderer/src/lib/fold.ts'
import { highlightParts, matchRanges, snippet } from '../../renderer/src/lib/highlight.ts'

const marked = (text: string, query: string): string[] => highlightParts(text, query).filter(p => p.match).map(p => p.text)

describe('folding text for search', () => {
  it('drops case and accents and says where each folded character came from', () => {
    const folded = foldText('Zoë ÉTÉ')
    expect(folded.text).toBe('zoe ete')
    expect(folded.starts).toEqual([0, 1, 2, 3, 4, 5, 6])
    expect(foldText('e\u0301a').text).toBe('ea')
    expect(foldText('e\u0301a').starts).toEqual([0, 2])
  })

  it('takes the words of a query, folded, longest first, each once', () => {
    expect(queryWords('  An ANNA, "an"!  ')).toEqual(['anna', 'an'])
    expect(queryWords('*** ...')).toEqual([])
  })
})

describe('marking what a search matched', () => {
  it('marks each word of the query where it begins a word of the text, whatever its case or accents', () => {
    expect(marked('Café au lait, CAFÉ crème; decafe', 'cafe')).toEqual(['Café', 'CAFÉ'])
    expect(marked('Zoë met Zoe', 'zoe')).toEqual(['Zoë', 'Zoe'])
  })

  it('marks a prefix as the core matches it, and the longest word where two begin alike', () => {
    expect(marked('lunchtime at the lunch bar', 'lunch')).toEqual(['lunch', 'lunch'])
    expect(marked('Anna and Andy', 'an anna')).toEqual(['Anna', 'an', 'An'])
  })

  it('keeps every character: the parts joined are the text', () => {
    const text = '<b>bold</b> & **stars** 😀 é'
    expect(highlightParts(text, 'bold stars').map(p => p.text).join('')).toBe(text)
    expect(highlightParts(text, '').map(p => p.text).join('')).toBe(text)
    expect(marked(text, 'bold stars')).toEqual(['bold', 'stars'])
  })

  it('maps a match through characters that fold to other lengths', () => {
    const text = 'xe\u0301té fête'
    expect(matchRanges(text, 'ete')).toEqual([])
    expect(marked('e\u0301te\u0301 fête', 'ete fete')).toEqual(['e\u0301te\u0301', 'fête'])
  })
})

describe('the part of a message a result shows', () => {
  it('starts a little before the first match, on one line, with ellipses where text was left out', () => {
    const long = `${'filler words '.repeat(20)}the needle is here\nand then ${'more text '.repeat(40)}`
    const shown = snippet(long, 'needle', 60)
    expect(shown.startsWith('…')).toBe(true)
    expect(shown).toContain('the needle is here and then')
    expect(shown.endsWith('…')).toBe(true)
    expect(Array.from(shown).length).toBeLessThanOrEqual(62)
  })

  it('shows a short message whole, and never cuts an emoji in two', () => {
    expect(snippet('hi there', 'there')).toBe('hi there')
    expect(snippet('😀'.repeat(10), 'x', 5)).toBe(`${'😀'.repeat(5)}…`)
  })
})
