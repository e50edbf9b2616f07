// Kiro's thinking arrives as `<thinking>…</thinking>` at the very start of the answer text,
// cut anywhere across events (even inside a tag). This splitter turns the text deltas into
// thinking and text pieces; it only looks for the opening tag at the start of the answer.

export type TextPiece = { type: 'text' | 'thinking'; text: string }

const OPEN = '<thinking>'
const CLOSE = '</thinking>'

type State =
  | 'detect' // start of the answer: may or may not open with the tag
  | 'thinking' // inside the tag
  | 'after' // just closed: drop the blank lines that separate thinking from the answer
  | 'text' // plain answer text from here on

export class ThinkingTagSplitter {
  private state: State = 'detect'
  /** Text held back because it may be the start of a tag. */
  private held = ''

  push(delta: string): TextPiece[] {
    const out: TextPiece[] = []
    let rest = this.held + delta
    this.held = ''
    while (rest !== '') {
      switch (this.state) {
        case 'detect':
          if (rest.startsWith(OPEN)) {
            this.state = 'thinking'
            rest = rest.slice(OPEN.length)
          } else if (OPEN.startsWith(rest)) {
            this.held = rest
            rest = ''
          } else {
            this.state = 'text'
          }
          break
        case 'thinking': {
          const end = rest.indexOf(CLOSE)
          if (end >= 0) {
            emit(out, 'thinking', rest.slice(0, end))
            rest = rest.slice(end + CLOSE.length)
            this.state = 'after'
          } else {
            const keep = partialTagLength(rest, CLOSE)
            emit(out, 'thinking', rest.slice(0, rest.length - keep))
            this.held = rest.slice(rest.length - keep)
            rest = ''
          }
          break
        }
        case 'after':
          rest = rest.replace(/^[\r\n]+/, '')
          if (rest !== '') this.state = 'text'
          break
        case 'text':
          emit(out, 'text', rest)
          rest = ''
          break
      }
    }
    return out
  }

  /** At the end of the answer: whatever was held back is what it looked like. */
  flush(): TextPiece[] {
    const out: TextPiece[] = []
    emit(out, this.state === 'thinking' ? 'thinking' : 'text', this.held)
    this.held = ''
    return out
  }
}

function emit(out: TextPiece[], type: TextPiece['type'], text: string): void {
  if (text !== '') out.push({ type, text })
}

/** Length of the longest end of `text` that is a proper start of `tag`. */
function partialTagLength(text: string, tag: string): number {
  for (let length = Math.min(tag.length - 1, text.length); length > 0; length--) {
    if (tag.startsWith(text.slice(text.length - length))) return length
  }
  return 0
}
