/** Node versions, as the kit needs them: `reusePort` arrived in v22.12.0 and v23.1.0. */
export const MINIMUM_NODE = "22.12.0";

export function parseNodeVersion(version: string): [number, number, number] | undefined {
  const match = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version);
  if (!match) return undefined;
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

/** Whether `server.listen({ reusePort: true })` is honoured (older Nodes ignore the option silently). */
export function supportsReusePort(version: string): boolean {
  const parsed = parseNodeVersion(version);
  if (!parsed) return false;
  const [major, minor] = parsed;
  if (major === 22) return minor >= 12;
  if (major === 23) return minor >= 1;
  return major > 23;
}
