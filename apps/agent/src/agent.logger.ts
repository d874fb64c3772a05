/** JSON lines on stderr (journald keeps them); no secrets are ever passed in. */
export interface Logger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

export function createAgentLogger(base: Record<string, unknown> = {}): Logger {
  const line = (level: string) => (fields: Record<string, unknown>, message: string) =>
    process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level, msg: message, ...base, ...fields })}\n`);
  return { info: line('info'), warn: line('warn'), error: line('error') };
}
