// Drives the daemon's web UI in a real browser: the system's Chromium through playwright-core.
// Browsers are never downloaded; CI installs Debian's package (`apt-get install -y chromium`).
import fs from 'node:fs'
import path from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import type { DaemonProcess } from './testnet.ts'
import { waitUntil } from './wait.ts'

const CHROMIUM_PATH = '/usr/bin/chromium'
const RENDERER_INDEX = path.resolve(import.meta.dirname, '../../dist/renderer/index.html')

/** Where browser tests leave screenshots for people to look at; gitignored. */
const ARTIFACTS_DIR = path.resolve(import.meta.dirname, '../../test-artifacts/e2e')

// Everything that would reach out to Google or the network on its own is switched off.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync'
]

/** Fails with what to do when the browser or the built renderer is missing, instead of a timeout later. */
export function assertBrowserTestPrerequisites (): void {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(`browser tests need Chromium at ${CHROMIUM_PATH}; install it with \`apt-get install -y chromium\``)
  }
  if (!fs.existsSync(RENDERER_INDEX)) {
    throw new Error(`browser tests need the built renderer at ${RENDERER_INDEX}; run \`npm run build:renderer\``)
  }
}

/** Launches Chromium with a fresh, throwaway profile (Playwright makes one per launch and deletes it on close). */
export async function launchChromium (): Promise<Browser> {
  assertBrowserTestPrerequisites()
  return await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS })
}

/** A new page in its own browser context, so two users share no cookies, storage or downloads. */
export async function openUserPage (browser: Browser, url: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true })
  const page = await context.newPage()
  await page.goto(url)
  return page
}

/** The address with token that `bitchat daemon --web` prints on stderr. */
export async function webUiUrl (daemon: DaemonProcess, timeoutMs = 15_000): Promise<URL> {
  const line = await waitUntil(() => daemon.stderr.find(l => l.startsWith('web UI: ')), timeoutMs, `the web UI address of ${daemon.name}`)
  return new URL(line.slice('web UI: '.length).trim())
}

/**
 * Drags a file over the page and drops it, as a person dragging from their file manager does:
 * a real DataTransfer holding a real File, dispatched as dragenter then drop. `beforeDrop` runs
 * while the file hovers over the window.
 */
export async function dropFile (page: Page, file: { name: string; bytes: Uint8Array; type?: string }, beforeDrop: () => Promise<void> = async () => {}): Promise<void> {
  const dataTransfer = await page.evaluateHandle(({ name, bytes, type }) => {
    // Runs in the page; this project's Node typings have no DOM, so its DataTransfer is named by hand.
    const { DataTransfer } = globalThis as unknown as { DataTransfer: new () => { items: { add (file: File): unknown } } }
    const transfer = new DataTransfer()
    transfer.items.add(new File([new Uint8Array(bytes)], name, { type }))
    return transfer
  }, { name: file.name, bytes: [...file.bytes], type: file.type ?? 'application/x-bitchat' })
  try {
    await page.dispatchEvent('body', 'dragenter', { dataTransfer })
    await page.dispatchEvent('body', 'dragover', { dataTransfer })
    await beforeDrop()
    await page.dispatchEvent('body', 'drop', { dataTransfer })
  } finally {
    await dataTransfer.dispose()
  }
}

/**
 * Retries `check` until it stops throwing, expect-style, so a failure reports the last assertion
 * error rather than a bare timeout. UIs settle at their own pace; a test must not guess how fast.
 */
export async function eventually<T> (check: () => T | Promise<T>, timeoutMs = 15_000): Promise<T> {
  let lastError: unknown
  try {
    // Wrapped, so that a check that passes with undefined or false still ends the wait.
    const passed = await waitUntil(async () => {
      try {
        return { value: await check() }
      } catch (err) {
        lastError = err
        return undefined
      }
    }, timeoutMs, 'the check to pass')
    return passed.value
  } catch (timeout) {
    throw lastError ?? timeout
  }
}

export async function saveScreenshot (page: Page, name: string): Promise<string> {
  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true })
  const file = path.join(ARTIFACTS_DIR, name)
  await page.screenshot({ path: file })
  return file
}

/**
 * The page at 1280 and 600 px wide, light and dark, saved as `stem-WIDTH-SCHEME.png` into the folder
 * BITCHAT_SCREENS_DIR names (nothing without it): what a person looks at before a UI change is done.
 */
export async function screensAtEverySize (page: Page, stem: string): Promise<void> {
  const dir = process.env.BITCHAT_SCREENS_DIR
  if (dir === undefined) return
  fs.mkdirSync(dir, { recursive: true })
  const size = page.viewportSize() ?? { width: 1280, height: 800 }
  for (const width of [1280, 600]) {
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.setViewportSize({ width, height: 800 })
      await page.emulateMedia({ colorScheme })
      await page.waitForTimeout(250)
      await page.screenshot({ path: path.join(dir, `${stem}-${width}-${colorScheme}.png`) })
    }
  }
  await page.setViewportSize(size)
  await page.emulateMedia({ colorScheme: 'light' })
}

/** What a person does with Ctrl+V outside any text field: the page receives a paste of plain text. */
export async function pasteOnPage (page: Page, text: string): Promise<void> {
  await page.evaluate((pasted) => {
    // Runs in the page; this project's Node typings have no DOM, so the names are given by hand.
    const { DataTransfer, ClipboardEvent, document } = globalThis as unknown as {
      DataTransfer: new () => { setData (type: string, value: string): void }
      ClipboardEvent: new (type: string, init: { clipboardData: unknown; bubbles: boolean; cancelable: boolean }) => unknown
      document: { body: { dispatchEvent (event: unknown): boolean } }
    }
    const data = new DataTransfer()
    data.setData('text/plain', pasted)
    document.body.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }))
  }, text)
}
