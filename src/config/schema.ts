// Every configuration key: its CLI flag, type, default and meaning. The README's config
// table is generated from this list (`npm run docs:config`), so the two cannot drift.
import { Type as t, type Static, type TSchema } from '@sinclair/typebox'
import { PROVIDER_IDS } from '../providers/types.ts'

const str = (description: string) => t.String({ minLength: 1, description })
const url = (description: string) => t.String({ pattern: '^https?://', description })
const providerId = t.Union(
  PROVIDER_IDS.map((id) => t.Literal(id)),
  { description: 'a provider id' },
)
/** Where a model name or a fallback step leads: a provider, or a provider and the model it receives. */
const target = t.Union([providerId, t.Object({ provider: providerId, model: t.String({ minLength: 1 }) }, { additionalProperties: false })])
const int = (minimum: number, maximum: number, description: string) => t.Integer({ minimum, maximum, description })

export interface KeySpec {
  schema: TSchema
  /** CLI flag, without the leading dashes. */
  flag?: string
  default?: unknown
  /** Shown in docs when the default is computed (e.g. generated key). */
  defaultText?: string
  /** A pool member may override this key for the requests it serves. */
  member?: boolean
  /** Holds a secret: never logged, never shown in /pools. */
  secret?: boolean
  /** A filesystem path, resolved against the folder of the file that set it. */
  path?: boolean
  /** A JSON value: a flag's text is parsed as JSON first. */
  json?: boolean
}

export const KEYS = {
  HOST: { schema: str('address to listen on'), flag: 'host', default: '127.0.0.1' },
  SERVER_PORT: { schema: int(0, 65535, 'port to listen on; 0 picks a free port'), flag: 'port', default: 3000 },
  REQUIRED_API_KEY: {
    schema: str('the key clients must send'),
    flag: 'api-key',
    defaultText: 'random, printed at startup',
    secret: true,
  },
  MODEL_PROVIDER: {
    schema: t.String({
      pattern: '^\\s*[A-Za-z-]+\\s*(,\\s*[A-Za-z-]+\\s*)*$',
      description: 'default provider; a comma list pre-initialises several, the first is the default',
    }),
    flag: 'model-provider',
    default: 'local-echo',
  },
  MODEL_ROUTES: {
    schema: t.Record(t.String({ minLength: 1 }), target, {
      description:
        'model name or `*` glob → provider id or {"provider","model"} alias, checked in order; used when neither path nor header chose a provider (JSON)',
    }),
    flag: 'model-routes',
    json: true,
  },
  FALLBACK_CHAIN: {
    schema: t.Record(t.String(), t.Array(target, { minItems: 1 }), {
      description:
        'provider id → ordered list of provider ids or {"provider","model"}, tried when every member of the provider failed or none is available (JSON)',
    }),
    flag: 'fallback-chain',
    json: true,
  },
  PROXY_URL: {
    schema: t.String({ pattern: '^(https?://\\S+)?$', description: 'outbound HTTP(S) proxy, http(s)://[user:pass@]host:port; "" in a pool member = direct' }),
    flag: 'proxy-url',
    member: true,
  },
  PROXY_PROVIDERS: {
    schema: t.Array(providerId, { description: 'providers whose upstream traffic goes through PROXY_URL (comma list; default every upstream provider)' }),
    flag: 'proxy-providers',
    defaultText: 'every upstream provider',
  },
  QUEUE_TIMEOUT_MS: {
    schema: int(1, 3_600_000, 'longest wait for a free slot when every member is at its maxConcurrent, ms; then 429'),
    flag: 'queue-timeout-ms',
    default: 30_000,
  },
  PROVIDER_POOLS_FILE_PATH: { schema: str('provider_pools.json with the pool members'), flag: 'provider-pools-file', path: true },
  OPENAI_API_KEY: { schema: str('openai-custom API key'), flag: 'openai-api-key', member: true, secret: true },
  OPENAI_BASE_URL: { schema: url('openai-custom base URL, including /v1'), flag: 'openai-base-url', default: 'https://api.openai.com/v1', member: true },
  OPENAI_RESPONSES_API_KEY: { schema: str('openai-responses-custom API key'), flag: 'openai-responses-api-key', member: true, secret: true },
  OPENAI_RESPONSES_BASE_URL: {
    schema: url('openai-responses-custom base URL (a Responses API server), including /v1'),
    flag: 'openai-responses-base-url',
    default: 'https://api.openai.com/v1',
    member: true,
  },
  CLAUDE_API_KEY: { schema: str('claude-custom API key'), flag: 'claude-api-key', member: true, secret: true },
  CLAUDE_BASE_URL: { schema: url('claude-custom base URL, with or without /v1'), flag: 'claude-base-url', default: 'https://api.anthropic.com', member: true },
  GEMINI_OAUTH_CREDS_FILE_PATH: {
    schema: str('Gemini CLI OAuth credentials file'),
    flag: 'gemini-oauth-creds-file',
    default: '~/.gemini/oauth_creds.json',
    member: true,
    path: true,
  },
  GEMINI_OAUTH_CREDS_BASE64: {
    schema: str('Gemini CLI OAuth credentials, base64 of the JSON file'),
    flag: 'gemini-oauth-creds-base64',
    member: true,
    secret: true,
  },
  PROJECT_ID: { schema: str('Code Assist project id; discovered when unset'), flag: 'project-id', member: true },
  GEMINI_BASE_URL: { schema: url('Code Assist endpoint'), flag: 'gemini-base-url', default: 'https://cloudcode-pa.googleapis.com', member: true },
  GEMINI_OAUTH_TOKEN_URL: {
    schema: url('Google OAuth token endpoint'),
    flag: 'gemini-oauth-token-url',
    default: 'https://oauth2.googleapis.com/token',
    member: true,
  },
  KIRO_OAUTH_CREDS_FILE_PATH: {
    schema: str('Kiro token file'),
    flag: 'kiro-oauth-creds-file',
    default: '~/.aws/sso/cache/kiro-auth-token.json',
    member: true,
    path: true,
  },
  KIRO_OAUTH_CREDS_BASE64: { schema: str('Kiro token, base64 of the JSON file'), flag: 'kiro-oauth-creds-base64', member: true, secret: true },
  KIRO_BASE_URL: {
    schema: url('Kiro generateAssistantResponse URL ({{region}} is replaced)'),
    flag: 'kiro-base-url',
    default: 'https://q.{{region}}.amazonaws.com/generateAssistantResponse',
    member: true,
  },
  KIRO_REFRESH_URL: {
    schema: url('Kiro social-login refresh URL'),
    flag: 'kiro-refresh-url',
    default: 'https://prod.{{region}}.auth.desktop.kiro.dev/refreshToken',
    member: true,
  },
  KIRO_REFRESH_IDC_URL: {
    schema: url('Kiro IdC (AWS SSO OIDC) refresh URL'),
    flag: 'kiro-refresh-idc-url',
    default: 'https://oidc.{{region}}.amazonaws.com/token',
    member: true,
  },
  QWEN_OAUTH_CREDS_FILE_PATH: {
    schema: str('Qwen Code OAuth credentials file'),
    flag: 'qwen-oauth-creds-file',
    default: '~/.qwen/oauth_creds.json',
    member: true,
    path: true,
  },
  QWEN_OAUTH_BASE_URL: { schema: url('Qwen OAuth origin'), flag: 'qwen-oauth-base-url', default: 'https://chat.qwen.ai', member: true },
  QWEN_BASE_URL: {
    schema: url('Qwen chat base URL, used only when the token has no resource_url'),
    flag: 'qwen-base-url',
    default: 'https://portal.qwen.ai/v1',
    member: true,
  },
  CLIENT_KEYS_FILE_PATH: {
    schema: str('JSON file of named client keys with optional limits (see README "Keys and usage")'),
    flag: 'client-keys-file',
    path: true,
  },
  USAGE_DB_PATH: {
    schema: str('SQLite file for usage per key, provider, model and day (default: usage.db beside the config file; used with CLIENT_KEYS_FILE_PATH)'),
    flag: 'usage-db',
    path: true,
  },
  SYSTEM_PROMPT_FILE_PATH: { schema: str('file whose text is applied as the system prompt'), flag: 'system-prompt-file', path: true },
  SYSTEM_PROMPT_MODE: {
    schema: t.Union([t.Literal('overwrite'), t.Literal('append')], { description: 'overwrite or append to the client system prompt' }),
    flag: 'system-prompt-mode',
    default: 'overwrite',
  },
  PROMPT_LOG_MODE: {
    schema: t.Union([t.Literal('none'), t.Literal('console'), t.Literal('file')], { description: 'log prompts and answers' }),
    flag: 'log-prompts',
    default: 'none',
  },
  PROMPT_LOG_BASE_NAME: { schema: str('file name prefix for PROMPT_LOG_MODE=file'), flag: 'prompt-log-base-name', default: 'prompt_log' },
  REQUEST_MAX_RETRIES: { schema: int(0, 20, 'extra attempts on other members (or the same one, with back-off)'), flag: 'request-max-retries', default: 3 },
  REQUEST_BASE_DELAY: { schema: int(0, 60_000, 'back-off base in ms, when retrying the same member'), flag: 'request-base-delay', default: 1000 },
  REQUEST_TIMEOUT_MS: { schema: int(1, 3_600_000, 'time to the first upstream byte, ms'), flag: 'request-timeout-ms', default: 120_000, member: true },
  STREAM_IDLE_TIMEOUT_MS: {
    schema: int(1, 3_600_000, 'longest silence inside an upstream stream, ms'),
    flag: 'stream-idle-timeout-ms',
    default: 300_000,
    member: true,
  },
  SHUTDOWN_TIMEOUT_MS: {
    schema: int(0, 3_600_000, 'on SIGTERM/SIGINT, how long running streams may finish before they are ended with an error event, ms'),
    flag: 'shutdown-timeout-ms',
    default: 25_000,
  },
  CONNECTION_IDLE_TIMEOUT_S: {
    schema: int(1, 255, 'close client connections idle this long, seconds (never a streaming answer: see STREAM_IDLE_TIMEOUT_MS)'),
    flag: 'connection-idle-timeout-s',
    default: 30,
  },
  MAX_RESPONSE_BODY_BYTES: {
    schema: int(1024, 4_294_967_296, 'largest non-stream upstream answer held in memory, bytes (streams are never buffered)'),
    flag: 'max-response-body-bytes',
    default: 64 * 1024 * 1024,
    member: true,
  },
  MAX_REQUEST_BODY_BYTES: {
    schema: int(1024, 1_073_741_824, 'largest accepted request body, bytes'),
    flag: 'max-request-body-bytes',
    default: 20 * 1024 * 1024,
  },
  RESPONSES_STORE_MAX: {
    schema: int(0, 1_000_000, 'stored Responses API answers kept for previous_response_id (oldest dropped first; 0 stores none)'),
    flag: 'responses-store-max',
    default: 1000,
  },
  RESPONSES_STORE_TTL_SECONDS: {
    schema: int(1, 2_592_000, 'how long a stored Responses API answer stays retrievable, seconds'),
    flag: 'responses-store-ttl-seconds',
    default: 3600,
  },
  CRON_NEAR_MINUTES: { schema: int(1, 1440, 'refresh OAuth tokens that expire within this many minutes'), flag: 'cron-near-minutes', default: 15 },
  CRON_REFRESH_TOKEN: { schema: t.Boolean({ description: 'refresh OAuth tokens in the background' }), flag: 'cron-refresh-token', default: true },
  HEALTH_CHECK_CRON: { schema: str('croner pattern of the health-check run (seconds field allowed)'), flag: 'health-check-cron', default: '0 */10 * * * *' },
  HEALTH_CHECK_TIMEOUT_MS: { schema: int(1, 600_000, 'timeout of one health probe, ms'), flag: 'health-check-timeout-ms', default: 10_000 },
  POOL_FAILURE_THRESHOLD: { schema: int(1, 1000, 'consecutive failures that open a member circuit breaker'), flag: 'pool-failure-threshold', default: 3 },
  LOG_FORMAT: {
    schema: t.Union([t.Literal('text'), t.Literal('json')], { description: 'log lines as text, or one JSON object per line' }),
    flag: 'log-format',
    default: 'text',
  },
  LOG_ACCESS: {
    schema: t.Boolean({ description: 'one access line per API request (about 4 µs of CPU each); false keeps only events and errors' }),
    flag: 'log-access',
    default: true,
  },
  METRICS_AUTH: {
    schema: t.Boolean({ description: 'GET /metrics needs the key; false opens it to scrapers on a private network' }),
    flag: 'metrics-auth',
    default: true,
  },
  REDIS_URL: {
    schema: t.String({
      pattern: '^rediss?://',
      description:
        'share pool state, sticky sessions and OAuth tokens between replicas through this Redis (redis:// or rediss://, password and /db in the URL)',
    }),
    // Its password is masked in logs like any URL's (config/sensitive.ts); the rest names the server.
    flag: 'redis-url',
  },
  REDIS_PREFIX: { schema: str('prefix of every Redis key and channel this gateway uses'), flag: 'redis-prefix', default: 'switchboard:' },
} satisfies Record<string, KeySpec>

export type ConfigKey = keyof typeof KEYS

type ValueOf<K extends ConfigKey> = Static<(typeof KEYS)[K]['schema']>
type HasDefault<K extends ConfigKey> = (typeof KEYS)[K] extends { default: unknown } ? K : never
type DefaultedKey = { [K in ConfigKey]: HasDefault<K> }[ConfigKey]

/** The merged, validated configuration. Keys without a default may be absent. */
export type AppConfig = { [K in DefaultedKey]: ValueOf<K> } & { [K in Exclude<ConfigKey, DefaultedKey>]?: ValueOf<K> }

/** The config a provider client is built from: the app config with a pool member's keys applied. */
export type MemberConfig = AppConfig

export const CONFIG_KEYS = Object.keys(KEYS) as ConfigKey[]
export const MEMBER_KEYS = CONFIG_KEYS.filter((key) => (KEYS[key] as KeySpec).member)
export const SECRET_KEYS = CONFIG_KEYS.filter((key) => (KEYS[key] as KeySpec).secret)
export const PATH_KEYS = CONFIG_KEYS.filter((key) => (KEYS[key] as KeySpec).path)

export function keySpec(key: ConfigKey): KeySpec {
  return KEYS[key]
}
