// The one place the binary's `bun build` flags live: `npm run build` (this host),
// `npm run build:all` (every supported target) and the binary test all build through here.
// Targets other than the host need that target's Bun runtime, which `bun build` downloads
// from the npm registry once and caches.
import { $ } from 'bun'

/** The argv after the bun executable: one self-contained, minified binary at `outfile`. */
export function buildArgs(outfile: string, target?: string): string[] {
  return [
    'build',
    '--compile',
    '--minify',
    '--bytecode',
    '--format=esm',
    // A .env or bunfig.toml in the folder the binary runs from must not change how it behaves.
    '--no-compile-autoload-dotenv',
    '--no-compile-autoload-bunfig',
    ...(target === undefined ? [] : [`--target=${target}`]),
    'src/index.ts',
    '--outfile',
    outfile,
  ]
}

export const TARGETS = ['bun-linux-x64', 'bun-linux-arm64', 'bun-darwin-arm64', 'bun-windows-x64']

if (import.meta.main) {
  const builds = process.argv.includes('--all')
    ? TARGETS.map((target) => ({ target, outfile: `dist/switchboard-${target.replace(/^bun-/, '')}` }))
    : [{ target: undefined, outfile: 'dist/switchboard' }]
  for (const { target, outfile } of builds) {
    await $`${process.execPath} ${buildArgs(outfile, target)}`
    // bun appends .exe for Windows targets.
    console.log(`built ${outfile}${target?.includes('windows') ? '.exe' : ''}`)
  }
}
