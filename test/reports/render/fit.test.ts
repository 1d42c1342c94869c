import {describe, expect, it} from 'vitest'

import {clip, cutAt, ELLIPSIS, fitLine} from '../../../src/reports/render/fit.js'

/** A monospaced "font": every character 1 wide (an emoji's two code units, 1 too), the ellipsis 1. */
function counting() {
  const calls: number[] = []
  const measure = (text: string) => {
    calls.push(text.length)
    return [...text].length
  }
  return {measure, calls}
}

describe('fitLine: one line of text in a bounded room', () => {
  const cases: [string, string, number, string][] = [
    ['fits as it is', 'Accounts', 10, 'Accounts'],
    ['exactly the room', 'Accounts', 8, 'Accounts'],
    ['cut with an ellipsis', 'Accounts payable', 11, `Accounts p${ELLIPSIS}`],
    ['no space before the ellipsis', 'Human resources', 7, `Human${ELLIPSIS}`],
    ['a room for the ellipsis only', 'Accounts', 1, ELLIPSIS],
    ['no room at all', 'Accounts', 0.5, ''],
    ['an emoji is never split in half', 'ab😀😀😀', 4, `ab😀${ELLIPSIS}`],
  ]
  for (const [name, text, room, expected] of cases) {
    it(name, () => {
      expect(fitLine(text, room, counting().measure, 1)).toBe(expected)
    })
  }

  it('measures at most a line of a 1 000 000-character text, a logarithmic number of times', () => {
    const {measure, calls} = counting()
    const department = 'Département des ressources humaines '.repeat(30_000)
    const shown = fitLine(department, 40, measure, 1)
    expect(shown.endsWith(ELLIPSIS)).toBe(true)
    expect(department.startsWith(shown.slice(0, -1))).toBe(true)
    expect([...shown].length).toBeLessThanOrEqual(40)
    // The whole text is never measured: only prefixes no longer than the room allows (+ the ellipsis).
    expect(Math.max(...calls)).toBeLessThanOrEqual(43)
    expect(calls.length).toBeLessThan(12)
  })
})

describe('clip and cutAt: a character budget', () => {
  it('keeps short text, cuts long text to the budget with an ellipsis, never inside a surrogate pair', () => {
    expect(clip('Finance', 10)).toBe('Finance')
    expect(clip('x'.repeat(10_000), 10)).toBe(`${'x'.repeat(9)}${ELLIPSIS}`)
    expect(cutAt('a😀b', 2)).toBe('a')
    expect(cutAt('ab  cd', 4)).toBe('ab')
  })
})
