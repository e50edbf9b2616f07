// Kiro rejects tool names over 64 characters. Long names are sent as their first 51
// characters + `_` + 12 hex digits of their SHA-256 (stable, so history and tools agree),
// and the answer's tool calls are mapped back to the client's names.

const MAX_NAME = 64
const KEEP = 51

export class ToolNameMap {
  private readonly originals = new Map<string, string>()

  /** The name to send for a client tool name. */
  toKiro(name: string): string {
    if (name.length <= MAX_NAME) return name
    const hash = new Bun.CryptoHasher('sha256').update(name).digest('hex').slice(0, 12)
    const short = `${name.slice(0, KEEP)}_${hash}`
    this.originals.set(short, name)
    return short
  }

  /** The client's name for a name Kiro answered with. */
  fromKiro(name: string): string {
    return this.originals.get(name) ?? name
  }
}
