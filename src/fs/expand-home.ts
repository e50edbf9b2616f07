// `~` and `~/…` in paths the user wrote point into the home folder.
import { homedir } from 'node:os'
import { join } from 'node:path'

export function expandHome(path: string, home: string = homedir()): string {
  if (path === '~') return home
  if (path.startsWith('~/')) return join(home, path.slice(2))
  return path
}
