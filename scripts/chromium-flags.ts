// Headless Chromium as the dashboard test and the README screenshot run it: no first-run or
// background traffic, a fresh profile, and only loopback resolves, so a page that needed a
// CDN would show it.
export function offlineChromiumFlags(profileDir: string): string[] {
  return [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    `--user-data-dir=${profileDir}`,
    '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1',
  ]
}
