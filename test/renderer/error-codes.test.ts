// The window knows every code the core can send: one it did not would show as an internal error.
import { describe, expect, it } from 'vitest'
import { ERROR_CODES } from '../../core/api/contract.ts'
import { toClientErrorCode } from '../../renderer/src/client/api-call-error.ts'

describe('error codes', () => {
  it('every code of the contract reaches the window as itself', () => {
    for (const code of ERROR_CODES) expect(toClientErrorCode(code)).toBe(code)
  })
})
