import { Command, CommanderError } from 'commander';
import type { ReconcileAction } from './commands/reconcile';
import { UsageError } from './files';

/**
 * Exit codes: 0 fine, 1 the input has errors, 2 the command line is wrong. Every command loads
 * its module when it runs, so `crossdock validate` does not load BullMQ, Express, undici or the
 * sandbox (startup is most of a short command's time).
 */
export function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command('crossdock')
    .description('Crossdock: design, validate and run ERP/WMS/TMS synchronization flows')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();

  program
    .command('validate')
    .description('Check flow, process and environment files and print their diagnostics')
    .argument('<paths...>', 'flow files or folders to search for *.flow.json')
    .option('--env <name>', 'also check connections against flows/environments/<name>.json')
    .option('--json', 'print the diagnostics as JSON')
    .action(async (paths: string[], options: { env?: string; json?: boolean }) => {
      const { validateCommand } = await import('./commands/validate');
      setExit(await validateCommand(paths, options));
    });

  program
    .command('fmt')
    .description('Write flow, process and environment files in their canonical form')
    .argument('<paths...>', 'files or folders')
    .option('--check', 'change nothing; exit 1 when a file is not formatted')
    .action(async (paths: string[], options: { check?: boolean }) => {
      const { fmtCommand } = await import('./commands/fmt');
      setExit(await fmtCommand(paths, options));
    });

  program
    .command('schema')
    .description(
      'Write flows/flow.schema.json, flows/process.schema.json and the environment schema from the code',
    )
    .option('--check', 'change nothing; exit 1 when a schema file is out of date')
    .action(async (options: { check?: boolean }) => {
      const { schemaCommand } = await import('./commands/schema');
      setExit(await schemaCommand(options));
    });

  const edi = program.command('edi').description('Check X12 EDI files from trading partners');
  edi
    .command('parse')
    .description('Print the canonical objects in an X12 file, or its problems (exit 1)')
    .argument('<file>', 'an X12 interchange')
    .option('--json', 'print the documents and problems as JSON')
    .option('--strict', "treat warnings as errors (a strict partner's setting)")
    .action(async (file: string, options: { json?: boolean; strict?: boolean }) => {
      const { ediParseCommand } = await import('./commands/edi');
      setExit(await ediParseCommand(file, options));
    });
  edi
    .command('ack')
    .description('Print the 997 functional acknowledgment for an X12 file')
    .argument('<file>', 'an X12 interchange')
    .option('--ta1', 'answer each interchange with a TA1 too')
    .option('--strict', "treat warnings as errors (a strict partner's setting)")
    .action(async (file: string, options: { ta1?: boolean; strict?: boolean }) => {
      const { ediAckCommand } = await import('./commands/edi');
      setExit(await ediAckCommand(file, options));
    });

  program
    .command('diff')
    .description("Show what changed between two versions of a flow, in an analyst's terms")
    .argument('<a>', 'the older flow: a file, or <flow id>@<version> on a runtime')
    .argument('<b>', 'the newer flow: a file, or <flow id>@<version> on a runtime')
    .option('--json', 'print the changes as JSON')
    .option('--url <url>', 'runtime for <flow>@<version> (default $CROSSDOCK_URL)')
    .option('--key <key>', 'API key for that runtime (default $CROSSDOCK_API_KEY)')
    .action(
      async (a: string, b: string, options: { json?: boolean; url?: string; key?: string }) => {
        const { diffCommand } = await import('./commands/diff');
        setExit(await diffCommand(a, b, options));
      },
    );

  program
    .command('test')
    .description(
      'Replay the saved test cases (flows/tests/<flow>/) with recorded connector answers',
    )
    .argument('[flows...]', 'flow files or ids (default: every flow with test cases)')
    .option('--env <name>', 'environment to check connections against', 'dev')
    .option('--json', 'print the differences as JSON')
    .action(async (flows: string[], options: { env?: string; json?: boolean }) => {
      const { testCommand } = await import('./commands/test-cases');
      setExit(await testCommand(flows, options));
    });

  program
    .command('promote')
    .description(
      'Promote a flow or business process file to an environment: validate, test, diff, publish',
    )
    .argument('[flow]', 'flow file or id, or a *.process.json file (not needed with --approve)')
    .requiredOption('--to <env>', 'target environment (flows/environments/<env>.json)')
    .option('--from <env>', 'environment the version comes from (default $CROSSDOCK_ENV or dev)')
    .option('--dry-run', 'check everything and print the diff; publish nothing')
    .option('--approve <id>', 'approve a pending promotion as a second admin')
    .option('--url <url>', 'target runtime (default: settings.runtime.url of the environment)')
    .option('--key <key>', 'admin key (default: the secret settings.runtime.adminKeySecret)')
    .option('--commit <sha>', 'git commit to record (default: git rev-parse HEAD)')
    .action(
      async (
        flow: string | undefined,
        options: {
          to: string;
          from?: string;
          dryRun?: boolean;
          approve?: string;
          url?: string;
          key?: string;
          commit?: string;
        },
      ) => {
        const { promoteCommand } = await import('./commands/promote');
        setExit(await promoteCommand(flow, options));
      },
    );

  program
    .command('shadow')
    .description('Dual-run a flow version beside the active one, without side effects, and compare')
    .argument('<action>', 'start, status or stop')
    .argument('<flow>', 'flow file or id')
    .argument('[shadowId]', 'the shadow (status of one, stop)')
    .option('--env <name>', 'environment whose runtime runs it (default $CROSSDOCK_ENV or dev)')
    .option('--sample <share>', 'share of runs to mirror, above 0 and at most 1 (default 1)')
    .option('--until <time>', 'ISO time after which no new run is mirrored')
    .option('--map <pair...>', 'shadowNodeId=activeNodeId for renamed nodes')
    .option('--ignore <field...>', 'fields left out of the comparison (sentAt, body.lines[].id)')
    .option('--url <url>', 'runtime (default: settings.runtime.url of the environment)')
    .option('--key <key>', 'admin key (default: the secret settings.runtime.adminKeySecret)')
    .option('--json', 'print the report as JSON')
    .action(
      async (
        action: string,
        flow: string,
        shadowId: string | undefined,
        options: import('./commands/shadow').ShadowCommandOptions,
      ) => {
        const { shadowCommand } = await import('./commands/shadow');
        setExit(await shadowCommand(action, flow, shadowId, options));
      },
    );

  program
    .command('reconcile')
    .description(
      'Reconciliation streams and master-data drift on a runtime: list, run, show, decide',
    )
    .argument('<action>', 'list | run <id> | show <id> | decide <id> <key> approve|accept')
    .argument('[args...]')
    .option('--url <url>', 'runtime URL (default $CROSSDOCK_URL)')
    .option('--key <key>', 'API key; run and decide need operator (default $CROSSDOCK_API_KEY)')
    .option('--comment <text>', 'decide: why (kept in the audit)')
    .option('--json', 'print the API answer as JSON')
    .action(
      async (
        action: string,
        args: string[],
        options: { url?: string; key?: string; comment?: string; json?: boolean },
      ) => {
        if (!['list', 'run', 'show', 'decide'].includes(action))
          throw new UsageError(`Unknown reconcile action "${action}": list, run, show or decide.`);
        const { reconcileCommand } = await import('./commands/reconcile');
        setExit(await reconcileCommand(action as ReconcileAction, args, options));
      },
    );

  program
    .command('nodes')
    .description('List the node types with their category and ports')
    .option('--json', 'print them as JSON')
    .action(async (options: { json?: boolean }) => {
      const { nodesCommand } = await import('./commands/nodes');
      setExit(nodesCommand(options));
    });

  program
    .command('docs')
    .description('Write docs/nodes.md, the node reference, from the manifests and samples')
    .option('--check', 'change nothing; exit 1 when docs/nodes.md is out of date')
    .action(async (options: { check?: boolean }) => {
      const { docsCommand } = await import('./commands/docs');
      setExit(await docsCommand(options));
    });

  program
    .command('sandbox')
    .description('Start the sandbox ERP, WMS, TMS and carrier on the ports of an environment')
    .option('--env <name>', 'environment whose connections give the ports', 'dev')
    .option('--webhook-base <url>', 'where events go (default http://127.0.0.1:$PORT/hooks)')
    .action(async (options: { env?: string; webhookBase?: string }) => {
      // The sandbox (Express and four fake systems) loads only for this command.
      const { sandboxCommand } = await import('./commands/sandbox');
      setExit(await sandboxCommand(options));
    });

  program
    .command('serve')
    .description('Start the runtime: HTTP API, workers and the designer (configured by env vars)')
    .option('--bootstrap', 'start a local redis-server if needed and build the designer if missing')
    .option('--no-worker', 'serve the API only')
    .action(async (options: { bootstrap?: boolean; worker?: boolean }) => {
      const { serveCommand } = await import('./commands/serve');
      setExit(await serveCommand(options));
    });

  program
    .command('worker')
    .description('Start workers only; run several against one Redis to scale out')
    .option('--concurrency <n>', 'runs in parallel in this process (default CROSSDOCK_CONCURRENCY)')
    .action(async (options: { concurrency?: string }) => {
      const { workerCommand } = await import('./commands/worker');
      setExit(await workerCommand(options));
    });

  program
    .command('reset')
    .description(
      'Development: forget runs, dedupe keys and the sandbox records (says what it removed)',
    )
    .option('--dev', 'required: confirms this is a development runtime (refused otherwise)')
    .action(async (options: { dev?: boolean }) => {
      const { resetCommand } = await import('./commands/reset');
      setExit(await resetCommand(options));
    });

  program
    .command('run')
    .description('Run a flow file once through the real queue (private prefix) and print the run')
    .argument('<flow>', 'a *.flow.json file')
    .option('--input <file>', 'JSON file with the trigger payload')
    .option('--env <name>', 'environment (flows/environments/<name>.json)', 'dev')
    .option('--json', 'print the run as GET /api/runs/:id returns it')
    .action(async (file: string, options: { input?: string; env?: string; json?: boolean }) => {
      const { runCommand } = await import('./commands/run');
      setExit(await runCommand(file, options));
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
