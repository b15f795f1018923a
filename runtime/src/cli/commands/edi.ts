import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  controlNumberFrom,
  formatProblem,
  generateAck,
  parseX12,
  splitProblems,
} from '@crossdock/nodes';
import { displayPath, UsageError, userCwd } from '../files';

async function readX12(file: string): Promise<{ name: string; text: string }> {
  const full = path.resolve(userCwd(), file);
  try {
    return { name: displayPath(full), text: await readFile(full, 'utf8') };
  } catch {
    throw new UsageError(`No such file: ${file}`);
  }
}

export interface EdiParseOptions {
  json?: boolean;
  strict?: boolean;
}

export interface EdiAckOptions {
  ta1?: boolean;
  strict?: boolean;
}

/**
 * `crossdock edi parse <file>`: the canonical objects of an X12 file on stdout; on stderr its
 * errors, then its warnings (`file: error SE01 says ...`). Exit 0 with warnings only, 1 with
 * an error.
 */
export async function ediParseCommand(file: string, options: EdiParseOptions): Promise<number> {
  const { name, text } = await readX12(file);
  const result = parseX12(text, { strict: options.strict === true });
  const split = splitProblems(result.problems);
  const errors = split.errors.length;
  const warnings = split.warnings.length;
  if (options.json) {
    const documents = result.documents.map(
      ({ set, type, controlNumber, groupControlNumber, value, warnings }) => ({
        set,
        type,
        controlNumber,
        groupControlNumber,
        value,
        warnings,
      }),
    );
    process.stdout.write(
      `${JSON.stringify({ file: name, ok: result.ok, documents, errors: split.errors, warnings: split.warnings, problems: result.problems }, null, 2)}\n`,
    );
    return result.ok ? 0 : 1;
  }
  for (const doc of result.documents) {
    process.stdout.write(
      `# ${doc.set} ${doc.controlNumber} (group ${doc.groupControlNumber}) -> ${doc.type}\n${JSON.stringify(doc.value, null, 2)}\n`,
    );
  }
  if (errors > 0) process.stderr.write(`${name}: errors\n`);
  for (const p of split.errors) process.stderr.write(`${name}: ${formatProblem(p)}\n`);
  if (warnings > 0) process.stderr.write(`${name}: warnings\n`);
  for (const p of split.warnings) process.stderr.write(`${name}: ${formatProblem(p)}\n`);
  process.stderr.write(
    `${name}: ${result.documents.length} document(s), ${errors} error(s), ${warnings} warning(s)\n`,
  );
  return result.ok ? 0 : 1;
}

/**
 * `crossdock edi ack <file>`: the 997 answering an X12 file, on stdout (one segment a line).
 * Its control number is derived from the file, so the same file gets the same 997. Exit 1 when
 * the file has errors (the 997 then rejects what it must) or cannot be read as an interchange.
 */
export async function ediAckCommand(file: string, options: EdiAckOptions = {}): Promise<number> {
  const { name, text } = await readX12(file);
  const result = parseX12(text, { strict: options.strict === true });
  const ack = generateAck(result, {
    controlNumber: controlNumberFrom(text),
    date: new Date(),
    lineBreaks: true,
    ta1: options.ta1 === true,
  });
  for (const p of result.problems) process.stderr.write(`${name}: ${formatProblem(p)}\n`);
  if (ack === undefined) {
    process.stderr.write(
      result.interchange
        ? `${name}: only acknowledgments (997) inside; an acknowledgment is never acknowledged\n`
        : `${name}: not an X12 interchange; there is nothing to acknowledge\n`,
    );
    return result.interchange ? 0 : 1;
  }
  process.stdout.write(ack);
  return result.ok ? 0 : 1;
}
