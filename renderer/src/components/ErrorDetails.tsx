/** The technical wording behind a plainly worded error, one click away. */
export function ErrorDetails ({ detail }: { detail: string }) {
  return (
    <details className="error-details">
      <summary>Details</summary>
      <p className="error-details__text">{detail}</p>
    </details>
  )
}
