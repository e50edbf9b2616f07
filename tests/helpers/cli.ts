// Runs the CLI (`bun src/index.ts`) in a temp folder: either it prints its banner and
// serves, or it exits; tests read which, with what it printed.
import { join } from 'node:path'
import { tempDir } from './temp-dir.ts'

const ENTRY = join(import.meta.dir, '../../src/index.ts')

export type CliRun =
  | { exited: true; code: number; stdout: string; stderr: string }
  | {
      exited: false
      banner: string
      port: number
      stop(): Promise<number>
      /** Sends a signal (SIGTERM by default) without waiting; `exit` settles with the exit code. */
      terminate(signal?: NodeJS.Signals): void
      exit: Promise<number>
    }

/** Starts the CLI and resolves once it has printed its banner or exited, whichever comes first. */
export async function runCli(args: string[], cwd = tempDir('sb-cli-')): Promise<CliRun> {
  const child = Bun.spawn([process.execPath, ENTRY, ...args], { cwd, stdout: 'pipe', stderr: 'pipe' })
  const stderr = new Response(child.stderr).text()
  const reader = (child.stdout as ReadableStream<Uint8Array>).getReader()
  const decoder = new TextDecoder()
  let stdout = ''
  // The banner is one write whose third line names /health; stop reading at its end (the process keeps running).
  while (!(/health: \S+\n/.test(stdout) && stdout.endsWith('\n'))) {
    const { value, done } = await reader.read()
    if (done) return { exited: true, code: await child.exited, stdout, stderr: await stderr }
    stdout += decoder.decode(value, { stream: true })
  }
  // Keep draining what it prints (access lines, logs): a full pipe would block the gateway.
  void (async () => {
    for (;;) {
      const { done } = await reader.read().catch(() => ({ done: true }))
      if (done) return
    }
  })()
  const port = Number(/listening on http:\/\/[^\s]+:(\d+)/.exec(stdout)?.[1])
  return {
    exited: false,
    banner: stdout,
    port,
    stop: () => {
      child.kill('SIGTERM')
      return child.exited
    },
    terminate: (signal = 'SIGTERM') => child.kill(signal),
    exit: child.exited,
  }
}
