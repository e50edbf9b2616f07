// /swagger: our own Swagger UI page with its assets embedded in the binary (no CDN), over
// the OpenAPI document @elysiajs/swagger generates at /swagger/json from the route schemas.
import { swagger } from '@elysiajs/swagger'
import { Elysia } from 'elysia'
import swaggerBundle from 'swagger-ui-dist/swagger-ui-bundle.js' with { type: 'file' }
import swaggerCss from 'swagger-ui-dist/swagger-ui.css' with { type: 'file' }

const page = (title: string) => `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8" />
  <meta name="viewport" content="width=device-width, initial-scale=1" />
  <title>${title}</title>
  <link rel="stylesheet" href="/swagger/assets/swagger-ui.css" />
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/swagger/assets/swagger-ui-bundle.js"></script>
  <script>
    window.onload = () => {
      window.ui = SwaggerUIBundle({ url: '/swagger/json', dom_id: '#swagger-ui', persistAuthorization: true, tryItOutEnabled: true })
    }
  </script>
</body>
</html>`

/** Every path the docs answer on; all of them are public. */
export const DOCS_PATHS = ['/swagger', '/swagger/json', '/swagger/assets/swagger-ui-bundle.js', '/swagger/assets/swagger-ui.css']

export function docsRoutes(version: string) {
  const html = page(`switchboard ${version}`)
  const hidden = { detail: { hide: true } }
  return (
    new Elysia({ name: 'docs' })
      .use(
        swagger({
          path: '/swagger',
          provider: 'swagger-ui',
          exclude: DOCS_PATHS,
          documentation: {
            info: {
              title: 'switchboard',
              version,
              description:
                'LLM API gateway. Authorize with the key the gateway printed at startup (any of the schemes). The built-in `local-echo` provider answers every route without credentials.',
            },
            tags: [
              { name: 'openai', description: 'OpenAI Chat Completions dialect' },
              { name: 'anthropic', description: 'Anthropic Messages dialect' },
              { name: 'gemini', description: 'Gemini generateContent dialect' },
              { name: 'gateway', description: 'Health and pools' },
            ],
            components: {
              securitySchemes: {
                bearer: { type: 'http', scheme: 'bearer' },
                apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' },
                googApiKey: { type: 'apiKey', in: 'header', name: 'x-goog-api-key' },
              },
            },
            security: [{ bearer: [] }, { apiKey: [] }, { googApiKey: [] }],
          },
        }),
      )
      // Registered after the plugin, so this page (not the plugin's CDN page) serves /swagger.
      .get('/swagger', () => new Response(html, { headers: { 'content-type': 'text/html; charset=utf-8' } }), hidden)
      .get(
        '/swagger/assets/swagger-ui-bundle.js',
        () => new Response(Bun.file(swaggerBundle), { headers: { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'max-age=86400' } }),
        hidden,
      )
      .get(
        '/swagger/assets/swagger-ui.css',
        () => new Response(Bun.file(swaggerCss), { headers: { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'max-age=86400' } }),
        hidden,
      )
  )
}
