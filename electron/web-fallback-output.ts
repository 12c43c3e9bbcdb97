// What `npm start` shows when it falls back to the web UI: the daemon's warnings as they come, and
// once the UI listens, its address said plainly, on a line of its own, as the last thing printed.

const ADDRESS_LINE = /^web UI: (\S+)\s*$/

/** The lines that present the web UI's address to a person at a terminal. */
export function webUiNotice (url: string): string[] {
  return [
    '',
    'BitChat is running. Open this address in your browser:',
    '',
    `    ${url}`,
    '',
    'Keep this terminal open while you use it; press Ctrl+C to stop BitChat.'
  ]
}

/** Takes the daemon's stderr line by line and writes what a person should see. */
export function relayDaemonOutput (write: (line: string) => void): (line: string) => void {
  return line => {
    const address = ADDRESS_LINE.exec(line)?.[1]
    if (address === undefined) write(line)
    else for (const notice of webUiNotice(address)) write(notice)
  }
}
