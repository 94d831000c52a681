import { ConfigError } from '../src/config.ts';
import { DatabaseLockedError } from '../src/db/pglite-lock.ts';

/** A usage (2) or input (1) problem with a message for the person at the terminal. */
export class ExitError extends Error {
  constructor(message: string, readonly code: 1 | 2) {
    super(message);
  }
}

/**
 * Runs a command-line entry point and turns its outcome into an exit code
 * with a clear message: our own ExitError, bad configuration, the embedded
 * database being in use by the bot (`whenLocked` says what to do), or any
 * other failure (`whenFailed` says what was, or was not, written).
 */
export function runCli(main: (args: string[]) => Promise<number>, hints: { whenLocked: string; whenFailed: (message: string) => string[] }): void {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      if (err instanceof ExitError) {
        console.error(err.message);
        process.exitCode = err.code;
        return;
      }
      process.exitCode = 1;
      if (err instanceof ConfigError) return void console.error(err.message);
      if (err instanceof DatabaseLockedError) {
        console.error(err.message);
        return void console.error(hints.whenLocked);
      }
      for (const line of hints.whenFailed(err instanceof Error ? err.message : String(err))) console.error(line);
    },
  );
}
