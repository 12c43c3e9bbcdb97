// Packs the rendered PNGs into the containers Windows (.ico) and macOS (.icns) want for the
// `.chat` document icon. Both formats may hold PNG data as is. Render the PNGs first:
//   rsvg-convert -w 256 -h 256 chat-file.svg -o chat-file.png
//   rsvg-convert -w 512 -h 512 chat-file.svg -o chat-file-512.png   (then run: node assets/pack-icons.ts)
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'

const here = import.meta.dirname
const png256 = readFileSync(path.join(here, 'chat-file.png'))
const png512 = readFileSync(path.join(here, 'chat-file-512.png'))

// ICO: header (reserved, type 1, count), one 16-byte directory entry, then the PNG; 0 means 256 px.
const icoHeader = Buffer.alloc(6 + 16)
icoHeader.writeUInt16LE(1, 2)
icoHeader.writeUInt16LE(1, 4)
icoHeader.writeUInt8(0, 6)
icoHeader.writeUInt8(0, 7)
icoHeader.writeUInt16LE(1, 10)
icoHeader.writeUInt16LE(32, 12)
icoHeader.writeUInt32LE(png256.length, 14)
icoHeader.writeUInt32LE(icoHeader.length, 18)
writeFileSync(path.join(here, 'chat-file.ico'), Buffer.concat([icoHeader, png256]))

// ICNS: 'icns' + total length, then typed chunks; ic08 is 256 px PNG, ic09 512 px PNG.
const chunk = (type: string, data: Buffer): Buffer => {
  const head = Buffer.alloc(8)
  head.write(type, 0, 'ascii')
  head.writeUInt32BE(data.length + 8, 4)
  return Buffer.concat([head, data])
}
const body = Buffer.concat([chunk('ic08', png256), chunk('ic09', png512)])
const icnsHead = Buffer.alloc(8)
icnsHead.write('icns', 0, 'ascii')
icnsHead.writeUInt32BE(body.length + 8, 4)
writeFileSync(path.join(here, 'chat-file.icns'), Buffer.concat([icnsHead, body]))
