// The one Content-Security-Policy for the renderer, wherever it runs (Electron's file:// page or
// the daemon's web UI): only our own scripts, styles and images; no inline code, no framing, no
// network but our own origin (plus the web UI's WebSocket, named explicitly for browsers whose
// 'self' does not cover ws:). The renderer's index.html must carry the same policy in a meta tag.

export function contentSecurityPolicy (extraConnectSources: readonly string[] = []): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    ["connect-src 'self'", ...extraConnectSources].join(' '),
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'"
  ].join('; ')
}
