import { cleanup } from '@testing-library/react'
import { afterEach } from 'vitest'
import { resetAppStore } from '../../../renderer/src/store/store.ts'

afterEach(() => {
  cleanup()
  resetAppStore()
  // What a window keeps (the last conversation, choices) must not carry from one test into the next.
  if (typeof localStorage !== 'undefined') localStorage.clear()
})
