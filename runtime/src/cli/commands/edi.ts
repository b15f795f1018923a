import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { controlNumberFrom, formatProblem, generateAck, parseX12 } from '@crossdock/nodes';
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
}

/**
 * `crossdock edi parse <file>`: the canonical objects of an X12 file on stdout, its problems on
 * stderr (`file: error SE01 says ...`). Exit 1 when there is an error.
 */
export async function ediParseCommand(file: string, options: EdiParseOptions): Promise<number> {
  const { name, text } = await readX12(file);
  const result = parseX12(text);
  const errors = result.problems.filter((p) => p.severity === 'error').length;
  const warnings = result.problems.length - errors;
  if (options.json) {
    const documents = result.documents.map(
      ({ set, type, controlNumber, groupControlNumber, value }) => ({
        set,
        type,
        controlNumber,
        groupControlNumber,
        value,
      }),
    );
    process.stdout.write(
      `${JSON.stringify({ file: name, ok: result.ok, documents, problems: result.problems }, null, 2)}\n`,
    );
    return result.ok ? 0 : 1;
  }
  for (const doc of result.documents) {
    process.stdout.write(
      `# ${doc.set} ${doc.controlNumber} (group ${doc.groupControlNumber}) -> ${doc.type}\n${JSON.stringify(doc.value, null, 2)}\n`,
    );
  }
  for (const p of result.problems) process.stderr.write(`${name}: ${formatProblem(p)}\n`);
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
export async function ediAckCommand(file: string): Promise<number> {
  const { name, text } = await readX12(file);
  const result = parseX12(text);
  const ack = generateAck(result, {
    controlNumber: controlNumberFrom(text),
    date: new Date(),
    lineBreaks: true,
  });
  for (const p of result.problems) process.stderr.write(`${name}: ${formatProblem(p)}\n`);
  if (ack === undefined) {
    process.stderr.write(`${name}: not an X12 interchange; there is nothing to acknowledge\n`);
    return 1;
  }
  process.stdout.write(ack);
  return result.ok ? 0 : 1;
}
