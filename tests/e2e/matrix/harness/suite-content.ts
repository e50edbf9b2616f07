// Images: base64 images arrive in the provider's own image shape; an http(s) URL either
// travels as a URL or, for providers that cannot fetch one, is refused with a clear 400.
import { expect, test } from 'bun:test'
import type { Dialect } from '../../../../src/dialects/types.ts'
import { PNG, type Ask, type Image } from './ask.ts'
import { chat, errorMessage, rawChat } from './clients.ts'
import type { MatrixContext } from './context.ts'
import type { MatrixSpec } from './define.ts'
import { receivedDuring } from './suite-conversation.ts'

const IMAGE_URL = 'https://example.com/cat.png'

export function contentTests(ctx: MatrixContext, dialect: Dialect, spec: MatrixSpec): void {
  const ask = (image: Image): Ask => ({
    model: ctx.upstream.model,
    turns: [{ role: 'user', text: 'Was ist auf dem Bild? 🖼️', image }],
  })

  test('a base64 image reaches the provider as its native image', async () => {
    const { result: answer, body } = await receivedDuring(ctx, () => chat(dialect, ctx.gw, ask({ mediaType: 'image/png', data: PNG }), false))
    expect(ctx.upstream.images(body)).toEqual([{ mediaType: 'image/png', data: PNG }])
    expect(answer.text).toBe(ctx.upstream.echo('Was ist auf dem Bild? 🖼️'))
  })

  // Same-dialect requests pass through untouched, so only converted ones can be refused.
  const refused = !spec.httpImages && spec.dialect !== dialect
  test(refused ? 'an http image URL is refused with a 400 in the client’s dialect' : 'an http image URL travels as a URL', async () => {
    if (!refused) {
      const { body } = await receivedDuring(ctx, () => chat(dialect, ctx.gw, ask({ url: IMAGE_URL }), false))
      expect(ctx.upstream.images(body)).toEqual([{ url: IMAGE_URL }])
      return
    }
    const before = ctx.upstream.chatBodies().length
    const res = await rawChat(dialect, ctx.gw, ask({ url: IMAGE_URL }), false)
    expect(res.status).toBe(400)
    const body: unknown = await res.json()
    expect(errorMessage(body)).toMatch(/image URLs?|base64/i)
    if (dialect === 'anthropic') expect(body).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } })
    if (dialect === 'gemini') expect(body).toMatchObject({ error: { code: 400, status: 'INVALID_ARGUMENT' } })
    if (dialect === 'openai') expect(body).toMatchObject({ error: { type: 'invalid_request_error' } })
    expect(ctx.upstream.chatBodies().length).toBe(before)
  })
}
