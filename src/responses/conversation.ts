// Conversation state around a Responses API request: `previous_response_id` becomes the
// stored input and output prepended to this request's input (so every provider sees the
// whole conversation, as the other dialects send it), and the answer is stored unless the
// client said `store: false`. Runs at the route, outside the pipeline: it only rewrites the
// request body and watches the answer's bytes.
import { badRequest } from '../errors/gateway-error.ts'
import { quoteInput } from '../errors/echo.ts'
import { isRecord, parseJson, parseJsonObject } from '../json/read.ts'
import type { ResponseStore } from './store.ts'

type Body = Record<string, unknown>

/** The input as a list of items (a string input is one user message). */
function inputItems(input: unknown): unknown[] {
  if (typeof input === 'string') return [{ type: 'message', role: 'user', content: input }]
  return Array.isArray(input) ? input : []
}

/** The output items of a stored answer, as input items of the next turn (message and call items are valid input as they are). */
function outputAsInput(response: Record<string, unknown>): unknown[] {
  const output = Array.isArray(response.output) ? response.output : []
  return output.filter((item) => isRecord(item) && (item.type === 'message' || item.type === 'function_call'))
}

/**
 * The request with the conversation so far prepended to its input, and the whole input to
 * store with the answer. Unknown ids are the client's mistake: 400, as OpenAI answers.
 */
export async function continueConversation(store: ResponseStore, body: Body): Promise<{ body: Body; input: unknown[]; rewritten: boolean }> {
  const previousId = body.previous_response_id
  const own = inputItems(body.input)
  if (previousId === undefined || previousId === null) return { body, input: own, rewritten: false }
  if (typeof previousId !== 'string') throw badRequest('previous_response_id must be a string')
  const previous = await store.get(previousId)
  if (!previous) throw badRequest(`Previous response with id ${quoteInput(previousId)} not found.`)
  const input = [...previous.input, ...outputAsInput(previous.response), ...own]
  // The upstream never saw our ids: the id goes, the turns it stood for come in.
  const { previous_response_id: _, ...rest } = body
  return { body: { ...rest, input }, input, rewritten: true }
}

/**
 * The answer, stored on its way to the client when it succeeded: a JSON body at once, a
 * stream once its `response.completed` / `response.incomplete` event has gone by.
 */
export function storeAnswer(store: ResponseStore, answer: Response, input: unknown[], stream: boolean): Response | Promise<Response> {
  if (answer.status !== 200 || !answer.body) return answer
  const keep = (response: unknown) => {
    if (isRecord(response) && typeof response.id === 'string') void store.put(response.id, { input, response })
  }
  if (!stream) {
    return answer.text().then((text) => {
      keep(parseJson(text))
      return new Response(text, { status: answer.status, headers: answer.headers })
    })
  }
  return new Response(answer.body.pipeThrough(finalEventWatcher(keep)), { status: answer.status, headers: answer.headers })
}

const FINAL_EVENTS = ['event: response.completed\n', 'event: response.incomplete\n']

/** Passes bytes on untouched; hands the `response` of the stream's final lifecycle event to `onFinal`. */
function finalEventWatcher(onFinal: (response: unknown) => void): TransformStream<Uint8Array, Uint8Array> {
  const decoder = new TextDecoder()
  let pending = ''
  return new TransformStream({
    transform(chunk, controller) {
      controller.enqueue(chunk)
      pending += decoder.decode(chunk, { stream: true })
      // Only whole frames are looked at; frames other than the final one are dropped at once.
      let end = pending.indexOf('\n\n')
      while (end !== -1) {
        const frame = pending.slice(0, end)
        pending = pending.slice(end + 2)
        if (FINAL_EVENTS.some((prefix) => frame.startsWith(prefix))) {
          const data = frame.slice(frame.indexOf('\ndata: ') + 7)
          const event = parseJsonObject(data)
          if (event) onFinal(event.response)
        }
        end = pending.indexOf('\n\n')
      }
    },
  })
}
