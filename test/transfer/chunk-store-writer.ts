// A downloader in its own process for the crash test: writes the chunks of `source` into a chunk
// store in `folder`, in order, saying "wrote i" after each, until killed (nothing else stops it).
import fs from 'node:fs'
import { ChunkStore } from '../../core/transfer/chunk-store.ts'
import { manifestOf } from '../../core/transfer/file-manifest.ts'
import { chunkLength, fileTree } from '../../core/transfer/merkle.ts'

const [folder, source, saveEvery] = process.argv.slice(2) as [string, string, string]
const bytes = new Uint8Array(fs.readFileSync(source))
const tree = fileTree(bytes)
const manifest = manifestOf('crash.bin', bytes.length, tree)
const store = await ChunkStore.open({ folder, manifest, pieceLayer: tree.pieceLayer, saveEveryBytes: Number(saveEvery) })
for (let i = store.verifiedChunks; i < store.chunkCount; i++) {
  await store.write(i, bytes.subarray(i * manifest.chunkSize, i * manifest.chunkSize + chunkLength(manifest.size, manifest.chunkSize, i)))
  process.stdout.write(`wrote ${i}\n`)
}
process.stdout.write('all written\n')
// Waits to be killed: a finished writer that exited would not test a crash.
setInterval(() => {}, 1 << 30)
