import { Command, CommanderError } from 'commander';
import { diffCommand } from './commands/diff';
import { fmtCommand } from './commands/fmt';
import { schemaCommand } from './commands/schema';
import { validateCommand } from './commands/validate';
import { UsageError } from './files';

/** Exit codes: 0 fine, 1 the input has errors, 2 the command line is wrong. */
export function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command('crossdock')
    .description('Crossdock: design, validate and run ERP/WMS/TMS synchronization flows')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();

  program
    .command('validate')
    .description('Check flow files (and environment files) and print their diagnostics')
    .argument('<paths...>', 'flow files or folders to search for *.flow.json')
    .option('--env <name>', 'also check connections against flows/environments/<name>.json')
    .option('--json', 'print the diagnostics as JSON')
    .action(async (paths: string[], options: { env?: string; json?: boolean }) => {
      setExit(await validateCommand(paths, options));
    });

  program
    .command('fmt')
    .description('Write flow and environment files in their canonical form')
    .argument('<paths...>', 'files or folders')
    .option('--check', 'change nothing; exit 1 when a file is not formatted')
    .action(async (paths: string[], options: { check?: boolean }) => {
      setExit(await fmtCommand(paths, options));
    });

  program
    .command('schema')
    .description('Write flows/flow.schema.json and the environment schema from the code')
    .option('--check', 'change nothing; exit 1 when a schema file is out of date')
    .action(async (options: { check?: boolean }) => {
      setExit(await schemaCommand(options));
    });

  program
    .command('diff')
    .description("Show what changed between two versions of a flow, in an analyst's terms")
    .argument('<a>', 'the older flow file')
    .argument('<b>', 'the newer flow file')
    .option('--json', 'print the changes as JSON')
    .action(async (a: string, b: string, options: { json?: boolean }) => {
      setExit(await diffCommand(a, b, options));
    });

  program
    .command('serve')
    .description('Start the runtime: HTTP API, workers and the designer')
    .action(() => {
      process.stderr.write(
        'crossdock serve: the runtime is not built yet (see the issue "Runtime: execute flows on BullMQ"). Use `pnpm crossdock validate flows/` meanwhile.\n',
      );
      setExit(1);
    });

  return program;
}

export async function main(argv: readonly string[]): Promise<number> {
  let code = 0;
  const program = buildProgram((c) => {
    code = c;
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end through here too, with exit code 0.
      return error.exitCode === 0 ? 0 : 2;
    }
    if (error instanceof UsageError) {
      process.stderr.write(`crossdock: ${error.message}\n`);
      return 2;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`crossdock: ${message}\n`);
    return 1;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`crossdock: unexpected failure: ${String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
