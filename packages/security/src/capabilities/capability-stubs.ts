// Test doubles for ctx.net.fetch and ctx.exec, for plugin tests (@marathon/plugin-testing). A stub
// replaces only the I/O: the permission, allowlist and argument checks run exactly as in
// production, so a test still fails when a plugin reaches for something its manifest does not
// grant. A call no stub matches fails, rather than reaching the network or running a program.

/** What ctx.net.fetch answers for a URL (and method). */
export interface FetchStub {
  /** The absolute URL, matched exactly (after URL normalisation). */
  url: string;
  /** Matched case-insensitively; any method when omitted. */
  method?: string;
  response: { status?: number; headers?: Record<string, string>; body?: string };
}

/** What ctx.exec answers for a command (and arguments). */
export interface ExecStub {
  command: string;
  /** Matched exactly; any arguments when omitted. */
  args?: string[];
  result: { exit_code?: number; stdout?: string; stderr?: string };
}

export interface CapabilityStubs {
  fetch?: FetchStub[];
  exec?: ExecStub[];
}

export function matchFetchStub(stubs: readonly FetchStub[], url: URL, method: string): FetchStub | undefined {
  return stubs.find((stub) => {
    let stubUrl: string;
    try {
      stubUrl = new URL(stub.url).href;
    } catch {
      return false;
    }
    return stubUrl === url.href && (stub.method === undefined || stub.method.toUpperCase() === method.toUpperCase());
  });
}

export function matchExecStub(stubs: readonly ExecStub[], command: string, args: readonly string[]): ExecStub | undefined {
  return stubs.find(
    (stub) =>
      stub.command === command &&
      (stub.args === undefined || (stub.args.length === args.length && stub.args.every((arg, i) => arg === args[i]))),
  );
}
