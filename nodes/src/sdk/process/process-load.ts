import { type Diagnostic, hasErrors } from '../diagnostics';
import { parseJson } from '../parse';
import type { ProcessDocument } from './process-types';
import { type ProcessValidateOptions, validateProcess } from './process-validate';

export interface LoadedProcess {
  /** Present when the text parsed and validated without errors. */
  process: ProcessDocument | undefined;
  value: unknown;
  diagnostics: Diagnostic[];
}

/** Parses and validates a process file's text; diagnostics carry line and column. */
export function loadProcess(text: string, options: ProcessValidateOptions = {}): LoadedProcess {
  const parsed = parseJson(text);
  if (parsed.value === undefined)
    return { process: undefined, value: undefined, diagnostics: parsed.diagnostics };
  const diagnostics = validateProcess(parsed.value, options);
  for (const d of diagnostics) {
    const where = parsed.locate(d.pointer);
    if (where) {
      d.line = where.line;
      d.column = where.column;
    }
  }
  return {
    process: hasErrors(diagnostics) ? undefined : (parsed.value as ProcessDocument),
    value: parsed.value,
    diagnostics,
  };
}
