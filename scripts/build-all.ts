// Builds the binary for every supported target. Targets other than the host need that
// target's Bun runtime, which `bun build` downloads from the npm registry once and caches.
import { $ } from 'bun'

const TARGETS = ['bun-linux-x64', 'bun-linux-arm64', 'bun-darwin-arm64', 'bun-windows-x64']
for (const target of TARGETS) {
  const outfile = `dist/switchboard-${target.replace(/^bun-/, '')}`
  await $`${process.execPath} build --compile --minify --bytecode --format=esm --no-compile-autoload-dotenv --no-compile-autoload-bunfig --target=${target} src/index.ts --outfile ${outfile}`
  // bun appends .exe for Windows targets.
  console.log(`built ${outfile}${target.includes('windows') ? '.exe' : ''}`)
}
