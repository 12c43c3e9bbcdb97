/** The message of anything thrown, for logs and warnings. */
export function errorMessage (err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}
