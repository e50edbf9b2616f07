// Preloaded before every test file (bunfig.toml): what the whole run shares.
import { afterAll } from 'bun:test'
import { removeTempDirs } from './helpers/temp-dir.ts'

afterAll(removeTempDirs)
