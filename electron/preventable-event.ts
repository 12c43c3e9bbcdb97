// The one part of Electron's events our handlers use, so that tests can hand them a plain object.
export interface PreventableEvent { preventDefault (): void }
