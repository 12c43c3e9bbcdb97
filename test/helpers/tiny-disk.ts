// A real, tiny filesystem for disk-full tests: a tmpfs of a few MiB mounted on a fresh folder.
// Mounting needs root; without it the tests that use this are skipped, saying why.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { TestContext } from 'node:test'

export interface TinyDisk {
  readonly dir: string
  /** Fills every byte left with a filler file. */
  fill (): void
  /** Removes the filler: the space is back. */
  free (): void
}

/** Why tiny disks cannot be made here, or null when they can. */
export function tinyDiskUnavailable (): string | null {
  if (process.platform !== 'linux') return 'tmpfs mounts need Linux'
  if (process.getuid?.() !== 0) return 'mounting a tmpfs needs root'
  return null
}

/** Mounts a tmpfs of `sizeMiB` for the test, unmounted when it ends. */
export function mountTinyDisk (t: TestContext, sizeMiB = 2): TinyDisk {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bitchat-tiny-disk-'))
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMiB}m,mode=0700`, 'tmpfs', dir])
  t.after(() => {
    execFileSync('umount', ['-l', dir])
    fs.rmdirSync(dir)
  })
  const filler = path.join(dir, 'filler')
  return {
    dir,
    fill () {
      const fd = fs.openSync(filler, 'a')
      const chunk = Buffer.alloc(4096, 0xff)
      try {
        for (;;) fs.writeSync(fd, chunk)
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err
      } finally {
        fs.closeSync(fd)
      }
    },
    free () {
      fs.rmSync(filler, { force: true })
    }
  }
}
