// Values the gateway must choose when a request bound for Anthropic leaves them open.

/**
 * `max_tokens` is mandatory on the Messages API while OpenAI and Gemini clients may omit
 * it. 8192 fits every current Claude model's output limit and rarely cuts an answer.
 */
export const DEFAULT_MAX_TOKENS = 8192

/** Anthropic's smallest accepted `thinking.budget_tokens`. */
export const MIN_THINKING_BUDGET = 1024

/** Budget used when thinking is on but neither a budget nor an effort was given. */
export const DEFAULT_THINKING_BUDGET = 4096

/** Budgets for the OpenAI-style effort levels (`reasoning_effort`). */
export const THINKING_BUDGET_BY_EFFORT = { low: 1024, medium: 4096, high: 16384 } as const

/**
 * With thinking on Anthropic only accepts `top_p` in [0.95, 1]; a lower value is dropped
 * rather than sent to fail.
 */
export const MIN_TOP_P_WITH_THINKING = 0.95
