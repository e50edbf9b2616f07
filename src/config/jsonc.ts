// The one reader of every config-like file (config.json, the pools file): JSON with
// comments (`//`, `/* */`) and trailing commas, as hand-written configs commonly have. A
// small recursive-descent parser rather than strip-then-JSON.parse, so a real syntax
// error can name its line and column.

export class JsoncError extends Error {
  constructor(
    readonly reason: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`line ${line}, column ${column}: ${reason}`)
  }
}

const WHITESPACE = new Set([' ', '\t', '\n', '\r', '\uFEFF'])
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y

export function parseJsonc(text: string): unknown {
  const parser = new Parser(text)
  const value = parser.value()
  parser.skip()
  if (!parser.done()) parser.fail('unexpected text after the JSON value')
  return value
}

class Parser {
  #at = 0
  constructor(readonly text: string) {}

  done(): boolean {
    return this.#at >= this.text.length
  }

  fail(reason: string, at = this.#at): never {
    const before = this.text.slice(0, at)
    const line = before.split('\n').length
    throw new JsoncError(reason, line, at - before.lastIndexOf('\n'))
  }

  /** Skips whitespace and comments. */
  skip(): void {
    const text = this.text
    while (this.#at < text.length) {
      const char = text[this.#at] as string
      if (WHITESPACE.has(char)) this.#at++
      else if (text.startsWith('//', this.#at)) {
        const end = text.indexOf('\n', this.#at)
        this.#at = end === -1 ? text.length : end + 1
      } else if (text.startsWith('/*', this.#at)) {
        const end = text.indexOf('*/', this.#at + 2)
        if (end === -1) this.fail('unterminated /* comment')
        this.#at = end + 2
      } else return
    }
  }

  value(): unknown {
    this.skip()
    const char = this.text[this.#at]
    switch (char) {
      case '{':
        return this.object()
      case '[':
        return this.array()
      case '"':
        return this.string()
      case undefined:
        return this.fail('unexpected end of file, expected a value')
    }
    for (const [word, value] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (this.text.startsWith(word, this.#at)) {
        this.#at += word.length
        return value
      }
    }
    NUMBER.lastIndex = this.#at
    const number = NUMBER.exec(this.text)
    if (!number) return this.fail(`unexpected ${JSON.stringify(char)}, expected a value`)
    this.#at += number[0].length
    return Number(number[0])
  }

  /** Finds the closing quote; JSON.parse decodes the token and refuses bad escapes and raw control characters. */
  string(): string {
    const start = this.#at
    let end = start + 1
    while (end < this.text.length && this.text[end] !== '"') end += this.text[end] === '\\' ? 2 : 1
    if (end >= this.text.length) this.fail('unterminated string')
    try {
      const value = JSON.parse(this.text.slice(start, end + 1)) as string
      this.#at = end + 1
      return value
    } catch {
      return this.fail('invalid string (a raw control character or a bad escape)')
    }
  }

  object(): Record<string, unknown> {
    const object: Record<string, unknown> = {}
    this.#at++
    for (;;) {
      this.skip()
      if (this.text[this.#at] === '}') {
        this.#at++
        return object
      }
      if (this.text[this.#at] !== '"') this.fail('expected a "quoted" key or }')
      const key = this.string()
      this.skip()
      if (this.text[this.#at] !== ':') this.fail('expected : after the key')
      this.#at++
      // defineProperty, so a "__proto__" key stays a plain key as with JSON.parse.
      Object.defineProperty(object, key, { value: this.value(), enumerable: true, writable: true, configurable: true })
      if (!this.separator('}')) return object
    }
  }

  array(): unknown[] {
    const array: unknown[] = []
    this.#at++
    for (;;) {
      this.skip()
      if (this.text[this.#at] === ']') {
        this.#at++
        return array
      }
      array.push(this.value())
      if (!this.separator(']')) return array
    }
  }

  /** After an item: a comma (true: more may follow, a trailing comma included) or the closer (false). */
  separator(closer: '}' | ']'): boolean {
    this.skip()
    const char = this.text[this.#at]
    this.#at++
    if (char === ',') return true
    if (char === closer) return false
    return this.fail(
      char === undefined ? `unexpected end of file, expected , or ${closer}` : `unexpected ${JSON.stringify(char)}, expected , or ${closer}`,
      this.#at - 1,
    )
  }
}
