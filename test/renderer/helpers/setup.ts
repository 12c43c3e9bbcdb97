import { cleanup } from '@testing-library/react'
import { afterEach } from 'vitest'
import { resetAppStore } from '../../../renderer/src/store/store.ts'

afterEach(() => {
  cleanup()
  resetAppStore()
})
