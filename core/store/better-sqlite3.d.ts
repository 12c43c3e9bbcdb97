// The part of better-sqlite3 13 that core/store uses. The package ships no types; rows
// come back as `unknown` unless a statement names its row type, and only values SQLite
// can bind are accepted as parameters (better-sqlite3 throws on booleans and undefined).
declare module 'better-sqlite3' {
  export type BindValue = string | number | bigint | Uint8Array | null

  /** Positional values, or one object whose keys fill `@name` parameters. */
  export type BindParameters = BindValue[] | [Readonly<Record<string, BindValue>>]

  export interface RunResult {
    changes: number
    lastInsertRowid: number | bigint
  }

  export interface Statement<Params extends BindParameters, Row> {
    run (...params: Params): RunResult
    get (...params: Params): Row | undefined
    all (...params: Params): Row[]
    /** Rows one at a time, for reads too large to hold at once. */
    iterate (...params: Params): IterableIterator<Row>
  }

  export interface Options {
    /** Milliseconds to wait on a locked database (SQLite's busy timeout). */
    timeout?: number
  }

  export class SqliteError extends Error {
    /** SQLite's extended result code name, e.g. `SQLITE_CONSTRAINT_FOREIGNKEY`. */
    readonly code: string
  }

  export interface Transaction<Args extends unknown[], Result> {
    (...args: Args): Result
    /** Runs under BEGIN IMMEDIATE: the write lock is taken before `fn` reads anything. */
    immediate (...args: Args): Result
  }

  export default class Database {
    constructor (filename: string, options?: Options)
    readonly name: string
    readonly open: boolean
    prepare<Params extends BindParameters = [], Row = unknown> (sql: string): Statement<Params, Row>
    exec (sql: string): this
    pragma (source: string, options: { simple: true }): unknown
    pragma (source: string): unknown[]
    transaction<Args extends unknown[], Result> (fn: (...args: Args) => Result): Transaction<Args, Result>
    close (): this
  }
}
