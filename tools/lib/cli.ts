// What every tool shares: its arguments, its failures, and how it ends.

export type Args = Record<string, string | true>;

export function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

/** Parses `--name value` and `--flag` arguments; `flags` names those that take no value. */
export function parseArgs(argv: string[], flags: string[] = []): Args {
  const args: Args = {};
  for (let index = 0; index < argv.length; index++) {
    const token = argv[index];
    if (!token.startsWith('--')) fail(`unexpected argument ${token}`);
    const name = token.slice(2);
    if (flags.includes(name)) args[name] = true;
    else {
      const value = argv[++index];
      if (value === undefined || value.startsWith('--')) fail(`--${name} needs a value`);
      args[name] = value;
    }
  }
  return args;
}

/** The value of `--name`, when it was given one. */
export function option(args: Args, name: string): string | undefined {
  const value = args[name];
  return typeof value === 'string' ? value : undefined;
}

/**
 * Runs a tool's `main` and exits with the status it returns (0 for none); an error it throws is printed with
 * `label` and exits 1.
 */
export function runTool(label: string, main: () => Promise<number | void>): void {
  main().then(
    (status) => process.exit(status ?? 0),
    (error: unknown) => fail(`${label} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`),
  );
}
