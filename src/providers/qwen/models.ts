// Qwen OAuth has no model-list call: the models Qwen Code offers with this login.
import type { ModelInfo } from '../types.ts'

export const QWEN_MODELS: readonly ModelInfo[] = [
  { id: 'coder-model', displayName: 'Qwen Coder', ownedBy: 'qwen' },
  { id: 'vision-model', displayName: 'Qwen Vision', ownedBy: 'qwen' },
  { id: 'qwen3-coder-plus', displayName: 'Qwen3 Coder Plus', ownedBy: 'qwen' },
  { id: 'qwen3-coder-flash', displayName: 'Qwen3 Coder Flash', ownedBy: 'qwen' },
]

export const QWEN_PROBE_MODEL = 'coder-model'
