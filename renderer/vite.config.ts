import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'

const here = fileURLToPath(new URL('.', import.meta.url))

export default defineConfig({
  root: here,
  // Relative asset URLs: the same build loads from file:// in Electron and from the daemon's HTTP server.
  base: './',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    target: 'es2023',
    // The CSP forbids inline scripts; a module preload polyfill is unnecessary for the browsers we target.
    modulePreload: { polyfill: false }
  }
})
