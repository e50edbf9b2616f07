// GET /dashboard rendered by headless Chromium (Debian's `chromium`) with every non-local
// host unresolvable: it asks for the key, and with ?key= it shows every pool member live.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { rmSync } from 'node:fs'
import { openaiBody, startPool, type PoolSetup } from './helpers.ts'
import { post } from '../helpers/gateway.ts'
import { tempDir } from '../helpers/temp-dir.ts'
import { offlineChromiumFlags } from '../../scripts/chromium-flags.ts'

const chromium = Bun.which('chromium')
if (!chromium) console.warn("dashboard.test.ts: chromium not found (Debian package 'chromium'; .ci/run installs it): the browser checks are skipped")

/** The page's DOM once its scripts ran for a few (virtual) seconds. */
async function renderedDom(url: string): Promise<string> {
  const profile = tempDir('sb-chromium-')
  try {
    const browser = Bun.spawn(
      [
        chromium as string,
        // Only loopback resolves: a page that needed a CDN would show it here.
        ...offlineChromiumFlags(profile),
        '--virtual-time-budget=5000',
        '--dump-dom',
        url,
      ],
      { stdout: 'pipe', stderr: 'ignore' },
    )
    const [dom] = await Promise.all([new Response(browser.stdout).text(), browser.exited])
    return dom
  } finally {
    rmSync(profile, { recursive: true, force: true })
  }
}

let setup: PoolSetup

beforeAll(async () => {
  setup = await startPool()
  for (let i = 0; i < 4; i++) await (await post(setup.gw, '/v1/chat/completions', openaiBody(i % 2 === 0))).text()
})
afterAll(() => setup.stop())

describe('GET /dashboard', () => {
  test('is one self-contained page: no script, style or image from another host', async () => {
    const response = await fetch(`${setup.gw.url}/dashboard`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toContain('text/html')
    const html = await response.text()
    expect(html).not.toMatch(/(src|href)=["']?(https?:)?\/\//)
    expect(html).not.toMatch(/@import|url\(\s*["']?https?:/)
  })

  test.skipIf(!chromium)(
    'in Chromium, with ?key=, shows every pool member and goes live',
    async () => {
      const dom = await renderedDom(`${setup.gw.url}/dashboard?key=${setup.gw.key}`)
      for (const member of ['member-a', 'member-b']) expect(dom).toContain(`data-member="${member}"`)
      expect(dom).toMatch(/id="status">live/)
      expect(dom).toContain('in rotation')
    },
    60_000,
  )

  test.skipIf(!chromium)(
    'in Chromium, without a key, asks for one and shows no data',
    async () => {
      const dom = await renderedDom(`${setup.gw.url}/dashboard`)
      expect(dom).toMatch(/<form id="login" class="panel">/)
      expect(dom).not.toContain('data-member=')
    },
    60_000,
  )
})
